/**
 * Regular files and their metadata for the WASI mount on @bjorn3/browser_wasi_shim: growable
 * copy-on-write files, the fds open on them (with rights), stat records laid out as wasip1 says,
 * and the byte budget of scratch files (`/tmp` and anything else outside `/workspace`).
 */
import { File, Inode, OpenFile, wasi } from '@bjorn3/browser_wasi_shim';
import { DEFAULT_QUOTA } from '../fs/quota.ts';

export const EMPTY = new Uint8Array(0);

/** wasip1 rights, as bigints: everything a file or a directory fd may be asked to do. */
export const FILE_RIGHTS =
  BigInt(wasi.RIGHTS_FD_DATASYNC | wasi.RIGHTS_FD_READ | wasi.RIGHTS_FD_SEEK | wasi.RIGHTS_FD_FDSTAT_SET_FLAGS | wasi.RIGHTS_FD_SYNC | wasi.RIGHTS_FD_TELL | wasi.RIGHTS_FD_WRITE | wasi.RIGHTS_FD_ADVISE | wasi.RIGHTS_FD_ALLOCATE) |
  BigInt(wasi.RIGHTS_FD_FILESTAT_GET | wasi.RIGHTS_FD_FILESTAT_SET_SIZE | wasi.RIGHTS_FD_FILESTAT_SET_TIMES | wasi.RIGHTS_POLL_FD_READWRITE);
export const DIR_RIGHTS =
  BigInt(wasi.RIGHTS_FD_FDSTAT_SET_FLAGS | wasi.RIGHTS_FD_SYNC | wasi.RIGHTS_FD_ADVISE | wasi.RIGHTS_PATH_CREATE_DIRECTORY | wasi.RIGHTS_PATH_CREATE_FILE | wasi.RIGHTS_PATH_LINK_SOURCE | wasi.RIGHTS_PATH_LINK_TARGET | wasi.RIGHTS_PATH_OPEN | wasi.RIGHTS_FD_READDIR) |
  BigInt(wasi.RIGHTS_PATH_READLINK | wasi.RIGHTS_PATH_RENAME_SOURCE | wasi.RIGHTS_PATH_RENAME_TARGET | wasi.RIGHTS_PATH_FILESTAT_GET | wasi.RIGHTS_PATH_FILESTAT_SET_SIZE | wasi.RIGHTS_PATH_FILESTAT_SET_TIMES) |
  BigInt(wasi.RIGHTS_FD_FILESTAT_GET | wasi.RIGHTS_FD_FILESTAT_SET_TIMES | wasi.RIGHTS_PATH_SYMLINK | wasi.RIGHTS_PATH_REMOVE_DIRECTORY | wasi.RIGHTS_PATH_UNLINK_FILE);
/** What a directory fd hands down to what is opened through it (wasi-libc's access(W_OK) reads this). */
export const INHERITED_RIGHTS = FILE_RIGHTS | DIR_RIGHTS;

/** Nanoseconds since the epoch, for timestamps. */
export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/**
 * A Filestat written at the offsets of wasip1's `filestat` (the shim's own writes the three
 * timestamps at 38/46/52 instead of 40/48/56, which garbles sizes and times).
 */
export class Stat extends wasi.Filestat {
  constructor(ino: bigint, filetype: number, size: bigint, times: Times, nlink: bigint) {
    super(ino, filetype, size);
    this.nlink = nlink;
    this.atim = times.atim;
    this.mtim = times.mtim;
    this.ctim = times.ctim;
  }

  override write_bytes(view: DataView, ptr: number): void {
    view.setBigUint64(ptr, this.dev, true);
    view.setBigUint64(ptr + 8, this.ino, true);
    view.setUint8(ptr + 16, this.filetype);
    for (let i = 17; i < 24; i++) view.setUint8(ptr + i, 0);
    view.setBigUint64(ptr + 24, this.nlink, true);
    view.setBigUint64(ptr + 32, this.size, true);
    view.setBigUint64(ptr + 40, this.atim, true);
    view.setBigUint64(ptr + 48, this.mtim, true);
    view.setBigUint64(ptr + 56, this.ctim, true);
  }
}

