/// <reference lib="webworker" />
/**
 * The OPFS workspace itself, as it runs inside the file system worker (opfs-worker.ts): file bytes
 * move through synchronous access handles, which only dedicated workers have and which skip the
 * swap file that `createWritable` writes and copies on close. Directory handles are cached.
 * No DOM globals; the page reaches this through the client in opfs.ts.
 */

import type { Manifest } from '../protocol.ts';
import { pathRecord } from '../records.ts';
import { WorkspaceError, baseName, errorGuard, joinPath, normalizePath, parentOf } from './paths.ts';
import type { DirEntry, Workspace } from './workspace.ts';

type Handle = FileSystemDirectoryHandle | FileSystemFileHandle;

/** Smallest step between two stamps of a path: 2^-10 ms, exactly representable next to epoch ms. */
const STAMP_STEP = 1 / 1024;

/** How many `getFile()` calls a manifest or listing keeps in flight. */
const STAT_CONCURRENCY = 64;

/** Attempts to open a file another context holds locked (another tab's worker), and the first pause. */
const LOCK_ATTEMPTS = 6;
const LOCK_PAUSE_MS = 2;

/**
 * Stamps for OPFS files. `File.lastModified` has whole-millisecond resolution, and OPFS offers no
 * way to set it, so two writes within one millisecond can leave a file with the same size and
 * lastModified: a sync by (size, mtime) would miss the second. Hence the stamp is lastModified,
 * pushed forward when needed by a per-path memory of what this workspace last reported:
 * - after a write through this workspace, the next stamp of the path is above every stamp reported
 *   for it (so also after remove + recreate, or a rename onto it), at least lastModified;
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
    const stamp = prev && lastModified <= prev.stamp ? prev.stamp + STAMP_STEP : lastModified;
    this.seen.set(path, { size, lastModified, stamp });
    return stamp;
  }

  /**
   * This workspace has just written `path`. Its new lastModified is not read (that would cost a
   * `getFile()` per write); forgetting what was seen makes the next `observe` count it as changed,
   * which yields a stamp above the last one.
   */
  written(path: string): void {
    const prev = this.seen.get(path);
    if (prev) this.seen.set(path, { size: -1, lastModified: Number.NaN, stamp: prev.stamp });
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

/** Runs an OPFS call, turning its DOMExceptions into WorkspaceErrors about `path`. */
const guard = errorGuard(toWorkspaceError);

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

/** `task` over every item, at most `limit` at a time; results in the items' order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/**
 * Opens a file's synchronous access handle. It is exclusive: another tab's worker may hold it for
 * the moment of one read or write, so a lock conflict is retried briefly before it is reported.
 */
async function openSync(file: FileSystemFileHandle): Promise<FileSystemSyncAccessHandle> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await file.createSyncAccessHandle();
    } catch (err) {
      if (errorName(err) !== 'NoModificationAllowedError' || attempt >= LOCK_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, LOCK_PAUSE_MS << attempt));
    }
  }
}

function readAll(access: FileSystemSyncAccessHandle): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(access.getSize());
  let at = 0;
  while (at < data.length) {
    const n = access.read(data.subarray(at), { at });
    if (n === 0) break;
    at += n;
  }
  return at === data.length ? data : data.slice(0, at);
}

/**
 * Replaces a file's content in place. A file that grows is first extended to its new size, so a
 * refused quota (QuotaExceededError) fails before any byte changed; the old content is then kept.
 * Unlike `createWritable`'s swap file this is not atomic against the process dying between
 * `write` and `truncate` (a window of one system call), which is the price of the speed.
 */
function writeAll(access: FileSystemSyncAccessHandle, data: Uint8Array<ArrayBuffer>): void {
  const old = access.getSize();
  if (data.length > old) {
    try {
      access.truncate(data.length);
    } catch (err) {
      access.truncate(old);
      throw err;
    }
  }
  let at = 0;
  while (at < data.length) at += access.write(data.subarray(at), { at });
  if (data.length < old) access.truncate(data.length);
  access.flush();
}

