/**
 * The interactive stdin ring: a SharedArrayBuffer one host thread writes typed lines into and the
 * sandbox worker reads from, blocking with `Atomics.wait`. Both sides import this layout; the host
 * keeps type-ahead that does not fit yet (stdin-channel.ts), the worker waits in slices so a Stop
 * still reaches a program blocked on input (worker/stdin.ts).
 *
 * Layout: eight Int32 header words, then `capacity` data bytes (a power of two). Positions are
 * byte counts since the start that wrap at 2^32; `write - read` is what is waiting.
 */

const WRITE = 0;
const READ = 1;
const ENDED = 2;
/** Bumped on every write and end: the word the reader sleeps on, so no wake-up is lost. */
const SEQ = 3;
/** Milliseconds the reader has spent waiting for input: the time limit does not count them. */
const WAITED_MS = 4;
const HEADER_BYTES = 32;

/** Data bytes a ring holds by default: far more than one typed line, enough for a long paste. */
export const DEFAULT_RING_BYTES = 64 * 1024;

/** Creates an empty ring of `capacity` data bytes (rounded up to a power of two, at least 16). */
export function createStdinRing(capacity = DEFAULT_RING_BYTES): SharedArrayBuffer {
  let size = 16;
  while (size < capacity) size *= 2;
  return new SharedArrayBuffer(HEADER_BYTES + size);
}

/** A view of a ring for either side. */
export class StdinRing {
  private readonly header: Int32Array;
  private readonly data: Uint8Array;
  private readonly mask: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.data = new Uint8Array(buffer, HEADER_BYTES);
    this.mask = this.data.byteLength - 1;
  }

  /** Data bytes the ring holds when full. */
  get capacity(): number {
    return this.data.byteLength;
  }

  /** Bytes written and not yet read. */
  available(): number {
    return (Atomics.load(this.header, WRITE) - Atomics.load(this.header, READ)) >>> 0;
  }

  /** Room left for the writer. */
  space(): number {
    return this.data.byteLength - this.available();
  }

  /** Whether the writer ended the input (Ctrl-D); reads return end-of-file once the ring is empty. */
  ended(): boolean {
    return Atomics.load(this.header, ENDED) !== 0;
  }

  /** The wake-up counter's value, read before checking for data, then waited on. */
  sequence(): number {
    return Atomics.load(this.header, SEQ);
  }

  /** Sleeps until the writer changes the ring (or `ms` pass). False where this thread may not block. */
  waitForChange(seen: number, ms: number): boolean {
    try {
      Atomics.wait(this.header, SEQ, seen, ms);
      return true;
    } catch {
      return false;
    }
  }

  /** How long the reader has waited for input so far, in milliseconds. */
  waitedMs(): number {
    return Atomics.load(this.header, WAITED_MS);
  }

  /** Reader: adds whole milliseconds spent waiting for input. */
  addWaited(ms: number): void {
    Atomics.add(this.header, WAITED_MS, ms);
  }

  /** Writer: appends bytes; the caller checks `space()` first. */
  write(bytes: Uint8Array): void {
    if (bytes.byteLength > this.space()) throw new RangeError('stdin ring overflow');
    const at = Atomics.load(this.header, WRITE) >>> 0;
    for (let i = 0; i < bytes.byteLength; i++) this.data[(at + i) & this.mask] = bytes[i] ?? 0;
    Atomics.store(this.header, WRITE, (at + bytes.byteLength) | 0);
    this.wake();
  }

  /** Writer: no more input after what is in the ring. */
  end(): void {
    Atomics.store(this.header, ENDED, 1);
    this.wake();
  }

  /**
   * Reader: takes what is waiting, like a terminal in canonical mode: at most one line (through
   * its '\n') and at most `max` bytes, never ending inside a UTF-8 character when it can help it.
   */
  readLine(max: number): Uint8Array {
    const at = Atomics.load(this.header, READ) >>> 0;
    const limit = Math.min(max, this.available());
    let n = 0;
    while (n < limit) {
      const byte = this.data[(at + n) & this.mask] ?? 0;
      n++;
      if (byte === 0x0a) break;
    }
    if (n === limit && n < this.available()) n = utf8Boundary(this.data, this.mask, at, n);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.data[(at + i) & this.mask] ?? 0;
    Atomics.store(this.header, READ, (at + n) | 0);
    return out;
  }

  private wake(): void {
    Atomics.add(this.header, SEQ, 1);
    Atomics.notify(this.header, SEQ);
  }
}

/**
 * Shortens a cut of `n` bytes so it does not end inside a multi-byte character (the rest of it is
 * still in the ring). A cut too short to hold one whole character is kept as it is.
 */
function utf8Boundary(data: Uint8Array, mask: number, at: number, n: number): number {
  let start = n;
  // Back up over continuation bytes (10xxxxxx) to the lead byte of the last character.
  while (start > 0 && ((data[(at + start - 1) & mask] ?? 0) & 0xc0) === 0x80) start--;
  if (start === 0) return n;
  const lead = data[(at + start - 1) & mask] ?? 0;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  const whole = n - (start - 1) >= length;
  if (whole) return n;
  return start - 1 > 0 ? start - 1 : n;
}

/**
 * The longest prefix of `bytes` (at most `max` long) that ends on a UTF-8 character boundary, so
 * the writer never puts half a character in the ring.
 */
export function utf8Prefix(bytes: Uint8Array, max: number): number {
  if (bytes.byteLength <= max) return bytes.byteLength;
  let n = max;
  while (n > 0 && ((bytes[n] ?? 0) & 0xc0) === 0x80) n--;
  return n;
}
