/**
 * Project ⇄ zip archive. Export uses fflate's zipSync. Import reads the central directory
 * itself rather than through fflate's unzipSync: unzipSync trusts each entry's declared size
 * (it silently truncates an entry that inflates past it, after burning CPU on the whole
 * stream). Here every limit is checked on the declared sizes before anything is inflated, then
 * each entry is inflated with a hard cap at its declared size and checked against its CRC-32.
 */

import { zipSync, type Zippable } from 'fflate';
import { inflateRawCapped } from './codec.ts';
import { ShareError, ZIP_MAX_FILES, ZIP_MAX_FILE_BYTES, ZIP_MAX_TOTAL_BYTES, type ZipImportResult } from './format.ts';
import { showPath, validatePath, validatePathSet } from './validate.ts';

/** Options for {@link exportZip}. */
export interface ExportZipOptions {
  /** Modification time stamped on every entry (default: now). Fix it for reproducible archives. */
  mtime?: Date;
}

/**
 * Packs files into a zip (deflate, UTF-8 names). Every path must pass {@link validatePath} and
 * the set must pass {@link validatePathSet}; otherwise a ShareError is thrown, so an exported
 * archive never holds a path Isobox would refuse. Sizes are not capped here: an archive over
 * the import caps still exports, but will not import back.
 */
export function exportZip(files: Record<string, Uint8Array>, options: ExportZipOptions = {}): Uint8Array {
  const paths = Object.keys(files);
  for (const path of paths) {
    const error = validatePath(path);
    if (error) throw error;
  }
  const setError = validatePathSet(paths, Number.POSITIVE_INFINITY);
  if (setError) throw setError;
  const mtime = options.mtime ?? new Date();
  // Flat keys with "/" become entry names as they are; a null prototype keeps keys inert.
  const zippable: Zippable = Object.create(null) as Zippable;
  for (const path of paths) {
    const data = files[path];
    if (!(data instanceof Uint8Array)) throw new ShareError('bad-shape', `the content of ${showPath(path)} must be bytes`);
    zippable[path] = [data, { mtime }];
  }
  return zipSync(zippable, { level: 6 });
}

interface Entry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  skip: boolean;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: ShareError };

const notZip = (why: string): { ok: false; error: ShareError } => ({ ok: false, error: new ShareError('bad-encoding', `not a usable zip archive: ${why}`) });

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const U32_MAX = 0xffffffff;

/** Little-endian reads that report out-of-range instead of returning undefined. */
class Reader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  has(offset: number, length: number): boolean {
    return offset >= 0 && length >= 0 && offset + length <= this.bytes.length;
  }
  u16(offset: number): number {
    return this.view.getUint16(offset, true);
  }
  u32(offset: number): number {
    return this.view.getUint32(offset, true);
  }
  /** A 64-bit field, or -1 when it does not fit a safe integer. */
  u64(offset: number): number {
    const high = this.view.getUint32(offset + 4, true);
    return high >= 0x200000 ? -1 : high * 2 ** 32 + this.view.getUint32(offset, true);
  }
}

/** Finds the central directory (classic or zip64): where it starts and how many entries it has. */
function findDirectory(r: Reader): Parsed<{ offset: number; count: number }> {
  let eocd = -1;
  // The end record sits in the last 22 bytes plus at most a 65535-byte comment.
  for (let i = r.bytes.length - 22; i >= 0 && i >= r.bytes.length - 22 - 0xffff; i--) {
    if (r.u32(i) === SIG_EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return notZip('no end-of-archive record');
  if (r.u16(eocd + 4) !== 0 || r.u16(eocd + 6) !== 0) return notZip('multi-part archives are not supported');
  let count = r.u16(eocd + 10);
  let offset = r.u32(eocd + 16);
  if ((count === 0xffff || offset === U32_MAX) && r.has(eocd - 20, 20) && r.u32(eocd - 20) === SIG_ZIP64_LOCATOR) {
    const z = r.u64(eocd - 12);
    if (z < 0 || !r.has(z, 56) || r.u32(z) !== SIG_ZIP64_EOCD) return notZip('broken zip64 end record');
    count = r.u64(z + 32);
    offset = r.u64(z + 48);
  }
  // Each central entry takes at least 46 bytes, which bounds a lying count.
  if (count < 0 || offset < 0 || count * 46 > r.bytes.length) return notZip('the directory claims more entries than fit');
  return { ok: true, value: { offset, count } };
}

/** Names are UTF-8 when flagged or when they decode as UTF-8; else byte = char (Latin-1). */
function decodeName(raw: Uint8Array, flags: number): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return flags & 0x800 ? null : Array.from(raw, (b) => String.fromCharCode(b)).join('');
  }
}

