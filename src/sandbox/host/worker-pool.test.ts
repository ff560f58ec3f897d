import * as Comlink from 'comlink';
import { MessageChannel } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { RuntimeStatus, SandboxWorkerApi } from '../protocol.ts';
import { startLiveWorker } from './live-worker.ts';
import type { SpawnWorker } from './spawn.ts';
import { WorkerPool } from './worker-pool.ts';

/** A worker in this thread: it answers the API over a real message channel and records its life. */
interface FakeWorker {
  id: number;
  warmed: RuntimeStatus['runtime'][];
  terminated: boolean;
  die(reason: string): void;
}

/** Spawns fake workers that load nothing: `warmup` reports the runtime ready at once. */
function fakeSpawner(): { spawn: SpawnWorker; workers: FakeWorker[] } {
  const workers: FakeWorker[] = [];
  const ports: { close(): void }[] = [];
  afterEach(() => {
    for (const port of ports.splice(0)) port.close();
  });
  const spawn: SpawnWorker = () => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    let onExit: (reason: string) => void = () => undefined;
    let report: (status: RuntimeStatus) => void = () => undefined;
    const fake: FakeWorker = { id: workers.length + 1, warmed: [], terminated: false, die: (reason) => onExit(reason) };
    workers.push(fake);
    const api: Pick<SandboxWorkerApi, 'init' | 'warmup'> = {
      async init(_init, onRuntimeStatus) {
        report = onRuntimeStatus;
      },
      async warmup(runtime) {
        fake.warmed.push(runtime);
        report({ runtime, phase: 'ready', detail: `${runtime} in worker ${fake.id}` });
      },
    };
    Comlink.expose(api, nodeEndpoint(port2));
    return {
      endpoint: nodeEndpoint(port1),
      terminate: () => {
        fake.terminated = true;
        port1.close();
        port2.close();
      },
      onExit: (listener) => (onExit = listener),
    };
  };
  return { spawn, workers };
}

const settings = { outputCapBytes: 1024, allowNet: [] };

/** Waits for fire-and-forget work (status callbacks, spare start) to land. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

describe('WorkerPool', () => {
  it('starts one worker on first use and reuses it', () => {
    const { spawn, workers } = fakeSpawner();
    const pool = new WorkerPool({ spawn, settings, onStatus: () => undefined });
    expect(workers).toHaveLength(0);
    const first = pool.current();
    expect(pool.current()).toBe(first);
    expect(workers).toHaveLength(1);
    pool.dispose();
    expect(workers[0]?.terminated).toBe(true);
  });

  it('keeps a warm spare once the active worker is ready, and swaps to it on replace', async () => {
    const { spawn, workers } = fakeSpawner();
    const statuses: string[] = [];
    const pool = new WorkerPool({ spawn, settings, keepSpare: true, onStatus: (s) => statuses.push(s.detail) });
    await pool.warmup('python');
    await settle();
    // The spare warmed Python too (warming twice is harmless), silently: only the active worker's status is heard.
    expect(workers.map((w) => [...new Set(w.warmed)])).toEqual([['python'], ['python']]);
    expect([...new Set(statuses)]).toEqual(['python in worker 1']);
    pool.replace();
    expect(workers[0]?.terminated).toBe(true);
    await pool.current().ready;
    // The spare's status is replayed as it becomes active, and a new spare starts behind it.
    expect([...new Set(statuses)]).toEqual(['python in worker 1', 'python in worker 2']);
    await settle();
    expect(workers).toHaveLength(3);
    expect(new Set(workers[2]?.warmed)).toEqual(new Set(['python']));
    pool.dispose();
    expect(workers.every((w) => w.terminated)).toBe(true);
  });

  it('without a spare, starts a new worker in place of a replaced one', async () => {
    const { spawn, workers } = fakeSpawner();
    const pool = new WorkerPool({ spawn, settings, onStatus: () => undefined });
    await pool.warmup('ruby');
    pool.replace();
    await pool.current().ready;
    await settle();
    expect(workers).toHaveLength(2);
    expect(new Set(workers[1]?.warmed)).toEqual(new Set(['ruby']));
    pool.dispose();
  });

  it('retires a worker to the spare at once, and without a spare starts the next one only on use', async () => {
    const withSpare = fakeSpawner();
    const pool = new WorkerPool({ spawn: withSpare.spawn, settings, keepSpare: true, onStatus: () => undefined });
    await pool.warmup('python');
    await settle();
    const spare = withSpare.workers[1];
    pool.retire();
    expect(withSpare.workers[0]?.terminated).toBe(true);
    expect(spare?.terminated).toBe(false);
    await pool.current().ready;
    await settle();
    // The spare took over (no new worker for it) and a new spare is being prepared behind it.
    expect(withSpare.workers).toHaveLength(3);
    expect(new Set(withSpare.workers[2]?.warmed)).toEqual(new Set(['python']));
    pool.dispose();

    const alone = fakeSpawner();
    const single = new WorkerPool({ spawn: alone.spawn, settings, onStatus: () => undefined });
    const first = single.current();
    single.retire();
    expect(alone.workers[0]?.terminated).toBe(true);
    await settle();
    expect(alone.workers).toHaveLength(1);
    expect(single.current()).not.toBe(first);
    expect(alone.workers).toHaveLength(2);
    single.dispose();
  });

  it('forgets a worker that died, and starts another on next use', async () => {
    const { spawn, workers } = fakeSpawner();
    const pool = new WorkerPool({ spawn, settings, onStatus: () => undefined });
    const first = pool.current();
    workers[0]?.die('out of memory');
    await first.died;
    await settle();
    expect(pool.current()).not.toBe(first);
    expect(workers).toHaveLength(2);
    pool.dispose();
  });

  it('adopts a pre-started worker with the same settings and ends one with other settings', async () => {
    const same = fakeSpawner();
    const early = startLiveWorker(same.spawn, { ...settings }, ['python']);
    const later = fakeSpawner();
    const statuses: string[] = [];
    const pool = new WorkerPool({ spawn: later.spawn, settings, prestarted: early, onStatus: (s) => statuses.push(s.detail) });
    await early.ready;
    expect(pool.current()).toBe(early);
    expect(later.workers).toHaveLength(0);
    expect(statuses).toEqual(['python in worker 1']);
    pool.dispose();

    const other = fakeSpawner();
    const foreign = startLiveWorker(other.spawn, { ...settings, allowNet: ['https://example.com'] }, []);
    const fresh = fakeSpawner();
    const second = new WorkerPool({ spawn: fresh.spawn, settings, prestarted: foreign, onStatus: () => undefined });
    expect(second.current()).not.toBe(foreign);
    expect(other.workers[0]?.terminated).toBe(true);
    expect(fresh.workers).toHaveLength(1);
    second.dispose();
  });
});
