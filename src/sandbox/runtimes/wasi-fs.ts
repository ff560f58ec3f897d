/**
 * The bridge between the worker's FileTree and @bjorn3/browser_wasi_shim: the workspace as WASI
 * preopens (in-memory inodes) for one run, the run's changes written back afterwards, and the
 * stdio file descriptors every WASI-based runtime (plain WASI programs, Ruby) uses.
 */
import { Directory, Fd, File, Inode, OpenDirectory, OpenFile, PreopenDirectory, wasi } from '@bjorn3/browser_wasi_shim';
import { WorkspaceError, baseName, joinPath, normalizePath, parentOf } from '../fs/paths.ts';
import type { FileTree } from '../worker/tree.ts';

/** Where the workspace appears to programs. */
export const WORKSPACE_ROOT = '/workspace';

const EMPTY = new Uint8Array(0);

/**
 * A regular file of the mount: one from the FileTree or one the program created.
 *
 * The first `length` bytes of `data` are the file; the rest is spare capacity that doubles as
 * the file grows. The shim's OpenFile reallocates a file to exactly its new size on every write
 * that extends it, so writing 16 MiB in 64 KiB chunks copied ~2 GiB; doubling keeps the copying
 * linear in the bytes written. Bytes past `length` are stale, not zeros: whatever makes the file
 * longer zero-fills the gap first.
 *
 * A file from the FileTree shares the tree's array (`origin`) until the program first changes its
 * bytes, then works on a copy: FileTree arrays are never mutated (snapshots rely on that), and a
 * file that is only read (or only shrunk) costs no copy at all.
 */
class WorkspaceFile extends File {
  /** The file's size in bytes; `data` may be longer. */
  length: number;

  constructor(
    readonly origin: Uint8Array,
    /** Where the FileTree had it, or null for a file the program created. */
    readonly originPath: string | null,
  ) {
    super(EMPTY);
    this.data = origin;
    this.length = origin.byteLength;
  }

  /** The shim's `stat()` (fstat and stat by path) reads this. */
  override get size(): bigint {
    return BigInt(this.length);
  }

  /** True when the program may have changed the bytes (it wrote, truncated or resized). */
  get touched(): boolean {
    return this.data !== this.origin || this.length !== this.origin.byteLength;
  }

  /** Exactly the file's bytes, for the FileTree: never an array with spare capacity behind it. */
  contents(): Uint8Array {
    return this.length === this.data.byteLength ? this.data : this.data.slice(0, this.length);
  }

  /** Writes `bytes` at `offset`; a gap past the old end reads as zeros. False when memory runs out. */
  write(bytes: Uint8Array, offset: number): boolean {
    if (bytes.byteLength === 0) return true;
    const end = offset + bytes.byteLength;
    if (!this.reserve(end)) return false;
    if (offset > this.length) this.data.fill(0, this.length, offset);
    this.data.set(bytes, offset);
    this.length = Math.max(this.length, end);
    return true;
  }

  /** Sets the size: shrinking keeps the array, growing appends zeros. False when memory runs out. */
  resize(size: number): boolean {
    if (size > this.length) {
      if (!this.reserve(size)) return false;
      this.data.fill(0, this.length, size);
    }
    this.length = size;
    return true;
  }

  /**
   * Makes `data` an array of this file's own (not the FileTree's) with room for `size` bytes.
   * The first copy is at least as big as the FileTree's array, so a program rewriting a file
   * (O_TRUNC, then about as much again) writes into one array with no regrowth; capacity it
   * never writes costs address space only, as large arrays come zeroed on demand.
   */
  private reserve(size: number): boolean {
    const owned = this.data !== this.origin;
    if (owned && size <= this.data.byteLength) return true;
    let grown: Uint8Array;
    try {
      grown = new Uint8Array(Math.max(size, this.length, owned ? 2 * this.data.byteLength : this.origin.byteLength));
    } catch {
      // The generous capacity can be more than the engine gives where the exact size still fits.
      try {
        grown = new Uint8Array(Math.max(size, this.length));
      } catch {
        return false;
      }
    }
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
    return true;
  }

