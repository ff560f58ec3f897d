/** Workspace path rules: relative POSIX paths that can never leave the workspace root. */

export const MAX_PATH_LENGTH = 1024;
export const MAX_SEGMENT_LENGTH = 255;

/** Thrown for paths and file operations the workspace refuses; `code` is errno-like. */
export class WorkspaceError extends Error {
  constructor(
    readonly code: 'EINVAL' | 'ENOENT' | 'EEXIST' | 'ENOTDIR' | 'EISDIR' | 'ENOTEMPTY' | 'EDQUOT' | 'EACCES',
    message: string,
  ) {
    super(message);
    this.name = 'WorkspaceError';
  }
}

/** Wraps calls to a backend so that its errors become WorkspaceErrors about the path in hand. */
export function errorGuard(toWorkspaceError: (err: unknown, path: string) => WorkspaceError) {
  return async <T>(path: string, task: () => Promise<T>): Promise<T> => {
    try {
      return await task();
    } catch (err) {
      throw toWorkspaceError(err, path);
    }
  };
}

/**
 * Normalizes a workspace path (`./a//b/` → `a/b`, `.` or `` → ``) and rejects anything that
 * could escape the root: `..` segments, absolute paths, NUL and other control characters.
 */
export function normalizePath(input: string): string {
  if (typeof input !== 'string') throw new WorkspaceError('EINVAL', 'path must be a string');
  if (input.length > MAX_PATH_LENGTH) throw new WorkspaceError('EINVAL', `path longer than ${MAX_PATH_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(input)) throw new WorkspaceError('EINVAL', `path contains a control character: ${JSON.stringify(input)}`);
  if (input.startsWith('/') || input.includes('\\') || /^[a-zA-Z]:/.test(input)) {
    throw new WorkspaceError('EACCES', `path must be relative to the workspace: ${input}`);
  }
  const parts: string[] = [];
  for (const part of input.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') throw new WorkspaceError('EACCES', `path leaves the workspace: ${input}`);
    if (part.length > MAX_SEGMENT_LENGTH) throw new WorkspaceError('EINVAL', `path segment longer than ${MAX_SEGMENT_LENGTH}: ${input}`);
    parts.push(part);
  }
  return parts.join('/');
}

/** Joins a workspace-relative directory and a name, then normalizes. */
export function joinPath(dir: string, name: string): string {
  return normalizePath(dir === '' ? name : `${dir}/${name}`);
}

/** The parent directory of a normalized path (`a/b` → `a`, `a` → ``). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** The last segment of a normalized path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