/**
 * A workspace over an OPFS directory for a dedicated worker (it needs synchronous access handles).
 * Calls must not overlap: opfs-worker.ts runs them one at a time, which also keeps two opens of
 * one file's exclusive handle from colliding.
 */
export function createSyncOpfsWorkspace(root: FileSystemDirectoryHandle): Workspace {
  const stamps = new StampKeeper();
  /** Directory handles by workspace path; dropped for a subtree when it is removed or moved. */
  const dirs = new Map<string, FileSystemDirectoryHandle>([['', root]]);

  function forgetDirs(path: string): void {
    for (const key of dirs.keys()) if (key !== '' && (path === '' || key === path || key.startsWith(`${path}/`))) dirs.delete(key);
  }

  /**
   * The directory at `path`; with `create`, it and its parents are made. A file in the way is
   * ENOTDIR, or `lastIsFile` when it is the last component (mkdir says EEXIST there).
   */
  async function dirAt(path: string, create: boolean, lastIsFile: 'ENOTDIR' | 'EEXIST' = 'ENOTDIR'): Promise<FileSystemDirectoryHandle> {
    const cached = dirs.get(path);
    if (cached) return cached;
    const parts = path.split('/');
    let handle = root;
    for (let i = 0; i < parts.length; i++) {
      const at = parts.slice(0, i + 1).join('/');
      const known = dirs.get(at);
      if (known) {
        handle = known;
        continue;
      }
      try {
        handle = await handle.getDirectoryHandle(parts[i] as string, { create });
      } catch (err) {
        if (errorName(err) === 'TypeMismatchError') {
          const code = i === parts.length - 1 ? lastIsFile : 'ENOTDIR';
          throw new WorkspaceError(code, `${code === 'EEXIST' ? 'file exists' : 'not a directory'}: ${at}`);
        }
        throw toWorkspaceError(err, create ? at : path);
      }
      dirs.set(at, handle);
    }
    return handle;
  }

  /**
   * Runs `task` on `path`, which starts from cached directory handles. When it finds nothing, a
   * cached parent may be stale (removed behind our back, by another tab), so the handles on the
   * path are looked up again from the root and `task` runs once more.
   */
  async function fresh<T>(path: string, task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (err) {
      if (!(err instanceof WorkspaceError && err.code === 'ENOENT')) throw err;
      let stale = false;
      for (let dir = path; dir !== ''; dir = parentOf(dir)) stale = dirs.delete(dir) || stale;
      if (!stale) throw err;
      return task();
    }
  }

  /** The handle at `path`, file or directory. */
  async function handleAt(path: string): Promise<Handle> {
    if (path === '') return root;
    const parent = await dirAt(parentOf(path), false);
    const name = baseName(path);
    try {
      return await parent.getFileHandle(name);
    } catch (err) {
      if (errorName(err) !== 'TypeMismatchError') throw toWorkspaceError(err, path);
    }
    return guard(path, () => parent.getDirectoryHandle(name));
  }

  /** The handle at `path`, or null when nothing is there. */
  async function handleOrNull(path: string): Promise<Handle | null> {
    try {
      return await fresh(path, () => handleAt(path));
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

  async function readHandle(file: FileSystemFileHandle, path: string): Promise<Uint8Array<ArrayBuffer>> {
    const access = await guard(path, () => openSync(file));
    try {
      return readAll(access);
    } catch (err) {
      throw toWorkspaceError(err, path);
    } finally {
      access.close();
    }
  }

  /** Writes `data` to the normalized `path`, parents created; a file this write created does not stay behind on failure. */
  async function write(path: string, data: Uint8Array<ArrayBuffer>): Promise<void> {
    if (path === '') throw new WorkspaceError('EISDIR', 'is a directory: .');
    const parent = await dirAt(parentOf(path), true);
    const name = baseName(path);
    let file: FileSystemFileHandle | null = null;
    let created = false;
    for (const create of [false, true]) {
      try {
        file = await parent.getFileHandle(name, { create });
        created = create;
        break;
      } catch (err) {
        if (errorName(err) === 'TypeMismatchError') throw new WorkspaceError('EISDIR', `is a directory: ${path}`);
        if (create || errorName(err) !== 'NotFoundError') throw toWorkspaceError(err, path);
      }
    }
    try {
      const access = await openSync(file as FileSystemFileHandle);
      try {
        writeAll(access, data);
      } finally {
        access.close();
      }
    } catch (err) {
      if (created) await parent.removeEntry(name).catch(() => undefined);
      throw toWorkspaceError(err, path);
    }
    stamps.written(path);
  }

  /** Copies a file or a directory tree to `to` (which must not exist, or be an empty directory). */
  async function copy(handle: Handle, to: string): Promise<void> {
    if (handle.kind === 'file') {
      await write(to, await readHandle(handle, to));
      return;
    }
    await dirAt(to, true);
    // Every entry, also one whose name no path can spell: joinPath then throws and the rename
    // is abandoned, rather than the source removed with that entry still in it.
    for (const [name, child] of await guard(to, () => allEntries(handle))) await copy(child, joinPath(to, name));
  }

  async function removeAt(path: string): Promise<void> {
    const parent = await fresh(path, () => dirAt(parentOf(path), false));
    forgetDirs(path);
    await guard(path, () => parent.removeEntry(baseName(path), { recursive: true }));
  }

  /** Sizes and lastModified of files, a bounded number of `getFile()` calls at a time. */
  function statFiles(files: ReadonlyArray<[FileSystemFileHandle, string]>): Promise<File[]> {
    return mapLimited(files, STAT_CONCURRENCY, ([handle, path]) => guard(path, () => handle.getFile()));
  }

  return {
    kind: 'opfs',

    async manifest(): Promise<Manifest> {
      const files: Array<[FileSystemFileHandle, string]> = [];
      const found: string[] = [];
      const walk = async (handle: FileSystemDirectoryHandle, path: string): Promise<void> => {
        for (const [, child, at] of await guard(path, () => entriesOf(handle, path))) {
          if (child.kind === 'file') {
            files.push([child, at]);
          } else {
            found.push(at);
            dirs.set(at, child);
            await walk(child, at);
          }
        }
      };
      await walk(root, '');
      // Every file's stamp in one bounded-parallel pass over the whole tree, not per directory.
      const stats = await statFiles(files);
      const manifest: Manifest = { files: pathRecord(), dirs: found };
      for (const [i, [, at]] of files.entries()) {
        const file = stats[i] as File;
        manifest.files[at] = { size: file.size, mtime: stamps.observe(at, file.size, file.lastModified) };
      }
      return manifest;
    },

    async readFile(path: string): Promise<Uint8Array> {
      const p = normalizePath(path);
      return readHandle(await fresh(p, () => fileAt(p)), p);
    },

    async readText(path: string): Promise<string> {
      return new TextDecoder().decode(await this.readFile(path));
    },

    async writeFile(path: string, data: Uint8Array | string): Promise<void> {
      const p = normalizePath(path);
      // No private copy: the worker's caller hands over (transfers) its array.
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : (data as Uint8Array<ArrayBuffer>);
      await fresh(p, () => write(p, bytes));
    },

    async mkdir(path: string): Promise<void> {
      const p = normalizePath(path);
      // Not from the cache: the directory may have been removed behind our back.
      forgetDirs(p);
      await fresh(p, () => dirAt(p, true, 'EEXIST'));
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
      const source = await fresh(src, () => handleAt(src));
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
        // A file copied over a file kept its old content on failure (see `writeAll`); a new tree is taken away again.
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
      const handle = await fresh(p, () => dirAt(p, false));
      const entries = await guard(p, () => entriesOf(handle, p));
      const stats = await statFiles(entries.flatMap(([, child, at]): Array<[FileSystemFileHandle, string]> => (child.kind === 'file' ? [[child, at]] : [])));
      let i = 0;
      return entries.map(([name, child, at]): DirEntry => {
        if (child.kind === 'directory') return { name, path: at, kind: 'dir', size: 0 };
        return { name, path: at, kind: 'file', size: (stats[i++] as File).size };
      });
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
