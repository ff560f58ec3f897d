/**
 * The filesystem WASI programs (C, C++, .wasm, Ruby) see, on @bjorn3/browser_wasi_shim: a root
 * `/` whose entries are `/workspace` (the FileTree, written back after the run) and `/tmp`
 * (scratch: empty at start, discarded after). Anything else a program creates in `/` is scratch
 * too. Also the stdio file descriptors every WASI-based runtime uses.
 */
import { Directory, Fd, Inode, OpenDirectory, wasi } from '@bjorn3/browser_wasi_shim';
import { WorkspaceError, baseName, joinPath, normalizePath, parentOf } from '../fs/paths.ts';
import type { FileTree } from '../worker/tree.ts';
import { DIR_RIGHTS, EMPTY, INHERITED_RIGHTS, ScratchBudget, Stat, type Times, WorkspaceFile, nowNs, setTimes } from './wasi-file.ts';

/** Where the workspace appears to programs. */
export const WORKSPACE_ROOT = '/workspace';
/** Where a run's scratch directory appears to programs. */
export const TMP_ROOT = '/tmp';

/**
 * A directory of the mount. The shim creates new entries as its own File and Directory, whose
 * writes would copy the whole file again; this puts ours in their place, so every file and
 * directory a program creates is one of ours too (and a scratch one where its parent is).
 */
class WorkspaceDirectory extends Directory {
  readonly times: Times;
  /** `/workspace` and `/tmp`: they cannot be removed, renamed or replaced. */
  mountPoint = false;

  constructor(
    contents: Map<string, Inode>,
    readonly budget: ScratchBudget | null,
  ) {
    super(contents);
    const now = nowNs();
    this.times = { atim: now, mtim: now, ctim: now };
  }

  override stat(): wasi.Filestat {
    let subdirs = 0n;
    for (const entry of this.contents.values()) if (entry instanceof Directory) subdirs++;
    return new Stat(this.ino, wasi.FILETYPE_DIRECTORY, 4096n, this.times, 2n + subdirs);
  }

  override path_open(): { ret: number; fd_obj: DirFd } {
    return { ret: wasi.ERRNO_SUCCESS, fd_obj: new DirFd(this) };
  }

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
    if (name === undefined || !(parent instanceof WorkspaceDirectory) || parent.contents.get(name) !== made.entry) return made;
    const entry = isDir ? new WorkspaceDirectory(new Map(), parent.budget) : new WorkspaceFile(EMPTY, null, parent.budget);
    parent.contents.set(name, entry);
    parent.touch();
    return { ret: made.ret, entry };
  }

  /** An entry was added or removed. */
  touch(): void {
    this.times.mtim = nowNs();
    this.times.ctim = this.times.mtim;
  }
}

/** The entry `path` names under `dir`, if any, without following anything. */
function entryAt(dir: Directory, path: string): Inode | undefined {
  let node: Inode | undefined = dir;
  const stack: Inode[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      node = stack.pop();
      if (!node) return undefined;
      continue;
    }
    if (!(node instanceof Directory)) return undefined;
    stack.push(node);
    node = node.contents.get(part);
    if (!node) return undefined;
  }
  return node;
}

function isMountPoint(inode: Inode | undefined | null): boolean {
  return inode instanceof WorkspaceDirectory && inode.mountPoint;
}

/**
 * An fd open on a directory of the mount: full rights (so wasi-libc's `access(W_OK)` and Ruby's
 * `File.writable?` say yes), correct stat records, and `/workspace` and `/tmp` kept in place.
 */
export class DirFd extends OpenDirectory {
  rightsBase = DIR_RIGHTS;
  rightsInheriting = INHERITED_RIGHTS;

  override fd_fdstat_get(): { ret: number; fdstat: wasi.Fdstat } {
    const fdstat = new wasi.Fdstat(wasi.FILETYPE_DIRECTORY, 0);
    fdstat.fs_rights_base = this.rightsBase;
    fdstat.fs_rights_inherited = this.rightsInheriting;
    return { ret: wasi.ERRNO_SUCCESS, fdstat };
  }