  override path_open(oflags: number, _rights: bigint, fdFlags: number): { ret: number; fd_obj: OpenFile } {
    if ((oflags & wasi.OFLAGS_TRUNC) === wasi.OFLAGS_TRUNC) this.resize(0);
    return { ret: wasi.ERRNO_SUCCESS, fd_obj: new WorkspaceOpenFile(this, (fdFlags & wasi.FDFLAGS_APPEND) !== 0) };
  }
}

/**
 * An fd open on a WorkspaceFile. It replaces every OpenFile method that touches `file.data`, so
 * sizes, reads and seeks go by the file's `length`, never by the length of its array.
 */
class WorkspaceOpenFile extends OpenFile {
  declare file: WorkspaceFile;

  constructor(
    file: WorkspaceFile,
    private readonly append: boolean,
  ) {
    super(file);
    if (append) this.file_pos = BigInt(file.length);
  }

  override fd_read(size: number): { ret: number; data: Uint8Array } {
    const result = this.fd_pread(size, this.file_pos);
    this.file_pos += BigInt(result.data.byteLength);
    return result;
  }

  override fd_pread(size: number, offset: bigint): { ret: number; data: Uint8Array } {
    if (offset < 0n) return { ret: wasi.ERRNO_INVAL, data: EMPTY };
    const start = Math.min(Number(offset), this.file.length);
    // A view, not a copy: the shim copies it into guest memory at once.
    return { ret: wasi.ERRNO_SUCCESS, data: this.file.data.subarray(start, Math.min(this.file.length, start + size)) };
  }

  override fd_seek(offset: bigint, whence: number): { ret: number; offset: bigint } {
    if (whence !== wasi.WHENCE_END) return super.fd_seek(offset, whence);
    return super.fd_seek(BigInt(this.file.length) + offset, wasi.WHENCE_SET);
  }

  override fd_write(data: Uint8Array): { ret: number; nwritten: number } {
    // O_APPEND writes at the end every time, not only after open as the shim does.
    if (this.append) this.file_pos = BigInt(this.file.length);
    const result = this.fd_pwrite(data, this.file_pos);
    this.file_pos += BigInt(result.nwritten);
    return result;
  }

  override fd_pwrite(data: Uint8Array, offset: bigint): { ret: number; nwritten: number } {
    if (offset < 0n) return { ret: wasi.ERRNO_INVAL, nwritten: 0 };
    if (!this.file.write(data, Number(offset))) return { ret: wasi.ERRNO_FBIG, nwritten: 0 };
    return { ret: wasi.ERRNO_SUCCESS, nwritten: data.byteLength };
  }

  override fd_allocate(offset: bigint, len: bigint): number {
    if (offset < 0n || len < 0n) return wasi.ERRNO_INVAL;
    const end = Number(offset + len);
    if (end <= this.file.length) return wasi.ERRNO_SUCCESS;
    return this.file.resize(end) ? wasi.ERRNO_SUCCESS : wasi.ERRNO_FBIG;
  }

  override fd_filestat_set_size(size: bigint): number {
    if (size < 0n) return wasi.ERRNO_INVAL;
    return this.file.resize(Number(size)) ? wasi.ERRNO_SUCCESS : wasi.ERRNO_FBIG;
  }
}

/**
 * A directory of the mount. The shim creates new entries as its own File and Directory, whose
 * writes would copy the whole file again; this puts ours in their place, so every file and
 * directory a program creates is one of ours too.
 */
