import { describe, expect, it } from 'vitest';
import { createMemoryWorkspace } from '../fs/memory.ts';
import { DEFAULT_LIMITS } from '../limits.ts';
import type { RuntimeStatus } from '../protocol.ts';
import { startLiveWorker } from './live-worker.ts';
import { createSandbox } from './sandbox.ts';
import { countingSpawner } from '../../../tests/helpers/counting-spawner.ts';

// A page starts its worker (and Python) before the project is open; the sandbox takes it over.
describe('sandbox: a pre-started worker', () => {
  it('is taken over when its settings match: Python is ready without loading again', async () => {
    const early = countingSpawner();
    const worker = startLiveWorker(early.spawn, { outputCapBytes: DEFAULT_LIMITS.outputCapBytes, allowNet: [] }, ['python']);
    await worker.ready;
    const later = countingSpawner();
    const sb = createSandbox({ workspace: createMemoryWorkspace({ 'in.txt': 'x' }), spawn: later.spawn, prestarted: worker });
    try {
      const statuses: RuntimeStatus[] = [];
      sb.onRuntimeStatus((status) => statuses.push(status));
      await sb.warmup('python');
      const r = await sb.run({ language: 'python', code: 'print(open("in.txt").read())' });
      expect(r.stdout).toBe('x\n');
      expect(later.count()).toBe(0);
      // The status it reached before the sandbox existed is replayed to the sandbox's listeners.
      expect(statuses.map((s) => `${s.runtime} ${s.phase}`)).toContain('python ready');
    } finally {
      await sb.dispose();
    }
  }, 60_000);

  it('is ended, not used, when it was started with other settings (a different network allow-list)', async () => {
    const early = countingSpawner();
    const worker = startLiveWorker(early.spawn, { outputCapBytes: DEFAULT_LIMITS.outputCapBytes, allowNet: ['https://example.com'] }, []);
    const later = countingSpawner();
    const sb = createSandbox({ workspace: createMemoryWorkspace(), spawn: later.spawn, prestarted: worker });
    try {
      expect((await sb.exec('echo fresh')).stdout).toBe('fresh\n');
      expect(later.count()).toBe(1);
      expect(await worker.died.then(() => 'ended')).toBe('ended');
    } finally {
      await sb.dispose();
    }
  }, 60_000);
});
