import type { PackageDelivery, PackageNeed } from '../protocol.ts';
import type { PackageProvider } from './provider.ts';

/** The part of a job's stop control that packages use: the time limit. */
interface JobClock {
  holdClock(): void;
  startClock(timeoutMs: number): void;
}

/**
 * The `loadPackages` callback of one job's WorkerJobIo: asking the person and downloading do not
 * count against the program's time limit. (The wheels are copied to the worker, not transferred:
 * the package store may hold the same bytes.)
 */
export function packagesForJob(provider: PackageProvider, clock: JobClock, timeoutMs: number): (need: PackageNeed) => Promise<PackageDelivery> {
  return async (need) => {
    clock.holdClock();
    try {
      return await provider.provide(need);
    } finally {
      clock.startClock(timeoutMs);
    }
  };
}