class WorkspaceDirectory extends Directory {
  override create_entry_for_path(path: string, isDir: boolean): { ret: number; entry: Inode | null } {
    // The shim checks the path and that nothing is there yet, and creates the entry.
    const made = super.create_entry_for_path(path, isDir);
    if (!made.entry) return made;
    // It got past the shim's path check, so resolving `.`/`..` lexically finds the same place.
    const parts: string[] = [];
    for (const part of path.split('/')) {
      if (part === '..') parts.pop();
      else if (part !== '' && part !== '.') parts.push(part);
    }
    const name = parts.pop();
    const parent = parts.reduce<Inode | undefined>((dir, part) => (dir instanceof Directory ? dir.contents.get(part) : undefined), this);
    if (name === undefined || !(parent instanceof Directory) || parent.contents.get(name) !== made.entry) return made;
    const entry = isDir ? new WorkspaceDirectory(new Map()) : new WorkspaceFile(EMPTY, null);
    parent.contents.set(name, entry);
    return { ret: made.ret, entry };
  }
}

/** What writing a run's changes back did. */
export interface WriteBackResult {
  /** Workspace paths created, modified or removed. */
  changed: string[];
  /** Names the program created that the workspace cannot hold (control characters, `\`, too long), with why. */
  skipped: { path: string; reason: string }[];
}

/** The workspace mounted for one run. */
export interface WorkspaceMount {
  /** The preopened directories, in fd order (fd 3 onwards): `/workspace`, then `.` at the cwd if asked for. */
  readonly preopens: PreopenDirectory[];
  /** The absolute working directory programs should see, e.g. `/workspace/src`. */
  readonly cwdPath: string;
  /** Writes files and directories the program created, changed or removed back into `tree`. */
  writeBack(tree: FileTree): WriteBackResult;
}

/** Options of `mountWorkspace`. */
export interface MountOptions {
  /**
   * Also preopen the working directory as `.`. wasi-libc resolves a relative path against the
   * preopen with the longest matching name, and only `.` (name stripped to ``) matches relative
   * names, so without it `fopen("out.txt")` fails with ENOENT in programs that never `chdir`.
   * Paths on `.` are resolved from the workspace root (`cwd/path`), so `../x` works inside the
   * workspace; above the root the shim refuses with ENOTCAPABLE.
   * Side effect: wasi-libc strips the `/` of an absolute path outside /workspace (e.g. `/x`)
   * before matching, so it lands on `.` as `x`: still inside the workspace.
   */
  cwdPreopen: boolean;
}

/**
 * Mounts the tree as in-memory inodes under `/workspace` for one run. File bytes are shared
 * until written (copy on write); directories are built fresh. Throws ENOENT/ENOTDIR when `cwd`
 * is not a directory of the tree.
 */
export function mountWorkspace(tree: FileTree, cwd: string, options: MountOptions): WorkspaceMount {
  const cwdRel = normalizePath(cwd);
  if (!tree.isDir(cwdRel)) {
    throw new WorkspaceError(tree.isFile(cwdRel) ? 'ENOTDIR' : 'ENOENT', `working directory not found: ${cwdRel}`);
  }
  const dirs = buildDirectories(tree);
  const rootDir = dirs.get('');
  const cwdDir = dirs.get(cwdRel);
  if (!rootDir || !cwdDir) throw new WorkspaceError('ENOENT', `working directory not found: ${cwdRel}`);

  const root = preopen(WORKSPACE_ROOT, rootDir);
  const preopens = options.cwdPreopen ? [root, cwdRel === '' ? preopen('.', rootDir) : new CwdPreopen(cwdDir, rootDir, cwdRel)] : [root];
  return {
    preopens,
    cwdPath: cwdRel === '' ? WORKSPACE_ROOT : `${WORKSPACE_ROOT}/${cwdRel}`,
    writeBack: (target) => writeBack(root.dir, target),
  };
}

/** A preopen for an existing directory inode (the shim's constructor would wrap a new one). */
function preopen(name: string, dir: Directory): PreopenDirectory {
  const fd = new PreopenDirectory(name, new Map());
  fd.dir = dir;
  return fd;
}

/**
 * The `.` preopen for a working directory below the root: stat and readdir see the directory,
 * while path operations resolve `cwd/path` from the root, so `..` can climb to the root and no
 * further (the shim's path walk refuses that with ENOTCAPABLE).
 */
class CwdPreopen extends PreopenDirectory {
  constructor(
    dir: Directory,
    private readonly root: Directory,
    private readonly cwd: string,
  ) {
    super('.', new Map());
    this.dir = dir;
  }

