/**
 * Workspace over an Origin Private File System directory (browser): one project's folder.
 * Uses only the asynchronous handle API, which the main thread and workers both have
 * (no sync access handles, no `move()`), and no DOM globals.
 */

import type { Manifest } from '../protocol.ts';
import { WorkspaceError, baseName, joinPath, normalizePath, parentOf } from './paths.ts';
import type { DirEntry, Workspace } from './workspace.ts';
import { pathRecord } from '../records.ts';

type Handle = FileSystemDirectoryHandle | FileSystemFileHandle;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Smallest step between two stamps of a path: 2^-10 ms, exactly representable next to epoch ms. */
const STAMP_STEP = 1 / 1024;

/**
 * Stamps for OPFS files. `File.lastModified` has whole-millisecond resolution, and OPFS offers no
 * way to set it, so two writes within one millisecond can leave a file with the same size and
 * lastModified: a sync by (size, mtime) would miss the second. Hence the stamp is lastModified,
 * pushed forward when needed by a per-path memory of what this workspace last reported:
 * - a write through this workspace always gets a stamp above every stamp reported for the path
 *   (so also after remove + recreate, or a rename onto it), at least lastModified;
 * - a file seen unchanged (same size and lastModified as last seen) keeps its stamp;
 * - a file changed behind our back gets lastModified, or above the last stamp if that is not newer.
 * The memory lives as long as this workspace object: a fresh one (after a reload) starts from plain
 * lastModified values, as does the sandbox's cache, which is equally fresh then. Writes made through
 * another workspace object on the same folder in the same millisecond cannot be told apart, so all
 * writes of a project should go through one workspace.
 */
class StampKeeper {
  private readonly seen = new Map<string, { size: number; lastModified: number; stamp: number }>();

  /** The stamp of a file as found now. */
  observe(path: string, size: number, lastModified: number): number {
    const prev = this.seen.get(path);
    if (prev && prev.size === size && prev.lastModified === lastModified) return prev.stamp;
    return this.record(path, size, lastModified, prev && lastModified <= prev.stamp ? prev.stamp + STAMP_STEP : lastModified);
  }

  /** The stamp of a file this workspace has just written: new even if nothing visible changed. */
  written(path: string, size: number, lastModified: number): number {
    const prev = this.seen.get(path);
    return this.record(path, size, lastModified, prev ? Math.max(lastModified, prev.stamp + STAMP_STEP) : lastModified);
  }

  private record(path: string, size: number, lastModified: number, stamp: number): number {
    this.seen.set(path, { size, lastModified, stamp });
    return stamp;
  }
}

function errorName(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'name' in err && typeof err.name === 'string' ? err.name : undefined;
}

function label(path: string): string {
  return path === '' ? '.' : path;
}

/** A WorkspaceError for a DOMException from the OPFS API (by name, so it works in every realm). */
function toWorkspaceError(err: unknown, path: string): WorkspaceError {
  if (err instanceof WorkspaceError) return err;
  const name = errorName(err);
  const detail = err instanceof Error && err.message ? err.message : String(err);
  let mapped: WorkspaceError;
  switch (name) {
    case 'NotFoundError':
      mapped = new WorkspaceError('ENOENT', `no such file or directory: ${label(path)}`);
      break;
    case 'TypeMismatchError':
      mapped = new WorkspaceError('ENOTDIR', `not a directory: ${label(path)}`);
      break;
    case 'QuotaExceededError':
      mapped = new WorkspaceError('EDQUOT', `storage quota exceeded: the browser refused to store ${label(path)} (${detail})`);
      break;
    case 'InvalidModificationError':
      mapped = new WorkspaceError('ENOTEMPTY', `directory not empty: ${label(path)}`);
      break;
    case 'NoModificationAllowedError':
      mapped = new WorkspaceError('EACCES', `file is in use (locked by another context): ${label(path)}`);
      break;
    case 'NotAllowedError':
    case 'SecurityError':
      mapped = new WorkspaceError('EACCES', `permission denied: ${label(path)} (${detail})`);
      break;
    default:
      mapped = new WorkspaceError('EINVAL', `file system error on ${label(path)}: ${name ?? 'Error'}: ${detail}`);
  }
  mapped.cause = err;
  return mapped;
}