  override fd_fdstat_set_rights(base: bigint, inheriting: bigint): number {
    if ((base & ~this.rightsBase) !== 0n || (inheriting & ~this.rightsInheriting) !== 0n) return wasi.ERRNO_NOTCAPABLE;
    this.rightsBase = base;
    this.rightsInheriting = inheriting;
    return wasi.ERRNO_SUCCESS;
  }

  override fd_fdstat_set_flags(): number {
    return wasi.ERRNO_SUCCESS;
  }

  override fd_filestat_set_times(atim: bigint, mtim: bigint, flags: number): number {
    return this.dir instanceof WorkspaceDirectory ? setTimes(this.dir.times, atim, mtim, flags) : wasi.ERRNO_NOTSUP;
  }

  override fd_sync(): number {
    return wasi.ERRNO_SUCCESS;
  }

  override path_filestat_set_times(_flags: number, path: string, atim: bigint, mtim: bigint, flags: number): number {
    const { ret, inode_obj: inode } = this.path_lookup(path, 0);
    if (!inode) return ret;
    if (inode instanceof WorkspaceDirectory || inode instanceof WorkspaceFile) return setTimes(inode.times, atim, mtim, flags);
    return wasi.ERRNO_NOTSUP;
  }

  override path_open(dirflags: number, path: string, oflags: number, base: bigint, inheriting: bigint, fdFlags: number): { ret: number; fd_obj: Fd | null } {
    const has = (right: number): boolean => (this.rightsBase & BigInt(right)) !== 0n;
    if (!has(wasi.RIGHTS_PATH_OPEN)) return { ret: wasi.ERRNO_NOTCAPABLE, fd_obj: null };
    if ((oflags & wasi.OFLAGS_TRUNC) !== 0 && !has(wasi.RIGHTS_PATH_FILESTAT_SET_SIZE)) return { ret: wasi.ERRNO_NOTCAPABLE, fd_obj: null };
    if ((oflags & wasi.OFLAGS_CREAT) !== 0 && !has(wasi.RIGHTS_PATH_CREATE_FILE)) return { ret: wasi.ERRNO_NOTCAPABLE, fd_obj: null };
    const existing = entryAt(this.dir, path);
    // Linux: a directory cannot be opened for writing or truncated.
    if (existing instanceof Directory && ((oflags & wasi.OFLAGS_TRUNC) !== 0 || (base & BigInt(wasi.RIGHTS_FD_WRITE)) !== 0n)) return { ret: wasi.ERRNO_ISDIR, fd_obj: null };
    const opened = super.path_open(dirflags, path, oflags, base, inheriting, fdFlags);
    if (opened.fd_obj instanceof DirFd) {
      opened.fd_obj.rightsBase = (base === 0n ? DIR_RIGHTS : base & DIR_RIGHTS) & this.rightsInheriting;
      opened.fd_obj.rightsInheriting = (inheriting === 0n ? INHERITED_RIGHTS : inheriting & INHERITED_RIGHTS) & this.rightsInheriting;
    }
    return opened;
  }

  override path_link(path: string, inode: Inode, allowDir: boolean): number {
    const target = entryAt(this.dir, path);
    if (isMountPoint(target)) return wasi.ERRNO_BUSY;
    // A hard link never replaces anything (rename, which passes allowDir, may).
    if (!allowDir && target) return wasi.ERRNO_EXIST;
    // `rename("a", "b/")` names directory b: the shim refuses any trailing slash.
    if (allowDir && inode instanceof Directory) path = path.replace(/\/+$/, '');
    const ret = super.path_link(path, inode, allowDir);
    if (ret === wasi.ERRNO_SUCCESS) this.touchParentOf(path);
    return ret;
  }

  override path_unlink(path: string): { ret: number; inode_obj: Inode | null } {
    if (isMountPoint(entryAt(this.dir, path))) return { ret: wasi.ERRNO_BUSY, inode_obj: null };
    const result = super.path_unlink(path);
    if (result.inode_obj) this.touchParentOf(path);
    return result;
  }

  override path_unlink_file(path: string): number {
    const target = entryAt(this.dir, path);
    if (target instanceof Directory) return isMountPoint(target) ? wasi.ERRNO_BUSY : wasi.ERRNO_ISDIR;
    if (path.endsWith('/') && target) return wasi.ERRNO_NOTDIR;
    const ret = super.path_unlink_file(path);
    if (ret === wasi.ERRNO_SUCCESS) this.touchParentOf(path);
    return ret;
  }