  private at(path: string): { fd: OpenDirectory; path: string } {
    // Absolute paths stay absolute: the shim refuses them.
    return { fd: new OpenDirectory(this.root), path: path.startsWith('/') ? path : `${this.cwd}/${path}` };
  }

  override path_open(dirflags: number, path: string, oflags: number, base: bigint, inheriting: bigint, fdFlags: number): { ret: number; fd_obj: Fd | null } {
    const r = this.at(path);
    return r.fd.path_open(dirflags, r.path, oflags, base, inheriting, fdFlags);
  }

  override path_filestat_get(flags: number, path: string): { ret: number; filestat: wasi.Filestat | null } {
    const r = this.at(path);
    return r.fd.path_filestat_get(flags, r.path);
  }

  override path_lookup(path: string, dirflags: number): { ret: number; inode_obj: Inode | null } {
    const r = this.at(path);
    return r.fd.path_lookup(r.path, dirflags);
  }

  override path_create_directory(path: string): number {
    const r = this.at(path);
    return r.fd.path_create_directory(r.path);
  }

  override path_link(path: string, inode: Inode, allowDir: boolean): number {
    const r = this.at(path);
    return r.fd.path_link(r.path, inode, allowDir);
  }

  override path_unlink(path: string): { ret: number; inode_obj: Inode | null } {
    const r = this.at(path);
    return r.fd.path_unlink(r.path);
  }

  override path_unlink_file(path: string): number {
    const r = this.at(path);
    return r.fd.path_unlink_file(r.path);
  }

  override path_remove_directory(path: string): number {
    const r = this.at(path);
    return r.fd.path_remove_directory(r.path);
  }
}

/** Builds the Directory inodes of the tree, deepest first so each knows its parent. */
function buildDirectories(tree: FileTree): Map<string, Directory> {
  const contents = new Map<string, Map<string, Inode>>([['', new Map()]]);
  const ensure = (dir: string): Map<string, Inode> => {
    let map = contents.get(dir);
    if (!map) {
      map = new Map();
      contents.set(dir, map);
      if (dir !== '') ensure(parentOf(dir));
    }
    return map;
  };
  for (const dir of tree.allDirs()) ensure(dir);
  for (const [path, data] of tree.allFiles()) ensure(parentOf(path)).set(baseName(path), new WorkspaceFile(data, path));

  const byDepth = [...contents.keys()].filter((d) => d !== '').sort((a, b) => depth(b) - depth(a));
  const dirs = new Map<string, Directory>();
  for (const dir of byDepth) {
    const node = new WorkspaceDirectory(contents.get(dir) ?? new Map());
    dirs.set(dir, node);
    ensure(parentOf(dir)).set(baseName(dir), node);
  }
  dirs.set('', new WorkspaceDirectory(contents.get('') ?? new Map()));
  return dirs;
}

function depth(path: string): number {
  let n = 0;
  for (const ch of path) if (ch === '/') n++;
  return n;
}

/** Walks the run's final inode tree and applies the difference to the FileTree. */
function writeBack(root: Directory, tree: FileTree): WriteBackResult {
  const files = new Map<string, File>();
  const dirs = new Set<string>();
  const skipped: WriteBackResult['skipped'] = [];
  const walk = (dir: Directory, prefix: string): void => {
    for (const [name, inode] of dir.contents) {
      let path: string;
      try {
        path = joinPath(prefix, name);
        if (path === prefix || baseName(path) !== name) throw new WorkspaceError('EINVAL', `not a plain file name: ${name}`);
      } catch (error) {
        skipped.push({ path: prefix === '' ? name : `${prefix}/${name}`, reason: error instanceof Error ? error.message : String(error) });
        continue;
      }
      if (inode instanceof Directory) {
        dirs.add(path);
        walk(inode, path);
      } else if (inode instanceof File) {
        files.set(path, inode);
      }
    }
  };
  walk(root, '');

  const changed: string[] = [];
  // Removals first, so a file replaced by a directory (or the reverse) can be recreated.
  for (const [path] of [...tree.allFiles()]) {
    if (!files.has(path) && tree.isFile(path)) {
      tree.remove(path);
      changed.push(path);
    }
  }
  const goneDirs = [...tree.allDirs()].filter((d) => !dirs.has(d)).sort((a, b) => depth(b) - depth(a));
  for (const dir of goneDirs) {
    if (tree.isDir(dir)) tree.remove(dir);
  }
  for (const dir of dirs) tree.mkdir(dir);
  for (const [path, file] of files) {
    if (file instanceof WorkspaceFile && !file.touched && file.originPath === path) continue;
    tree.writeFile(path, file instanceof WorkspaceFile ? file.contents() : file.data);
    changed.push(path);
  }
  return { changed, skipped };
}

