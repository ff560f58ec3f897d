import { WorkspaceError, joinPath, normalizePath, parentOf } from '../fs/paths.ts';
import type { FileStamp, Manifest, WorkspaceChanges } from '../protocol.ts';
import { pathRecord } from '../records.ts';

/** A frozen view of the tree's files, taken before a job, to tell what the job changed. */
export type TreeSnapshot = ReadonlyMap<string, Uint8Array>;

/**
 * The workspace as the sandbox worker holds it: an in-memory tree that every runtime
 * (Python, WASI, Ruby, clang) and the shell read and write during a job. Before a job it is
 * synced from the host's workspace (only files whose stamp changed are fetched); after the job
 * the difference is sent back. Paths are workspace-relative and normalized.
 */
export class FileTree {
  private readonly files = new Map<string, Uint8Array>();
  private readonly dirs = new Set<string>();
  private readonly stamps = new Map<string, FileStamp>();
  private dirsBefore = new Set<string>();

  /**
   * Takes the stamps the host saved this tree's own writes with (see SandboxWorkerApi.run): a file
   * the tree wrote and still holds needs no fetch while its stamp stays the same.
   */
  confirm(stamps: Record<string, FileStamp>): void {
    for (const [path, stamp] of Object.entries(stamps)) {
      if (this.files.has(path) && !this.stamps.has(path)) this.stamps.set(path, stamp);
    }
  }

  /** Brings the tree up to date with the host's manifest, fetching only changed files. */
  async sync(manifest: Manifest, readFiles: (paths: string[]) => Promise<Record<string, Uint8Array>>): Promise<void> {
    for (const path of [...this.files.keys()]) {
      if (!Object.hasOwn(manifest.files, path)) {
        this.files.delete(path);
        this.stamps.delete(path);
      }
    }
    this.dirs.clear();
    for (const dir of manifest.dirs) this.dirs.add(dir);
    const stale = Object.entries(manifest.files)
      .filter(([path, stamp]) => {
        const known = this.stamps.get(path);
        return !known || known.size !== stamp.size || known.mtime !== stamp.mtime || !this.files.has(path);
      })
      .map(([path]) => path);
    if (stale.length > 0) {
      const fetched = await readFiles(stale);
      for (const path of stale) {
        const data = fetched[path];
        if (data) this.files.set(path, data);
      }
    }
    for (const [path, stamp] of Object.entries(manifest.files)) this.stamps.set(path, stamp);
    for (const path of this.files.keys()) this.addParents(path);
  }

  /** A snapshot to diff against after a job. Data arrays are shared: writers replace, never mutate. */
  snapshot(): TreeSnapshot {
    this.dirsBefore = new Set(this.dirs);
    return new Map(this.files);
  }

  /** What changed since `before`: files written (new or different bytes), removed, and all dirs. */
  changesSince(before: TreeSnapshot): WorkspaceChanges {
    const written = pathRecord<Uint8Array>();
    for (const [path, data] of this.files) {
      const old = before.get(path);
      if (old === data) continue;
      if (old && sameBytes(old, data)) continue;
      written[path] = data;
      this.stamps.delete(path);
    }
    const removedDirs = [...this.dirsBefore].filter((dir) => !this.dirs.has(dir));
    // Only the top of a removed subtree: removing it removes the rest.
    const removedTops = removedDirs.filter((dir) => !removedDirs.some((other) => dir.startsWith(`${other}/`)));
    const removed = [...before.keys()].filter((path) => !this.files.has(path) && !removedTops.some((dir) => path.startsWith(`${dir}/`)));
    return { written, removed: [...removed, ...removedTops].sort(), dirs: [...this.dirs].sort() };
  }

  isFile(path: string): boolean {
    return this.files.has(normalizePath(path));
  }

  isDir(path: string): boolean {
    const p = normalizePath(path);
    return p === '' || this.dirs.has(p);
  }

  exists(path: string): boolean {
    return this.isFile(path) || this.isDir(path);
  }

  /** The bytes of a file; throws ENOENT/EISDIR. Callers must not mutate the result. */
  readFile(path: string): Uint8Array {
    const p = normalizePath(path);
    const data = this.files.get(p);
    if (data) return data;
    if (this.isDir(p)) throw new WorkspaceError('EISDIR', `is a directory: ${p}`);
    throw new WorkspaceError('ENOENT', `no such file: ${p}`);
  }

  readText(path: string): string {
    return new TextDecoder().decode(this.readFile(path));
  }

