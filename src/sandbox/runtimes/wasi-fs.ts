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
 * A workspace file. It shares the FileTree's bytes until the program first writes to it, then
 * works on a copy: FileTree arrays are never mutated (snapshots rely on that), and a file that
 * is only read costs no copy at all.
 */
class WorkspaceFile extends File {
  constructor(
    readonly origin: Uint8Array,
    readonly originPath: string,
  ) {
    super(EMPTY);
    this.data = origin;
  }

  /** True when the program may have changed the bytes (it wrote, truncated or resized). */
  get touched(): boolean {
    return this.data !== this.origin;
  }

  /** Copies the bytes before the first in-place write. */
  detach(): void {
    if (this.data === this.origin) this.data = this.origin.slice();
  }

  override path_open(oflags: number, _rights: bigint, fdFlags: number): { ret: number; fd_obj: OpenFile } {
    // Truncation replaces the array instead of mutating it, so the origin stays intact.
    if ((oflags & wasi.OFLAGS_TRUNC) === wasi.OFLAGS_TRUNC) this.data = new Uint8Array(0);
    const fd = new CopyOnWriteFile(this);
    if (fdFlags & wasi.FDFLAGS_APPEND) fd.fd_seek(0n, wasi.WHENCE_END);
    return { ret: wasi.ERRNO_SUCCESS, fd_obj: fd };
  }
}

/** An open workspace file that detaches from the FileTree's bytes before any write. */
class CopyOnWriteFile extends OpenFile {
  private detach(): void {
    if (this.file instanceof WorkspaceFile) this.file.detach();
  }

  override fd_write(data: Uint8Array): { ret: number; nwritten: number } {
    this.detach();
    return super.fd_write(data);
  }

  override fd_pwrite(data: Uint8Array, offset: bigint): { ret: number; nwritten: number } {
    this.detach();
    return super.fd_pwrite(data, offset);
  }

  override fd_allocate(offset: bigint, len: bigint): number {
    this.detach();
    return super.fd_allocate(offset, len);
  }

  override fd_filestat_set_size(size: bigint): number {
    this.detach();
    return super.fd_filestat_set_size(size);
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
    const node = new Directory(contents.get(dir) ?? new Map());
    dirs.set(dir, node);
    ensure(parentOf(dir)).set(baseName(dir), node);
  }
  dirs.set('', new Directory(contents.get('') ?? new Map()));
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
    tree.writeFile(path, file.data);
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