/**
 * The fdstat of a stream. As a terminal (character device, no seek rights) wasi-libc's `isatty`
 * is true and stdio line-buffers stdout; otherwise it looks like a pipe (unknown file type).
 */
function streamStat(tty: boolean, rights: number): { ret: number; fdstat: wasi.Fdstat } {
  const fdstat = new wasi.Fdstat(tty ? wasi.FILETYPE_CHARACTER_DEVICE : wasi.FILETYPE_UNKNOWN, 0);
  fdstat.fs_rights_base = BigInt(rights);
  return { ret: wasi.ERRNO_SUCCESS, fdstat };
}

function streamFilestat(tty: boolean, ino: bigint): { ret: number; filestat: wasi.Filestat } {
  return { ret: wasi.ERRNO_SUCCESS, filestat: new wasi.Filestat(ino, tty ? wasi.FILETYPE_CHARACTER_DEVICE : wasi.FILETYPE_UNKNOWN, 0n) };
}

/**
 * Standard input: serves the given bytes, then EOF forever, so a program reading stdin can
 * never block. A terminal unless `tty` is false.
 */
export class StdinFd extends Fd {
  private readonly ino = Inode.issue_ino();
  private pos = 0;

  constructor(
    private data: Uint8Array,
    private readonly tty = true,
  ) {
    super();
  }

  /** Replaces the bytes served (runtimes that outlive one run, e.g. a pre-warmed Ruby VM). */
  reset(data: Uint8Array): void {
    this.data = data;
    this.pos = 0;
  }

  /** Bytes not yet read. */
  get remaining(): number {
    return this.data.byteLength - this.pos;
  }

  override fd_read(size: number): { ret: number; data: Uint8Array } {
    const chunk = this.data.slice(this.pos, this.pos + size);
    this.pos += chunk.byteLength;
    return { ret: wasi.ERRNO_SUCCESS, data: chunk };
  }

  override fd_fdstat_get(): { ret: number; fdstat: wasi.Fdstat } {
    return streamStat(this.tty, wasi.RIGHTS_FD_READ);
  }

  override fd_filestat_get(): { ret: number; filestat: wasi.Filestat } {
    return streamFilestat(this.tty, this.ino);
  }
}

/**
 * An output stream: every write goes straight to the sink, so output is streamed as the program
 * produces it. A terminal unless `tty` is false: wasi-libc then line-buffers stdout, which is
 * what makes C programs' output appear line by line.
 */
export class OutputFd extends Fd {
  private readonly ino = Inode.issue_ino();

  constructor(
    public sink: (bytes: Uint8Array) => void,
    private readonly tty = true,
  ) {
    super();
  }

  override fd_write(data: Uint8Array): { ret: number; nwritten: number } {
    // The shim hands us a fresh copy of guest memory, so the sink may keep it.
    this.sink(data);
    return { ret: wasi.ERRNO_SUCCESS, nwritten: data.byteLength };
  }

  override fd_fdstat_get(): { ret: number; fdstat: wasi.Fdstat } {
    return streamStat(this.tty, wasi.RIGHTS_FD_WRITE);
  }

  override fd_filestat_get(): { ret: number; filestat: wasi.Filestat } {
    return streamFilestat(this.tty, this.ino);
  }
}
