import type { Workspace } from '../fs/workspace.ts';
import type { Limits } from '../protocol.ts';
import type { Sandbox } from './api.ts';
import { createSandbox } from './sandbox.ts';
import { spawnNodeWorker } from './spawn.node.ts';

export type { Sandbox } from './api.ts';

/** Creates a sandbox whose worker is a Node worker_thread with heap limits, over the given workspace. */
export function createNodeSandbox(options: { workspace: Workspace; limits?: Partial<Limits>; allowNet?: string[]; maxHeapMb?: number; keepSpare?: boolean }): Sandbox {
  return createSandbox({ ...options, spawn: spawnNodeWorker({ maxOldGenerationSizeMb: options.maxHeapMb ?? 1024 }) });
}
