import type { Workspace } from '../fs/workspace.ts';
import type { WorkspaceChanges } from '../protocol.ts';

/**
 * Saves what a run changed into the workspace. A file that cannot be saved (quota, bad path)
 * is reported, never silently dropped; the rest is still saved.
 */
export async function applyChanges(workspace: Workspace, changes: WorkspaceChanges): Promise<{ changed: string[]; errors: string[] }> {
  const changed: string[] = [];
  const errors: string[] = [];
  const attempt = async (path: string, action: () => Promise<void>): Promise<void> => {
    try {
      await action();
      changed.push(path);
    } catch (error) {
      errors.push(`could not save ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  for (const dir of changes.dirs) {
    try {
      await workspace.mkdir(dir);
    } catch (error) {
      errors.push(`could not create ${dir}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const path of changes.removed) {
    await attempt(path, async () => {
      if (await workspace.exists(path)) await workspace.remove(path);
    });
  }
  for (const [path, data] of Object.entries(changes.written)) await attempt(path, () => workspace.writeFile(path, data));
  return { changed: changed.sort(), errors };
}
