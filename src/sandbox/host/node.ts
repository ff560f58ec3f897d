import type { Workspace } from '../fs/workspace.ts';
import type { Limits, SnapshotStore } from '../protocol.ts';
import type { PackageProvider } from '../packages/provider.ts';
import type { Sandbox } from './api.ts';
import { createSandbox } from './sandbox.ts';
import { memorySnapshotStore } from './snapshot-store.ts';
import { spawnNodeWorker } from './spawn.node.ts';

/** One Python start-up snapshot for every sandbox of this process. */
const snapshots = memorySnapshotStore();

export type { Sandbox } from './api.ts';

/** Creates a sandbox whose worker is a Node worker_thread with heap limits, over the given workspace. */
export function createNodeSandbox(options: { workspace: Workspace; limits?: Partial<Limits>; allowNet?: string[]; maxHeapMb?: number; keepSpare?: boolean; snapshots?: SnapshotStore; packages?: PackageProvider }): Sandbox {
  return createSandbox({ snapshots, ...options, spawn: spawnNodeWorker({ maxOldGenerationSizeMb: options.maxHeapMb ?? 1024 }) });
}