  override path_remove_directory(path: string): number {
    const target = entryAt(this.dir, path);
    if (isMountPoint(target)) return wasi.ERRNO_BUSY;
    const ret = super.path_remove_directory(path);
    if (ret === wasi.ERRNO_SUCCESS) this.touchParentOf(path);
    return ret;
  }

  private touchParentOf(path: string): void {
    const parent = entryAt(this.dir, path.split('/').slice(0, -1).join('/') || '.');
    if (parent instanceof WorkspaceDirectory) parent.touch();
  }
}

/** A preopened directory: a DirFd with a name wasi-libc matches absolute paths against. */
export class PreopenFd extends DirFd {
  constructor(
    readonly prestatName: string,
    dir: Directory,
  ) {
    super(dir);
  }

  override fd_prestat_get(): { ret: number; prestat: wasi.Prestat } {
    return { ret: wasi.ERRNO_SUCCESS, prestat: wasi.Prestat.dir(this.prestatName) };
  }
}

/**
 * A preopen for a directory below the root (`/workspace`, `/tmp`, the working directory as `.`):
 * stat and readdir see that directory, while path operations resolve `sub/path` from the root,
 * so `..` climbs to `/` as on Linux, and no further (the shim refuses that with ENOTCAPABLE).
 */
class SubdirPreopen extends PreopenFd {
  constructor(
    name: string,
    dir: Directory,
    private readonly root: Directory,
    /** Where `dir` is, relative to the root, e.g. `workspace/src`. */
    private readonly sub: string,
  ) {
    super(name, dir);
  }

  private at(path: string): { fd: DirFd; path: string } {
    const fd = new DirFd(this.root);
    fd.rightsBase = this.rightsBase;
    fd.rightsInheriting = this.rightsInheriting;
    // Absolute paths stay absolute: the shim refuses them.
    return { fd, path: path.startsWith('/') ? path : `${this.sub}/${path}` };
  }

  override path_open(dirflags: number, path: string, oflags: number, base: bigint, inheriting: bigint, fdFlags: number): { ret: number; fd_obj: Fd | null } {
    const r = this.at(path);
    return r.fd.path_open(dirflags, r.path, oflags, base, inheriting, fdFlags);
  }

  override path_filestat_get(flags: number, path: string): { ret: number; filestat: wasi.Filestat | null } {
    const r = this.at(path);
    return r.fd.path_filestat_get(flags, r.path);
  }

