/**
 * Flow control between program output and the terminal emulator: output is queued, handed to the
 * emulator once per animation frame in slices it can parse between frames, and only while little
 * is still unparsed (the emulator's write callback says what it finished). 1 MiB of output thus
 * scrolls by over a few frames instead of freezing the tab in one long task.
 */

/** The emulator side: `write` calls `parsed` once it has processed `data`. */
export interface WriteSink {
  write(data: string, parsed: () => void): void;
}

/** Calls `callback` at the next frame; returns a cancel function. */
export type FrameScheduler = (callback: () => void) => () => void;

/** Most characters one write hands the emulator: it parses each write without yielding. */
const SLICE_CHARS = 8 * 1024;
/** Most characters handed over but not yet parsed; above it, output waits for a later frame. */
const HIGH_WATER_CHARS = 64 * 1024;
/** A hidden tab gets no animation frames; a timer keeps output (and `drained`) moving there. */
const FRAME_FALLBACK_MS = 100;

/** The next animation frame, or a timer if frames stop (a hidden tab). */
export const animationFrames: FrameScheduler = (callback) => {
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    callback();
  };
  const frame = requestAnimationFrame(once);
  const timer = setTimeout(once, FRAME_FALLBACK_MS);
  return () => {
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
};

type Item = { data: string } | { task: () => void };

/** Queues writes (and tasks ordered with them) for one emulator. */
export class OutputWriter {
  private queue: Item[] = [];
  private inFlight = 0;
  private cancelFrame: (() => void) | undefined;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly sink: WriteSink,
    private readonly schedule: FrameScheduler = animationFrames,
  ) {}

  /**
   * Queues text (with its escape sequences) for the terminal. When nothing is queued or being
   * parsed (a key's echo, a program's first line) it goes at once: waiting for a frame would add
   * one to the echo of every key. What follows it while it is parsed is batched per frame.
   */
  write(data: string): void {
    if (data === '') return;
    this.queue.push({ data });
    if (this.queue.length === 1 && this.inFlight === 0 && this.cancelFrame === undefined) this.pump();
    else this.wake();
  }

  /** Runs `task` once everything queued before it is on screen (e.g. read the cursor, clear). */
  run(task: () => void): void {
    this.queue.push({ task });
    this.wake();
  }

  /** Characters queued or handed over but not yet parsed. */
  get backlog(): number {
    return this.inFlight + this.queue.reduce((n, item) => n + ('data' in item ? item.data.length : 0), 0);
  }

  /** Settles once everything queued so far is on screen. */
  drained(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops everything not yet handed over (the screen is about to be cleared). */
  discard(): void {
    this.queue = this.queue.filter((item) => 'task' in item);
    this.settle();
  }

  private idle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0;
  }

  private wake(): void {
    this.cancelFrame ??= this.schedule(() => {
      this.cancelFrame = undefined;
      this.pump();
    });
  }

  /** Hands queued text to the emulator up to the high-water mark; runs tasks whose turn came. */
  private pump(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0] as Item;
      if ('task' in head) {
        // A task sees the screen with everything before it parsed.
        if (this.inFlight > 0) return;
        this.queue.shift();
        head.task();
        continue;
      }
      if (this.inFlight >= HIGH_WATER_CHARS) return;
      const slice = this.takeSlice();
      this.inFlight += slice.length;
      this.sink.write(slice, () => {
        this.inFlight -= slice.length;
        // More to hand over, or a task waiting on this write: next frame.
        if (this.queue.length > 0) this.wake();
        this.settle();
      });
    }
    this.settle();
  }

  /** Joins queued text from the head into one write of at most SLICE_CHARS. */
  private takeSlice(): string {
    let slice = '';
    while (this.queue.length > 0 && slice.length < SLICE_CHARS) {
      const head = this.queue[0] as Item;
      if ('task' in head) break;
      const room = SLICE_CHARS - slice.length;
      if (head.data.length <= room) {
        slice += head.data;
        this.queue.shift();
      } else {
        // Never cut between the halves of a surrogate pair.
        const cut = isHighSurrogate(head.data.charCodeAt(room - 1)) ? room - 1 : room;
        slice += head.data.slice(0, cut);
        head.data = head.data.slice(cut);
        break;
      }
    }
    return slice;
  }

  private settle(): void {
    if (!this.idle()) return;
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((resolve) => resolve());
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