  /** Writes a whole file (the array is kept, not copied); parents must exist or are created with `parents`. */
  writeFile(path: string, data: Uint8Array | string, parents = true): void {
    const p = normalizePath(path);
    if (p === '' || this.dirs.has(p)) throw new WorkspaceError('EISDIR', `is a directory: ${p || '.'}`);
    const dir = parentOf(p);
    if (!this.isDir(dir)) {
      if (!parents) throw new WorkspaceError('ENOENT', `no such directory: ${dir}`);
      this.mkdir(dir);
    }
    this.files.set(p, typeof data === 'string' ? new TextEncoder().encode(data) : data);
  }

  /** Creates a directory and its parents; fails if a file is in the way. */
  mkdir(path: string): void {
    const p = normalizePath(path);
    if (p === '') return;
    if (this.files.has(p)) throw new WorkspaceError('EEXIST', `a file exists at ${p}`);
    this.addParents(`${p}/x`);
  }

  /** Removes a file, or a directory and everything below it. */
  remove(path: string): void {
    const p = normalizePath(path);
    if (p === '') throw new WorkspaceError('EACCES', 'cannot remove the workspace root');
    if (this.files.delete(p)) return;
    if (!this.dirs.has(p)) throw new WorkspaceError('ENOENT', `no such file or directory: ${p}`);
    for (const key of [...this.files.keys()]) if (key.startsWith(`${p}/`)) this.files.delete(key);
    for (const key of [...this.dirs]) if (key === p || key.startsWith(`${p}/`)) this.dirs.delete(key);
  }

  /** Moves a file or directory. */
  rename(from: string, to: string): void {
    const a = normalizePath(from);
    const b = normalizePath(to);
    if (a === '' || b === '') throw new WorkspaceError('EACCES', 'cannot move the workspace root');
    if (b === a || b.startsWith(`${a}/`)) throw new WorkspaceError('EINVAL', `cannot move ${a} into itself`);
    const data = this.files.get(a);
    if (data) {
      this.files.delete(a);
      this.writeFile(b, data);
      return;
    }
    if (!this.dirs.has(a)) throw new WorkspaceError('ENOENT', `no such file or directory: ${a}`);
    this.mkdir(b);
    for (const [key, value] of [...this.files]) {
      if (key.startsWith(`${a}/`)) {
        this.files.delete(key);
        this.files.set(b + key.slice(a.length), value);
      }
    }
    for (const key of [...this.dirs]) {
      if (key === a || key.startsWith(`${a}/`)) {
        this.dirs.delete(key);
        this.dirs.add(b + key.slice(a.length));
      }
    }
  }

  /** Direct children of a directory, sorted by name. */
  list(dir: string): { name: string; path: string; kind: 'file' | 'dir'; size: number }[] {
    const d = normalizePath(dir);
    if (!this.isDir(d)) {
      if (this.files.has(d)) throw new WorkspaceError('ENOTDIR', `not a directory: ${d}`);
      throw new WorkspaceError('ENOENT', `no such directory: ${d}`);
    }
    const prefix = d === '' ? '' : `${d}/`;
    const out: { name: string; path: string; kind: 'file' | 'dir'; size: number }[] = [];
    for (const key of this.dirs) {
      if (key.startsWith(prefix) && !key.slice(prefix.length).includes('/') && key !== d) {
        out.push({ name: key.slice(prefix.length), path: key, kind: 'dir', size: 0 });
      }
    }
    for (const [key, data] of this.files) {
      if (key.startsWith(prefix) && !key.slice(prefix.length).includes('/')) {
        out.push({ name: key.slice(prefix.length), path: key, kind: 'file', size: data.byteLength });
      }
    }
    return out.sort((x, y) => x.name.localeCompare(y.name));
  }

  /** Every file path and its bytes. */
  allFiles(): IterableIterator<[string, Uint8Array]> {
    return this.files.entries();
  }

  /** Every directory path. */
  allDirs(): IterableIterator<string> {
    return this.dirs.values();
  }

  /** Resolves `name` against a working directory, as a shell or runtime would. */
  resolve(cwd: string, name: string): string {
    if (name.startsWith('/workspace/') || name === '/workspace') return normalizePath(name.slice('/workspace'.length).replace(/^\/+/, ''));
    return joinPath(cwd, name);
  }

  private addParents(path: string): void {
    let dir = parentOf(path);
    while (dir !== '') {
      this.dirs.add(dir);
      dir = parentOf(dir);
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