/** Access, modification and change times of an inode, in ns. */
export interface Times {
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

/** Applies `fd_filestat_set_times` flags to `times`; an errno when the flags contradict. */
export function setTimes(times: Times, atim: bigint, mtim: bigint, flags: number): number {
  const has = (bit: number): boolean => (flags & bit) !== 0;
  if ((has(wasi.FSTFLAGS_ATIM) && has(wasi.FSTFLAGS_ATIM_NOW)) || (has(wasi.FSTFLAGS_MTIM) && has(wasi.FSTFLAGS_MTIM_NOW))) return wasi.ERRNO_INVAL;
  const now = nowNs();
  if (has(wasi.FSTFLAGS_ATIM)) times.atim = atim;
  else if (has(wasi.FSTFLAGS_ATIM_NOW)) times.atim = now;
  if (has(wasi.FSTFLAGS_MTIM)) times.mtim = mtim;
  else if (has(wasi.FSTFLAGS_MTIM_NOW)) times.mtim = now;
  times.ctim = now;
  return wasi.ERRNO_SUCCESS;
}

/**
 * The bytes of one run's scratch files (`/tmp`, and whatever a program puts beside `/workspace`
 * in `/`): capped like the workspace (its total and per-file quota), so a program cannot fill
 * the tab's memory through `/tmp`. Deleted files are given back by `recount` when the cap is hit.
 */
export class ScratchBudget {
  used = 0;

  constructor(
    private readonly recountUsage: () => number,
    readonly maxBytes = DEFAULT_QUOTA.maxBytes,
    readonly maxFileBytes = DEFAULT_QUOTA.maxFileBytes,
  ) {}

  /** Takes `delta` more bytes for a file growing to `size`; false when over quota. */
  take(delta: number, size: number): boolean {
    if (size > this.maxFileBytes) return false;
    if (this.used + delta > this.maxBytes) this.used = this.recountUsage();
    if (this.used + delta > this.maxBytes) return false;
    this.used += delta;
    return true;
  }
}

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
export class WorkspaceFile extends File {
  /** The file's size in bytes; `data` may be longer. */
  length: number;
  readonly times: Times;

  constructor(
    readonly origin: Uint8Array,
    /** Where the FileTree had it, or null for a file the program created. */
    readonly originPath: string | null,
    /** Set for scratch files: their growth counts against it. */
    readonly budget: ScratchBudget | null = null,
  ) {
    super(EMPTY);
    this.data = origin;
    this.length = origin.byteLength;
    const now = nowNs();
    this.times = { atim: now, mtim: now, ctim: now };
  }

  /** The shim's `stat()` (fstat and stat by path) reads this. */
  override get size(): bigint {
    return BigInt(this.length);
  }

  override stat(): wasi.Filestat {
    return new Stat(this.ino, wasi.FILETYPE_REGULAR_FILE, this.size, this.times, 1n);
  }

  /** True when the program may have changed the bytes (it wrote, truncated or resized). */
  get touched(): boolean {
    return this.data !== this.origin || this.length !== this.origin.byteLength;
  }

  /** Exactly the file's bytes, for the FileTree: never an array with spare capacity behind it. */
  contents(): Uint8Array {
    return this.length === this.data.byteLength ? this.data : this.data.slice(0, this.length);
  }

  /** Writes `bytes` at `offset`; a gap past the old end reads as zeros. An errno. */
  write(bytes: Uint8Array, offset: number): number {
    if (bytes.byteLength === 0) return wasi.ERRNO_SUCCESS;
    const end = offset + bytes.byteLength;
    const grown = this.grow(end);
    if (grown !== wasi.ERRNO_SUCCESS) return grown;
    this.data.set(bytes, offset);
    this.modified();
    return wasi.ERRNO_SUCCESS;
  }

  /** Sets the size: shrinking keeps the array, growing appends zeros. An errno. */
  resize(size: number): number {
    if (size > this.length) return this.grow(size);
    if (this.budget) this.budget.used -= this.length - size;
    this.length = size;
    this.modified();
    return wasi.ERRNO_SUCCESS;
  }

  /** Makes the file at least `size` long (zero-filled), within its budget and memory. */
  private grow(size: number): number {
    if (size <= this.length) return wasi.ERRNO_SUCCESS;
    if (this.budget && !this.budget.take(size - this.length, size)) return wasi.ERRNO_DQUOT;
    if (!this.reserve(size)) {
      if (this.budget) this.budget.used -= size - this.length;
      return wasi.ERRNO_FBIG;
    }
    this.data.fill(0, this.length, size);
    this.length = size;
    this.modified();
    return wasi.ERRNO_SUCCESS;
  }

