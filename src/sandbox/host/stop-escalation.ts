/** Why the sandbox ended a job: Stop (or the job's signal), or its time limit. */
export type StopReason = 'killed' | 'timeout';

/** The cooperative interrupt the runtimes poll: Python's interrupt buffer, every WASI call, sleeps. */
const SIGINT = 2;

/**
 * How one job is stopped. Stop, the job's signal or its time limit first set the worker's
 * interrupt flag, so a program that polls it ends cleanly; if the job has not ended `graceMs`
 * later, `terminated` settles and the caller terminates the worker (a program that never polls,
 * ignores SIGINT or replaced its interrupt buffer cannot outlive that).
 */
export class StopEscalation {
  /** Why the job was stopped, once it was. */
  reason: StopReason | undefined;
  /** Settles once the grace period after a stop has passed without the job ending. */
  readonly terminated: Promise<'terminated'>;
  private escalate: (value: 'terminated') => void = () => undefined;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private timeoutTimer: ReturnType<typeof setTimeout> | undefined;
  private ended = false;
  private readonly onAbort = (): void => this.stop('killed');

  /** Starts watching a job about to run on the worker whose interrupt flag is `interrupt`. */
  constructor(
    private readonly interrupt: Int32Array,
    private readonly graceMs: number,
    private readonly signal?: AbortSignal,
  ) {
    this.terminated = new Promise<'terminated'>((resolve) => (this.escalate = resolve));
    signal?.addEventListener('abort', this.onAbort, { once: true });
    // A flag left set by the previous job's Stop must not interrupt this one.
    Atomics.store(interrupt, 0, 0);
  }

  /** Interrupts the job, and terminates its worker if it is still running after the grace period. */
  stop(reason: StopReason): void {
    if (this.reason || this.ended) return;
    this.reason = reason;
    Atomics.store(this.interrupt, 0, SIGINT);
    this.graceTimer = setTimeout(() => this.escalate('terminated'), this.graceMs);
  }

  /**
   * Starts the job's time limit; called once its runtime has loaded, which does not count.
   * Neither does time spent waiting for the user's input, when `idleMs` reports it.
   */
  startClock(timeoutMs: number, idleMs?: () => number): void {
    if (this.ended) return;
    const started = performance.now();
    const idleBefore = idleMs?.() ?? 0;
    const check = (): void => {
      const used = performance.now() - started - ((idleMs?.() ?? 0) - idleBefore);
      if (used >= timeoutMs) this.stop('timeout');
      else this.timeoutTimer = setTimeout(check, timeoutMs - used);
    };
    this.timeoutTimer = setTimeout(check, timeoutMs);
  }

  /** Pauses the time limit while the job waits for the person (a packages prompt); startClock resumes it. */
  holdClock(): void {
    clearTimeout(this.timeoutTimer);
  }

  /** The job is over: no timer or signal stops anything any more. */
  end(): void {
    this.ended = true;
    clearTimeout(this.timeoutTimer);
    clearTimeout(this.graceTimer);
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}
