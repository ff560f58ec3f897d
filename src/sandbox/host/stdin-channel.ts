import type { TerminalSize, WorkerJob } from '../protocol.ts';
import { StdinRing, createStdinRing, utf8Prefix } from '../stdin-ring.ts';

/** How often text that did not fit in the ring is offered again while the program reads. */
const RETRY_MS = 10;

/**
 * The host side of one interactive run's stdin: what the user types goes into a ring the
 * sandbox worker reads from. Text given while the run is still queued or loading is already in
 * the ring when it starts (type-ahead); text beyond the ring's room waits here and follows as
 * the program reads; `end()` (Ctrl-D) takes effect after everything given before it.
 */
export class StdinChannel {
  private readonly ring: StdinRing;
  private readonly encoder = new TextEncoder();
  private pending: Uint8Array[] = [];
  private endRequested = false;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(capacity?: number) {
    this.ring = new StdinRing(createStdinRing(capacity));
  }

  /** The shared buffer the worker reads; sent with the job. */
  get buffer(): SharedArrayBuffer {
    return this.ring.buffer;
  }

  /** Whether this channel still takes input (not ended by Ctrl-D, run not over). */
  get open(): boolean {
    return !this.closed && !this.endRequested;
  }

  /** Queues text for the program. False once the input was ended or the run is over. */
  write(text: string): boolean {
    if (!this.open) return false;
    // Line by line: a line goes into the ring whole, so a paste reaches the program one line per read.
    for (const line of text.split(/(?<=\n)/)) if (line !== '') this.pending.push(this.encoder.encode(line));
    this.pump();
    return true;
  }

  /** Ends the input once what was written before is read. False when already ended or over. */
  end(): boolean {
    if (!this.open) return false;
    this.endRequested = true;
    this.pump();
    return true;
  }

  /** The run is over: stop offering text (the worker no longer reads this ring). */
  close(): void {
    this.closed = true;
    this.pending = [];
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Moves pending text into the ring as far as it has room; retries later for the rest. */
  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length > 0) {
      const next = this.pending[0] as Uint8Array;
      const space = this.ring.space();
      // Only a line longer than the whole ring is given in pieces (never half a character).
      const fits = next.byteLength <= space ? next.byteLength : next.byteLength > this.ring.capacity ? utf8Prefix(next, space) : 0;
      if (fits === 0) break;
      this.ring.write(next.subarray(0, fits));
      if (fits === next.byteLength) this.pending.shift();
      else this.pending[0] = next.subarray(fits);
    }
    if (this.pending.length > 0) {
      this.timer = setTimeout(() => this.pump(), RETRY_MS);
      return;
    }
    if (this.endRequested && !this.ring.ended()) this.ring.end();
  }
}

/**
 * The stdin channels of a sandbox's interactive jobs that are queued or running. What the user
 * types goes to the newest one: the job they started last is the one waiting for them.
 */
export class StdinChannels {
  private readonly channels: StdinChannel[] = [];

  /**
   * For a job being queued: its stdin is the terminal when the caller asked for it and gave no
   * stdin of its own (which then is all it reads: it never waits on the keyboard).
   */
  forJob(request: TerminalRequest): JobTerminal {
    // Without SharedArrayBuffer (a page that is not cross-origin isolated) the worker cannot wait for input: end-of-file.
    const shared = typeof SharedArrayBuffer === 'function';
    const channel = request.interactive && request.stdin === undefined && shared ? this.open() : undefined;
    const size = request.terminalSize;
    return {
      attach: (job) => ({
        ...job,
        // The caller's own COLUMNS/LINES win over the terminal's.
        ...(size ? { env: { COLUMNS: String(size.columns), LINES: String(size.rows), ...job.env } } : {}),
        ...(channel ? { terminal: channel.buffer } : {}),
      }),
      release: () => {
        if (channel) this.release(channel);
      },
    };
  }

  /** A channel for a job just queued; `release` it when the job is over. */
  open(capacity?: number): StdinChannel {
    const channel = new StdinChannel(capacity);
    this.channels.push(channel);
    return channel;
  }

  /** The job is over (or never started): its channel takes no more input. */
  release(channel: StdinChannel): void {
    channel.close();
    const at = this.channels.indexOf(channel);
    if (at >= 0) this.channels.splice(at, 1);
  }

  /** Gives text to the newest job's stdin; false when no interactive job is queued or running. */
  write(text: string): boolean {
    return this.newest()?.write(text) ?? false;
  }

  /** Ends the newest job's stdin; false when there is none. */
  end(): boolean {
    return this.newest()?.end() ?? false;
  }

  private newest(): StdinChannel | undefined {
    return this.channels[this.channels.length - 1];
  }
}

/**
 * How long the job reading `buffer` (a job's stdin ring) has waited for the user's input so far,
 * in milliseconds: the time limit does not count it, so a program may wait for a slow typist.
 */
export function inputWaitClock(buffer: SharedArrayBuffer): () => number {
  const ring = new StdinRing(buffer);
  return () => ring.waitedMs();
}

/** What a run or shell line asked for its stdin and terminal (fields of RunOptions and ExecOptions). */
export interface TerminalRequest {
  stdin?: string;
  interactive?: boolean;
  terminalSize?: TerminalSize;
}

/** A queued job's link to the terminal. */
export interface JobTerminal {
  /** The job as the worker gets it: with the stdin ring, and the terminal size as COLUMNS/LINES. */
  attach(job: WorkerJob): WorkerJob;
  /** The job is over (or never started): typed text goes elsewhere from now on. */
  release(): void;
}