  private modified(): void {
    this.times.mtim = nowNs();
    this.times.ctim = this.times.mtim;
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

  override path_open(oflags: number, rights: bigint, fdFlags: number): { ret: number; fd_obj: OpenFile } {
    if ((oflags & wasi.OFLAGS_TRUNC) === wasi.OFLAGS_TRUNC) this.resize(0);
    return { ret: wasi.ERRNO_SUCCESS, fd_obj: new WorkspaceOpenFile(this, fdFlags, rights) };
  }
}

/** Rights an fd opened with `requested` rights ends up with (0 means "whatever fits"). */
function grantedRights(requested: bigint, all: bigint): bigint {
  return requested === 0n ? all : requested & all;
}

/**
 * An fd open on a WorkspaceFile. It replaces every OpenFile method that touches `file.data`, so
 * sizes, reads and seeks go by the file's `length`, never by the length of its array.
 */
export class WorkspaceOpenFile extends OpenFile {
  declare file: WorkspaceFile;
  private flags: number;
  rightsBase: bigint;
  rightsInheriting = 0n;

  constructor(file: WorkspaceFile, fdFlags: number, rights: bigint) {
    super(file);
    this.flags = fdFlags & (wasi.FDFLAGS_APPEND | wasi.FDFLAGS_NONBLOCK | wasi.FDFLAGS_SYNC | wasi.FDFLAGS_DSYNC | wasi.FDFLAGS_RSYNC);
    this.rightsBase = grantedRights(rights, FILE_RIGHTS);
    if (this.append) this.file_pos = BigInt(file.length);
  }

  private get append(): boolean {
    return (this.flags & wasi.FDFLAGS_APPEND) !== 0;
  }

  override fd_fdstat_get(): { ret: number; fdstat: wasi.Fdstat } {
    const fdstat = new wasi.Fdstat(wasi.FILETYPE_REGULAR_FILE, this.flags);
    fdstat.fs_rights_base = this.rightsBase;
    fdstat.fs_rights_inherited = this.rightsInheriting;
    return { ret: wasi.ERRNO_SUCCESS, fdstat };
  }

  override fd_fdstat_set_flags(flags: number): number {
    this.flags = flags;
    return wasi.ERRNO_SUCCESS;
  }

  override fd_fdstat_set_rights(base: bigint, inheriting: bigint): number {
    // Rights can only be dropped, never gained.
    if ((base & ~this.rightsBase) !== 0n || (inheriting & ~this.rightsInheriting) !== 0n) return wasi.ERRNO_NOTCAPABLE;
    this.rightsBase = base;
    this.rightsInheriting = inheriting;
    return wasi.ERRNO_SUCCESS;
  }

  private can(right: number): boolean {
    return (this.rightsBase & BigInt(right)) !== 0n;
  }

  override fd_read(size: number): { ret: number; data: Uint8Array } {
    const result = this.fd_pread(size, this.file_pos);
    this.file_pos += BigInt(result.data.byteLength);
    return result;
  }

  override fd_pread(size: number, offset: bigint): { ret: number; data: Uint8Array } {
    if (!this.can(wasi.RIGHTS_FD_READ)) return { ret: wasi.ERRNO_BADF, data: EMPTY };
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
    const result = this.pwrite(data, this.file_pos);
    this.file_pos += BigInt(result.nwritten);
    return result;
  }

  override fd_pwrite(data: Uint8Array, offset: bigint): { ret: number; nwritten: number } {
    // POSIX leaves pwrite on an O_APPEND fd to the system; Linux appends, and so does this.
    return this.pwrite(data, this.append ? BigInt(this.file.length) : offset);
  }

  private pwrite(data: Uint8Array, offset: bigint): { ret: number; nwritten: number } {
    if (!this.can(wasi.RIGHTS_FD_WRITE)) return { ret: wasi.ERRNO_BADF, nwritten: 0 };
    if (offset < 0n) return { ret: wasi.ERRNO_INVAL, nwritten: 0 };
    const ret = this.file.write(data, Number(offset));
    return { ret, nwritten: ret === wasi.ERRNO_SUCCESS ? data.byteLength : 0 };
  }

  override fd_allocate(offset: bigint, len: bigint): number {
    if (offset < 0n || len <= 0n) return wasi.ERRNO_INVAL;
    const end = Number(offset + len);
    if (end <= this.file.length) return wasi.ERRNO_SUCCESS;
    return this.file.resize(end);
  }

  override fd_filestat_set_size(size: bigint): number {
    if (!this.can(wasi.RIGHTS_FD_FILESTAT_SET_SIZE) && !this.can(wasi.RIGHTS_FD_WRITE)) return wasi.ERRNO_BADF;
    if (size < 0n) return wasi.ERRNO_INVAL;
    return this.file.resize(Number(size));
  }

  override fd_filestat_set_times(atim: bigint, mtim: bigint, flags: number): number {
    return setTimes(this.file.times, atim, mtim, flags);
  }

  override fd_sync(): number {
    return wasi.ERRNO_SUCCESS;
  }
}

/** A fresh inode number, for fds that are not files of the mount. */
export function issueIno(): bigint {
  return Inode.issue_ino();
}
