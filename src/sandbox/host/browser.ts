import type { Workspace } from '../fs/workspace.ts';
import type { Limits } from '../protocol.ts';
import type { Sandbox } from './api.ts';
import { createSandbox } from './sandbox.ts';
import { browserWorkerSpawner } from './spawn.browser.ts';

export type { Sandbox } from './api.ts';
export { createOpfsWorkspace } from '../fs/opfs.ts';
export { withQuota, DEFAULT_QUOTA } from '../fs/quota.ts';
export { createMemoryWorkspace } from '../fs/memory.ts';
export { languageOfPath, defaultFilename } from './filenames.ts';

/** Creates a sandbox whose worker is a module Web Worker, over the given workspace (OPFS in the app). */
export function createBrowserSandbox(options: { workspace: Workspace; limits?: Partial<Limits>; allowNet?: string[]; keepSpare?: boolean }): Sandbox {
  return createSandbox({ keepSpare: true, ...options, spawn: browserWorkerSpawner(options.allowNet) });
}