function readEntry(r: Reader, p: number): Parsed<{ entry: Entry; next: number }> {
  if (!r.has(p, 46) || r.u32(p) !== SIG_CENTRAL) return notZip('a directory entry is damaged');
  const madeBy = r.u16(p + 4);
  const flags = r.u16(p + 8);
  const nameLength = r.u16(p + 28);
  const extraLength = r.u16(p + 30);
  const commentLength = r.u16(p + 32);
  const next = p + 46 + nameLength + extraLength + commentLength;
  if (!r.has(p, next - p)) return notZip('a directory entry is cut short');
  let size = r.u32(p + 24);
  let compressedSize = r.u32(p + 20);
  let localOffset = r.u32(p + 42);
  // zip64 extended information: the 64-bit values, in this order, for fields saturated at 2^32-1.
  const extraEnd = p + 46 + nameLength + extraLength;
  for (let x = p + 46 + nameLength; x + 4 <= extraEnd; x += 4 + r.u16(x + 2)) {
    if (r.u16(x) !== 1) continue;
    let field = x + 4;
    const end = Math.min(field + r.u16(x + 2), extraEnd);
    const take = (value: number): number => {
      if (value !== U32_MAX || field + 8 > end) return value;
      field += 8;
      return r.u64(field - 8);
    };
    size = take(size);
    compressedSize = take(compressedSize);
    localOffset = take(localOffset);
    break;
  }
  const name = decodeName(r.bytes.subarray(p + 46, p + 46 + nameLength), flags);
  if (name === null) return { ok: false, error: new ShareError('bad-path', 'an entry name is marked UTF-8 but is not') };
  const mode = (r.u32(p + 38) >>> 16) & 0o170000;
  const unix = madeBy >> 8 === 3;
  // Folders are implied by file paths; symlinks are not files Isobox can hold.
  const skip = name.endsWith('/') || (unix && (mode === 0o040000 || mode === 0o120000));
  const entry: Entry = { name, method: r.u16(p + 10), flags, crc: r.u32(p + 16), compressedSize, size, localOffset, skip };
  return { ok: true, value: { entry, next } };
}

