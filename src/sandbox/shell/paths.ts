/**
 * Shell-side path resolution. FileTree's `normalizePath` rejects `..` outright, but a shell user
 * expects `cd ..` and `cat ../a.txt` to work while inside the workspace, so `..` is resolved
 * lexically here (like `cd -L`) and only refused when it would climb above the root.
 */
import { WorkspaceError, normalizePath } from '../fs/paths.ts';

/** The absolute path every runtime sees for the workspace root. */
export const WORKSPACE_ROOT = '/workspace';

/** Why a path was refused, worded to follow `cmd: ARG: ` in an error message. */
export const OUTSIDE_WORKSPACE = 'outside the workspace';

/** A resolved workspace-relative path, or the reason it was refused. */
export type ResolvedPath = { ok: true; path: string } | { ok: false; error: string };

/**
 * Resolves what a user typed against a workspace-relative `cwd`: `/workspace/...` maps to the root,
 * `.`/`..` are applied lexically, other absolute paths and `..` above the root are refused.
 */
export function resolvePath(cwd: string, input: string): ResolvedPath {
  let rest = input;
  const stack: string[] = [];
  if (input === WORKSPACE_ROOT || input.startsWith(`${WORKSPACE_ROOT}/`)) {
    rest = input.slice(WORKSPACE_ROOT.length);
  } else if (input.startsWith('/')) {
    return { ok: false, error: OUTSIDE_WORKSPACE };
  } else {
    stack.push(...cwd.split('/').filter((part) => part !== '' && part !== '.'));
  }
  for (const part of rest.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (stack.pop() === undefined) return { ok: false, error: OUTSIDE_WORKSPACE };
    } else {
      stack.push(part);
    }
  }
  try {
    return { ok: true, path: normalizePath(stack.join('/')) };
  } catch (error) {
    // What is left (control characters, backslashes, over-long names) is a malformed name.
    if (error instanceof WorkspaceError) return { ok: false, error: 'invalid path' };
    throw error;
  }
}

/** The absolute path a user sees for a workspace-relative path (`` → `/workspace`). */
export function displayPath(path: string): string {
  return path === '' ? WORKSPACE_ROOT : `${WORKSPACE_ROOT}/${path}`;
}

/** The coreutils wording for a workspace error code (`ENOENT` → `No such file or directory`). */
export function describeError(error: unknown): string {
  if (!(error instanceof WorkspaceError)) return error instanceof Error ? error.message : String(error);
  switch (error.code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOTDIR':
      return 'Not a directory';
    case 'EEXIST':
      return 'File exists';
    case 'ENOTEMPTY':
      return 'Directory not empty';
    case 'EDQUOT':
      return 'Disk quota exceeded';
    case 'EACCES':
      return 'Permission denied';
    case 'EINVAL':
      return error.message;
  }
}
