import type { OutputChunk, StreamName } from '../protocol.ts';

/** How long output may wait in the worker before it is posted, so a chatty loop sends few messages. */
const FLUSH_INTERVAL_MS = 16;
const FLUSH_BYTES = 32 * 1024;

/**
 * Turns a program's raw stdout/stderr bytes into text chunks for the host: decodes UTF-8 across
 * write boundaries, enforces the per-stream output cap, and batches small writes. Flushing is
 * checked on each write, because a busy program blocks the worker's event loop; a timer sends
 * what is left once the program yields (it awaits, sleeps asynchronously, or waits for the next
 * command), so the last line before a pause never waits for the run to end.
 */
export class OutputPump {
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  private readonly bytes = { stdout: 0, stderr: 0 };
  private readonly pending: OutputChunk[] = [];
  private pendingBytes = 0;
  private lastFlush = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly capped = new Set<StreamName>();
  truncated = false;

  constructor(
    private readonly capBytes: number,
    private readonly send: (chunks: OutputChunk[]) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  write(stream: StreamName, data: Uint8Array): void {
    const used = this.bytes[stream];
    if (used >= this.capBytes) {
      // The cap may fall exactly on a write boundary: the first write past it still says so.
      if (data.byteLength > 0 && !this.capped.has(stream)) {
        this.capped.add(stream);
        this.truncated = true;
        this.push({ stream, text: '', truncated: true });
        this.flush();
      }
      return;
    }
    const room = this.capBytes - used;
    const kept = data.byteLength > room ? data.subarray(0, room) : data;
    this.bytes[stream] = used + kept.byteLength;
    const cut = kept.byteLength < data.byteLength;
    // At the cap, a character cut in half is dropped rather than shown as U+FFFD.
    const text = this.decoders[stream].decode(kept, { stream: true });
    if (cut) this.capped.add(stream);
    this.push({ stream, text, ...(cut ? { truncated: true } : {}) });
    if (cut) {
      this.truncated = true;
      this.flush();
    }
  }

  /** Sends everything pending, finishing any partial UTF-8 sequence. */
  flush(final = false): void {
    if (final) {
      for (const stream of ['stdout', 'stderr'] as const) {
        if (this.capped.has(stream)) continue;
        const rest = this.decoders[stream].decode();
        if (rest) this.pending.push({ stream, text: rest });
      }
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    this.send(this.pending.splice(0));
    this.pendingBytes = 0;
    this.lastFlush = this.now();
  }

  private push(chunk: OutputChunk): void {
    const last = this.pending[this.pending.length - 1];
    if (last && last.stream === chunk.stream && !last.truncated) {
      last.text += chunk.text;
      if (chunk.truncated) last.truncated = true;
    } else {
      this.pending.push(chunk);
    }
    this.pendingBytes += chunk.text.length;
    if (this.pendingBytes >= FLUSH_BYTES || this.now() - this.lastFlush >= FLUSH_INTERVAL_MS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_INTERVAL_MS);
  }
}
