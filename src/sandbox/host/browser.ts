import type { Workspace } from '../fs/workspace.ts';
import { DEFAULT_LIMITS } from '../limits.ts';
import type { Limits, SnapshotStore } from '../protocol.ts';
import type { PackageProvider } from '../packages/provider.ts';
import type { Sandbox } from './api.ts';
import { startLiveWorker, type LiveWorker } from './live-worker.ts';
import { createSandbox } from './sandbox.ts';
import { cacheStorageSnapshotStore } from './snapshot-store.ts';
import { browserWorkerSpawner } from './spawn.browser.ts';

export { sandboxWorkerScriptUrl } from './spawn.browser.ts';

/** Python start-up snapshots of this app (its base path), kept across visits. */
const snapshots = cacheStorageSnapshotStore(new URL(`${import.meta.env.BASE_URL}__isobox/python-snapshot`, globalThis.location.href).href);

export type { Sandbox } from './api.ts';
export type { LiveWorker } from './live-worker.ts';
export { createOpfsWorkspace } from '../fs/opfs.ts';
export { withQuota, DEFAULT_QUOTA } from '../fs/quota.ts';
export { createMemoryWorkspace } from '../fs/memory.ts';
export { languageOfPath, defaultFilename } from './filenames.ts';

/**
 * Starts a sandbox worker and Python in it before any project is open (as the page loads); hand it
 * to createBrowserSandbox as `prestarted`, with the same options.
 */
export function prestartBrowserWorker(options: { limits?: Partial<Limits>; allowNet?: string[] } = {}): LiveWorker {
  const outputCapBytes = options.limits?.outputCapBytes ?? DEFAULT_LIMITS.outputCapBytes;
  return startLiveWorker(browserWorkerSpawner(options.allowNet), { outputCapBytes, allowNet: options.allowNet ?? [], snapshots }, ['python']);
}

/** Creates a sandbox whose worker is a module Web Worker, over the given workspace (OPFS in the app). */
export function createBrowserSandbox(options: { workspace: Workspace; limits?: Partial<Limits>; allowNet?: string[]; keepSpare?: boolean; snapshots?: SnapshotStore; prestarted?: LiveWorker; packages?: PackageProvider }): Sandbox {
  return createSandbox({ keepSpare: true, snapshots, ...options, spawn: browserWorkerSpawner(options.allowNet) });
}