  override path_filestat_set_times(flags: number, path: string, atim: bigint, mtim: bigint, fstFlags: number): number {
    const r = this.at(path);
    return r.fd.path_filestat_set_times(flags, r.path, atim, mtim, fstFlags);
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

/** What writing a run's changes back did. */
export interface WriteBackResult {
  /** Workspace paths created, modified or removed. */
  changed: string[];
  /** Names the program created that the workspace cannot hold (control characters, `\`, too long), with why. */
  skipped: { path: string; reason: string }[];
}

/** The filesystem mounted for one run. */
export interface WorkspaceMount {
  /** The preopened directories, in fd order (fd 3 onwards); the first is `/`. */
  readonly preopens: PreopenFd[];
  /** The absolute path of each preopen's directory, in the same order (`/`, `/workspace/src`, …). */
  readonly preopenPaths: string[];
  /** The absolute working directory programs should see, e.g. `/workspace/src`. */
  readonly cwdPath: string;
  /** The `/` directory (its `workspace` and `tmp` entries are the mount points). */
  readonly root: Directory;
  /** Writes files and directories the program created, changed or removed back into `tree`. */
  writeBack(tree: FileTree): WriteBackResult;
}

/** Options of `mountWorkspace`. */
export interface MountOptions {
  /**
   * Which directories to preopen after `/` (fd 3).
   *
   * `root`: nothing else. For programs that `chdir` to $PWD before they touch a relative path
   * (Ruby's driver does): wasi-libc then makes every path absolute and resolves it from `/`,
   * exactly as on Linux.
   *
   * `cwd`: also `/workspace`, `/tmp` and the working directory as `.`, in that order. A program
   * that never calls `chdir` has wasi-libc's cwd `/`, and wasi-libc strips the leading `/` of a
   * path before it picks the preopen with the longest matching name: `.` (name ``) wins the tie
   * with `/`, so relative names land in the working directory, and `/tmp/x` or `/workspace/x`
   * match their own preopens. The cost: an absolute path to anything else (`/`, `/x`) reaches
   * the working directory, and a relative `tmp/x` or `workspace/x` the mount points.
   */
  preopens: 'root' | 'cwd';
}

/**
 * Mounts the tree as in-memory inodes under `/workspace`, beside an empty `/tmp`, for one run.
 * File bytes are shared until written (copy on write); directories are built fresh. Throws
 * ENOENT/ENOTDIR when `cwd` is not a directory of the tree.
 */
export function mountWorkspace(tree: FileTree, cwd: string, options: MountOptions): WorkspaceMount {
  const cwdRel = normalizePath(cwd);
  if (!tree.isDir(cwdRel)) {
    throw new WorkspaceError(tree.isFile(cwdRel) ? 'ENOTDIR' : 'ENOENT', `working directory not found: ${cwdRel}`);
  }
  const dirs = buildDirectories(tree);
  const workspace = dirs.get('');
  const cwdDir = dirs.get(cwdRel);
  if (!workspace || !cwdDir) throw new WorkspaceError('ENOENT', `working directory not found: ${cwdRel}`);

  const scratch = new Map<string, Inode>();
  const budget: ScratchBudget = new ScratchBudget((): number => scratchBytes(root));
  const tmp = new WorkspaceDirectory(new Map(), budget);
  workspace.mountPoint = true;
  tmp.mountPoint = true;
  scratch.set('workspace', workspace);
  scratch.set('tmp', tmp);
  const root: WorkspaceDirectory = new WorkspaceDirectory(scratch, budget);
  root.ino = Inode.root_ino();

  const cwdPath = cwdRel === '' ? WORKSPACE_ROOT : `${WORKSPACE_ROOT}/${cwdRel}`;
  const preopens: PreopenFd[] = [new PreopenFd('/', root)];
  const preopenPaths = ['/'];
  if (options.preopens === 'cwd') {
    preopens.push(new SubdirPreopen(WORKSPACE_ROOT, workspace, root, 'workspace'), new SubdirPreopen(TMP_ROOT, tmp, root, 'tmp'), new SubdirPreopen('.', cwdDir, root, cwdPath.slice(1)));
    preopenPaths.push(WORKSPACE_ROOT, TMP_ROOT, cwdPath);
  }
  return { preopens, preopenPaths, cwdPath, root, writeBack: (target) => writeBack(workspace, target) };
}

/** Bytes held by the scratch files under `root` (everything but `/workspace`). */
function scratchBytes(root: Directory): number {
  let total = 0;
  const seen = new Set<Inode>();
  const walk = (dir: Directory): void => {
    for (const [name, entry] of dir.contents) {
      if (seen.has(entry) || (dir === root && name === 'workspace')) continue;
      seen.add(entry);
      if (entry instanceof Directory) walk(entry);
      else if (entry instanceof WorkspaceFile && entry.budget) total += entry.length;
    }
  };
  walk(root);
  return total;
}

/** Builds the Directory inodes of the tree, deepest first so each knows its parent. */
function buildDirectories(tree: FileTree): Map<string, WorkspaceDirectory> {
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
  const dirs = new Map<string, WorkspaceDirectory>();
  for (const dir of byDepth) {
    const node = new WorkspaceDirectory(contents.get(dir) ?? new Map(), null);
    dirs.set(dir, node);
    ensure(parentOf(dir)).set(baseName(dir), node);
  }
  dirs.set('', new WorkspaceDirectory(contents.get('') ?? new Map(), null));
  return dirs;
}

function depth(path: string): number {
  let n = 0;
  for (const ch of path) if (ch === '/') n++;
  return n;
}

/** Walks the run's final inode tree and applies the difference to the FileTree. */
function writeBack(root: Directory, tree: FileTree): WriteBackResult {
  const files = new Map<string, WorkspaceFile>();
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
      } else if (inode instanceof WorkspaceFile) {
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
    if (!file.touched && file.originPath === path) continue;
    tree.writeFile(path, file.contents());
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
