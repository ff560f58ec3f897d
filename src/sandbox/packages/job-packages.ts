import type { PackageDelivery, PackageNeed } from '../protocol.ts';
import type { PackageProvider } from './provider.ts';

/** The part of a job's stop control that packages use: the time limit. */
interface JobClock {
  holdClock(): void;
  startClock(timeoutMs: number): void;
  /** Settles when a stopped job's worker is terminated (Stop pressed while the prompt is open). */
  readonly terminated: Promise<unknown>;
}

/**
 * The `loadPackages` callback of one job's WorkerJobIo: asking the person and downloading do not
 * count against the program's time limit, and a question whose run was stopped is taken back. (The wheels are copied to the worker, not transferred:
 * the package store may hold the same bytes.)
 */
export function packagesForJob(provider: PackageProvider, clock: JobClock, timeoutMs: number): (need: PackageNeed) => Promise<PackageDelivery> {
  return async (need) => {
    clock.holdClock();
    const stopped = new AbortController();
    void clock.terminated.then(() => stopped.abort());
    try {
      return await provider.provide(need, stopped.signal);
    } finally {
      clock.startClock(timeoutMs);
    }
  };
}
