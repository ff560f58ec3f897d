import type { SpawnWorker } from '../../src/sandbox/host/spawn.ts';
import { spawnNodeWorker } from '../../src/sandbox/host/spawn.node.ts';

/** A Node worker spawner that counts the workers it started (for tests of the worker pool's lifecycle). */
export function countingSpawner(): { spawn: SpawnWorker; count: () => number } {
  const spawn = spawnNodeWorker();
  let started = 0;
  return {
    spawn: () => {
      started++;
      return spawn();
    },
    count: () => started,
  };
}
