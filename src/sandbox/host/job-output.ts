import type { BlockedAttempt, OutputChunk } from '../protocol.ts';

/** How long to wait for output batches still in flight when a job ends: a lost message must not hang the run. */
const STRAGGLER_WAIT_MS = 2000;

/**
 * Collects what one job streams back while it runs: output chunks (forwarded to the caller as
 * they come) and blocked attempts. Both travel on their own Comlink port, so they can arrive
 * after the job's outcome; `allArrived` waits for the count the worker reports.
 */
export class JobOutput {
  stdout = '';
  stderr = '';
  /** Some output was dropped by the per-stream cap. */
  truncated = false;
  readonly blocked: BlockedAttempt[] = [];
  private finished = false;
  private batchesSeen = 0;
  private batchWaiter: (() => void) | undefined;

  constructor(private readonly onOutput?: (chunk: OutputChunk) => void) {}

  /** The worker's `onOutput`: keeps the chunks and forwards them to the caller. */
  readonly forward = (chunks: OutputChunk[]): void => {
    if (this.finished) return;
    this.batchesSeen++;
    this.batchWaiter?.();
    for (const chunk of chunks) {
      this[chunk.stream] += chunk.text;
      if (chunk.truncated) this.truncated = true;
      this.onOutput?.(chunk);
    }
  };

  /** The worker's `onBlocked`: keeps the attempt for the audit. */
  readonly onBlocked = (attempt: BlockedAttempt): void => {
    if (this.finished) return;
    this.batchesSeen++;
    this.blocked.push(attempt);
    this.batchWaiter?.();
  };

  /** Settles once `expected` batches (output and blocked attempts) arrived, or after a safety delay. */
  allArrived(expected: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const safety = setTimeout(resolve, STRAGGLER_WAIT_MS);
      this.batchWaiter = () => {
        if (this.batchesSeen < expected) return;
        clearTimeout(safety);
        resolve();
      };
      this.batchWaiter();
    });
  }

  /** The job is over: whatever a worker still sends (say, one left running after Stop) is ignored. */
  finish(): void {
    this.finished = true;
  }

  /** A note of the host (not the program), streamed like the program's stderr so every viewer shows it. */
  note(text: string): void {
    if (text) this.onOutput?.({ stream: 'stderr', text });
  }
}
