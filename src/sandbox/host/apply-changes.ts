import type { Workspace } from '../fs/workspace.ts';
import type { WorkspaceChanges } from '../protocol.ts';

/**
 * How many saves are handed to the workspace at once: enough that small files reach the OPFS
 * worker back to back instead of one round trip each, few enough to bound the memory in flight.
 */
const SAVE_CONCURRENCY = 16;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `task` for every item, `limit` at a time; errors are the task's to handle. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/**
 * Saves what a run changed into the workspace: directories first, then removals, then written
 * files, several at a time. A file that cannot be saved (quota, bad path) is reported, never
 * silently dropped; the rest is still saved. Errors come in the order of the changes.
 */
export async function applyChanges(workspace: Workspace, changes: WorkspaceChanges): Promise<{ changed: string[]; errors: string[] }> {
  const changed: string[] = [];
  const errors: Array<{ at: number; text: string }> = [];
  for (const [at, dir] of changes.dirs.entries()) {
    try {
      await workspace.mkdir(dir);
    } catch (error) {
      errors.push({ at, text: `could not create ${dir}: ${message(error)}` });
    }
  }
  let at = changes.dirs.length;
  const attempt = async ([index, path, action]: [number, string, () => Promise<void>]): Promise<void> => {
    try {
      await action();
      changed.push(path);
    } catch (error) {
      errors.push({ at: index, text: `could not save ${path}: ${message(error)}` });
    }
  };
  const removals = changes.removed.map((path): [number, string, () => Promise<void>] => [
    at++,
    path,
    async () => {
      if (await workspace.exists(path)) await workspace.remove(path);
    },
  ]);
  await eachLimited(removals, SAVE_CONCURRENCY, attempt);
  const writes = Object.entries(changes.written).map(([path, data]): [number, string, () => Promise<void>] => [at++, path, () => workspace.writeFile(path, data)]);
  await eachLimited(writes, SAVE_CONCURRENCY, attempt);
  return { changed: changed.sort(), errors: errors.sort((a, b) => a.at - b.at).map((error) => error.text) };
}