/** Checks every entry's name, kind and declared size, before any byte is inflated. */
function readDirectory(bytes: Uint8Array): Parsed<Entry[]> {
  if (bytes.length < 22) return notZip('too short');
  const r = new Reader(bytes);
  const dir = findDirectory(r);
  if (!dir.ok) return dir;
  const entries: Entry[] = [];
  let total = 0;
  let p = dir.value.offset;
  for (let i = 0; i < dir.value.count; i++) {
    const read = readEntry(r, p);
    if (!read.ok) return read;
    p = read.value.next;
    const e = read.value.entry;
    if (e.skip) continue;
    if (entries.length === ZIP_MAX_FILES) {
      return { ok: false, error: new ShareError('too-many-files', `the archive holds more than ${ZIP_MAX_FILES} files`) };
    }
    const pathError = validatePath(e.name);
    if (pathError) return { ok: false, error: pathError };
    if (e.flags & 0x41) return notZip(`${showPath(e.name)} is encrypted`);
    if (e.method !== 0 && e.method !== 8) return notZip(`${showPath(e.name)} uses compression method ${e.method}; only stored and deflate are supported`);
    if (e.size < 0 || e.compressedSize < 0 || e.localOffset < 0) return notZip(`${showPath(e.name)} has sizes beyond 2^53`);
    if (e.size > ZIP_MAX_FILE_BYTES) {
      return { ok: false, error: new ShareError('too-large', `${showPath(e.name)} unpacks to ${e.size} bytes, more than the ${ZIP_MAX_FILE_BYTES / 1024 / 1024} MiB limit per file`) };
    }
    total += e.size;
    if (total > ZIP_MAX_TOTAL_BYTES) {
      return { ok: false, error: new ShareError('too-large', `the archive unpacks to more than ${ZIP_MAX_TOTAL_BYTES / 1024 / 1024} MiB`) };
    }
    entries.push(e);
  }
  const setError = validatePathSet(
    entries.map((e) => e.name),
    ZIP_MAX_FILES,
  );
  if (setError) return { ok: false, error: setError };
  return { ok: true, value: entries };
}

const CRC_TABLE = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(bytes: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = (CRC_TABLE[(c ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function extract(r: Reader, e: Entry): Parsed<Uint8Array> {
  const damaged = (why: string): { ok: false; error: ShareError } => ({ ok: false, error: new ShareError('bad-deflate', `${showPath(e.name)} in the archive is damaged: ${why}`) });
  const h = e.localOffset;
  if (!r.has(h, 30) || r.u32(h) !== SIG_LOCAL) return notZip(`the local header of ${showPath(e.name)} is missing`);
  const start = h + 30 + r.u16(h + 26) + r.u16(h + 28);
  if (!r.has(start, e.compressedSize)) return notZip(`the data of ${showPath(e.name)} is cut short`);
  const raw = r.bytes.subarray(start, start + e.compressedSize);
  let data: Uint8Array;
  if (e.method === 0) {
    if (e.compressedSize !== e.size) return damaged('stored size and size differ');
    data = new Uint8Array(raw); // a copy, and a plain Uint8Array even when given a Node Buffer
  } else if (e.size === 0 && e.compressedSize === 0) {
    data = new Uint8Array(0); // some writers give an empty file no deflate stream at all
  } else {
    const inflated = inflateRawCapped(raw, e.size);
    if (!inflated.ok) return damaged(inflated.error.code === 'too-large' ? 'it inflates past its declared size' : inflated.error.message);
    data = inflated.bytes;
  }
  if (data.length !== e.size) return damaged(`it inflates to ${data.length} bytes, not the declared ${e.size}`);
  if (crc32(data) !== e.crc) return damaged('checksum mismatch');
  return { ok: true, value: data };
}

/**
 * Unpacks a zip archive. Refuses, before inflating anything, archives with more than
 * {@link ZIP_MAX_FILES} files, a file declared over {@link ZIP_MAX_FILE_BYTES} or a total over
 * {@link ZIP_MAX_TOTAL_BYTES}, and any path {@link validatePath} refuses. Folder entries and
 * symlinks are skipped. Stored and deflate entries only; each is checked against its declared
 * size and CRC-32. Never throws.
 */
export function importZip(bytes: Uint8Array): ZipImportResult {
  if (!(bytes instanceof Uint8Array)) return notZip('expected bytes');
  try {
    const dir = readDirectory(bytes);
    if (!dir.ok) return dir;
    const r = new Reader(bytes);
    const files = new Map<string, Uint8Array>();
    for (const entry of dir.value) {
      const data = extract(r, entry);
      if (!data.ok) return data;
      files.set(entry.name, data.value);
    }
    return { ok: true, files: Object.fromEntries(files) };
  } catch (e) {
    // Every read is bounds-checked; this is a safety net so the "never throws" promise holds.
    return notZip(e instanceof Error ? e.message : String(e));
  }
}
