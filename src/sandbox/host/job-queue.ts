/**
 * Runs a sandbox's jobs one at a time, in the order they were queued.
 *
 * Two ways to stop a job before it starts: its own signal aborting while it waits settles it as
 * killed at once (not when its turn would have come), and Stop pressed while jobs wait but none
 * runs is kept for the next job to start (`stopNext`, `takeStop`).
 */
export class JobQueue {
  private tail: Promise<unknown> = Promise.resolve();
  /** Jobs queued behind the current one, not yet started. */
  private waiting = 0;
  private pendingStop = false;

  /**
   * Queues `task` behind the jobs before it. If `signal` aborts while the job waits, the job never
   * starts and settles with `killed()` at once.
   */
  enqueue<T>(task: () => Promise<T>, signal: AbortSignal | undefined, killed: () => T): Promise<T> {
    this.waiting++;
    return new Promise<T>((resolve, reject) => {
      let state: 'queued' | 'started' | 'abandoned' = 'queued';
      const abandon = (): void => {
        if (state !== 'queued') return;
        state = 'abandoned';
        resolve(killed());
      };
      signal?.addEventListener('abort', abandon, { once: true });
      if (signal?.aborted) abandon();
      const start = async (): Promise<void> => {
        this.waiting--;
        signal?.removeEventListener('abort', abandon);
        if (state === 'abandoned') return;
        state = 'started';
        await task().then(resolve, reject);
      };
      this.tail = this.tail.then(start, start);
    });
  }

  /** Stop pressed while no job runs: if one waits, the next job to start must stop before it runs. */
  stopNext(): void {
    if (this.waiting > 0) this.pendingStop = true;
  }

  /** Whether the job starting now was stopped before it ran (see `stopNext`); clears the request. */
  takeStop(): boolean {
    const stopped = this.pendingStop;
    this.pendingStop = false;
    return stopped;
  }
}