/** `dir/name` as a workspace path, or null for a name no workspace path can spell. */
function childPath(dir: string, name: string): string | null {
  try {
    const path = joinPath(dir, name);
    return baseName(path) === name ? path : null;
  } catch {
    return null;
  }
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every entry of a directory, sorted by name. */
async function allEntries(dir: FileSystemDirectoryHandle): Promise<Array<[string, Handle]>> {
  const entries: Array<[string, Handle]> = [];
  for await (const entry of dir.entries()) entries.push(entry);
  return entries.sort((a, b) => byName(a[0], b[0]));
}

/**
 * The entries the workspace shows, sorted, each with its workspace path: names no workspace path
 * can spell (made by other code of the origin) are left out, as nothing could address them.
 */
async function entriesOf(dir: FileSystemDirectoryHandle, path: string): Promise<Array<[string, Handle, string]>> {
  const entries: Array<[string, Handle, string]> = [];
  for (const [name, handle] of await allEntries(dir)) {
    const child = childPath(path, name);
    if (child !== null) entries.push([name, handle, child]);
  }
  return entries;
}

/**
 * Opens an OPFS directory (e.g. a project folder under `navigator.storage.getDirectory()`) as a
 * workspace. Quota errors from the browser surface as `WorkspaceError('EDQUOT')`.
 */
export function createOpfsWorkspace(dir: FileSystemDirectoryHandle): Workspace {
  const stamps = new StampKeeper();

  /**
   * The directory at `path`; with `create`, it and its parents are made. A file in the way is
   * ENOTDIR, or `lastIsFile` when it is the last component (mkdir says EEXIST there).
   */
  async function dirAt(path: string, create: boolean, lastIsFile: 'ENOTDIR' | 'EEXIST' = 'ENOTDIR'): Promise<FileSystemDirectoryHandle> {
    let handle = dir;
    if (path === '') return handle;
    const parts = path.split('/');
    for (let i = 0; i < parts.length; i++) {
      try {
        handle = await handle.getDirectoryHandle(parts[i] as string, { create });
      } catch (err) {
        const at = parts.slice(0, i + 1).join('/');
        if (errorName(err) === 'TypeMismatchError') {
          const code = i === parts.length - 1 ? lastIsFile : 'ENOTDIR';
          throw new WorkspaceError(code, `${code === 'EEXIST' ? 'file exists' : 'not a directory'}: ${at}`);
        }
        throw toWorkspaceError(err, create ? at : path);
      }
    }
    return handle;
  }

  /** The handle at `path`, file or directory. */
  async function handleAt(path: string): Promise<Handle> {
    if (path === '') return dir;
    const parent = await dirAt(parentOf(path), false);
    const name = baseName(path);
    try {
      return await parent.getFileHandle(name);
    } catch (err) {
      if (errorName(err) !== 'TypeMismatchError') throw toWorkspaceError(err, path);
    }
    try {
      return await parent.getDirectoryHandle(name);
    } catch (err) {
      throw toWorkspaceError(err, path);
    }
  }

  /** The handle at `path`, or null when nothing is there. */
  async function handleOrNull(path: string): Promise<Handle | null> {
    try {
      return await handleAt(path);
    } catch (err) {
      if (err instanceof WorkspaceError && err.code === 'ENOENT') return null;
      throw err;
    }
  }

  async function fileAt(path: string): Promise<FileSystemFileHandle> {
    if (path === '') throw new WorkspaceError('EISDIR', 'is a directory: .');
    const parent = await dirAt(parentOf(path), false);
    try {
      return await parent.getFileHandle(baseName(path));
    } catch (err) {
      if (errorName(err) === 'TypeMismatchError') throw new WorkspaceError('EISDIR', `is a directory: ${path}`);
      throw toWorkspaceError(err, path);
    }
  }

  async function read(path: string): Promise<Uint8Array> {
    const p = normalizePath(path);
    const file = await guard(p, async () => (await fileAt(p)).getFile());
    return new Uint8Array(await guard(p, () => file.arrayBuffer()));
  }

  /**
   * Writes `data` to the normalized `path`, parents created. createWritable writes to a swap file
   * that replaces the old content only on close(), so a failed write (quota, a crash) leaves the
   * previous version whole.
   */
  async function write(path: string, data: Uint8Array<ArrayBuffer> | Blob): Promise<void> {
    if (path === '') throw new WorkspaceError('EISDIR', 'is a directory: .');
    const parent = await dirAt(parentOf(path), true);
    const name = baseName(path);
    let handle: FileSystemFileHandle | null = null;
    let created = false;
    for (const create of [false, true]) {
      try {
        handle = await parent.getFileHandle(name, { create });
        created = create;
        break;
      } catch (err) {
        if (errorName(err) === 'TypeMismatchError') throw new WorkspaceError('EISDIR', `is a directory: ${path}`);
        if (create || errorName(err) !== 'NotFoundError') throw toWorkspaceError(err, path);
      }
    }
    const file = handle as FileSystemFileHandle;
    try {
      const writable = await file.createWritable();
      try {
        await writable.write(data);
        await writable.close();
      } catch (err) {
        await writable.abort().catch(() => undefined);
        throw err;
      }
    } catch (err) {
      // A file this write created must not stay behind empty.
      if (created) await parent.removeEntry(name).catch(() => undefined);
      throw toWorkspaceError(err, path);
    }
    const written = await guard(path, () => file.getFile());
    stamps.written(path, written.size, written.lastModified);
  }

  /** Copies a file or a directory tree to `to` (which must not exist, or be an empty directory). */
  async function copy(handle: Handle, to: string): Promise<void> {
    if (handle.kind === 'file') {
      // A File is a Blob: the browser copies it without passing the bytes through JS.
      await write(to, await guard(to, () => handle.getFile()));
      return;
    }
    await dirAt(to, true);
    // Every entry, also one whose name no path can spell: joinPath then throws and the rename
    // is abandoned, rather than the source removed with that entry still in it.
    for (const [name, child] of await guard(to, () => allEntries(handle))) await copy(child, joinPath(to, name));
  }

  async function removeAt(path: string): Promise<void> {
    const parent = await dirAt(parentOf(path), false);
    await guard(path, () => parent.removeEntry(baseName(path), { recursive: true }));
  }

  return {
    kind: 'opfs',

    async manifest(): Promise<Manifest> {
      const manifest: Manifest = { files: pathRecord(), dirs: [] };
      const walk = async (handle: FileSystemDirectoryHandle, path: string): Promise<void> => {
        const entries = await guard(path, () => entriesOf(handle, path));
        // Files of one directory are read in parallel; the order of the result stays sorted.
        const files = await Promise.all(
          entries.map(async ([, child, at]) => (child.kind === 'file' ? guard(at, () => child.getFile()) : null)),
        );
        for (const [i, [, child, at]] of entries.entries()) {
          const file = files[i];
          if (file) {
            manifest.files[at] = { size: file.size, mtime: stamps.observe(at, file.size, file.lastModified) };
          } else if (child.kind === 'directory') {
            manifest.dirs.push(at);
            await walk(child, at);
          }
        }
      };
      await walk(dir, '');
      return manifest;
    },

    readFile: read,

    async readText(path: string): Promise<string> {
      return decoder.decode(await read(path));
    },

    async writeFile(path: string, data: Uint8Array | string): Promise<void> {
      // Always a private copy: the caller may change its array while the write is under way.
      await write(normalizePath(path), typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data));
    },

    async mkdir(path: string): Promise<void> {
      await dirAt(normalizePath(path), true, 'EEXIST');
    },

    async remove(path: string): Promise<void> {
      const p = normalizePath(path);
      if (p === '') throw new WorkspaceError('EINVAL', 'cannot remove the workspace root');
      await removeAt(p);
    },

    /**
     * OPFS has no move that works across directories in every browser, so a rename is a copy
     * followed by removing the source. If the copy fails (quota), the partial copy is removed and
     * the source is left as it was; nothing is lost either way.
     */
    async rename(from: string, to: string): Promise<void> {
      const src = normalizePath(from);
      const dst = normalizePath(to);
      if (src === '' || dst === '') throw new WorkspaceError('EINVAL', 'cannot rename the workspace root');
      const source = await handleAt(src);
      if (src === dst) return;
      if (source.kind === 'directory' && dst.startsWith(`${src}/`)) throw new WorkspaceError('EINVAL', `cannot move ${src} into itself: ${dst}`);
      const target = await handleOrNull(dst);
      if (target) {
        if (source.kind === 'file' && target.kind === 'directory') throw new WorkspaceError('EISDIR', `is a directory: ${dst}`);
        if (source.kind === 'directory' && target.kind === 'file') throw new WorkspaceError('ENOTDIR', `not a directory: ${dst}`);
        if (target.kind === 'directory' && (await guard(dst, () => allEntries(target))).length > 0) {
          throw new WorkspaceError('ENOTEMPTY', `directory not empty: ${dst}`);
        }
      }
      try {
        await copy(source, dst);
      } catch (err) {
        // A file copied over a file never replaced it (see `write`); a new tree is taken away again.
        if (source.kind === 'directory') {
          await removeAt(dst).catch(() => undefined);
          if (target) await dirAt(dst, true).catch(() => undefined);
        }
        throw err;
      }
      await removeAt(src);
    },

    async readdir(path: string): Promise<DirEntry[]> {
      const p = normalizePath(path);
      const handle = await dirAt(p, false);
      const entries = await guard(p, () => entriesOf(handle, p));
      return Promise.all(
        entries.map(async ([name, child, at]): Promise<DirEntry> => {
          if (child.kind === 'directory') return { name, path: at, kind: 'dir', size: 0 };
          const file = await guard(at, () => child.getFile());
          return { name, path: at, kind: 'file', size: file.size };
        }),
      );
    },

    async exists(path: string): Promise<boolean> {
      const p = normalizePath(path);
      try {
        return (await handleOrNull(p)) !== null;
      } catch (err) {
        if (err instanceof WorkspaceError && err.code === 'ENOTDIR') return false;
        throw err;
      }
    },
  };
}

/** Runs an OPFS call, turning its DOMExceptions into WorkspaceErrors about `path`. */
async function guard<T>(path: string, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (err) {
    throw toWorkspaceError(err, path);
  }
}
