import { describe, expect, it } from 'vitest';
import { createMemoryWorkspace } from '../fs/memory.ts';
import type { SnapshotStore } from '../protocol.ts';
import { createNodeSandbox } from './node.ts';
import { memorySnapshotStore } from './snapshot-store.ts';

/** A store that records what workers did with it. */
function recordingStore(initial?: Uint8Array): SnapshotStore & { calls: string[]; saved: () => Promise<Uint8Array> } {
  const inner = memorySnapshotStore();
  const calls: string[] = [];
  let onSave: (snapshot: Uint8Array) => void = () => undefined;
  const saved = new Promise<Uint8Array>((resolve) => (onSave = resolve));
  if (initial) void inner.save(initial);
  return {
    calls,
    saved: () => saved,
    async load() {
      const snapshot = await inner.load();
      calls.push(snapshot ? 'load:hit' : 'load:miss');
      return snapshot;
    },
    async save(snapshot) {
      calls.push('save');
      await inner.save(snapshot);
      onSave(snapshot);
    },
    async discard() {
      calls.push('discard');
      await inner.discard();
    },
  };
}

const PROBE = ['import js, sys', 'print(sys.version_info[:2] >= (3, 12), getattr(js, "fetch", None), hasattr(js, "setTimeout"))'].join('\n');

// Python start-up from a memory snapshot: made once by a fresh interpreter, used by later workers.
describe('sandbox: Python start-up snapshots', () => {
  it('saves a snapshot of a fresh interpreter, and a later sandbox starts from it with the same lockdown', async () => {
    const store = recordingStore();
    const first = createNodeSandbox({ workspace: createMemoryWorkspace(), snapshots: store });
    try {
      expect((await first.run({ language: 'python', code: PROBE })).stdout).toBe('True None True\n');
      const snapshot = await store.saved();
      expect(snapshot.byteLength).toBeGreaterThan(1_000_000);
    } finally {
      await first.dispose();
    }
    const second = createNodeSandbox({ workspace: createMemoryWorkspace({ 'a.txt': 'from the workspace' }), snapshots: store });
    try {
      const r = await second.run({ language: 'python', code: `${PROBE}\nprint(open("a.txt").read())\nimport os\nprint(os.environ.get("HOME"), os.getcwd())` });
      expect(r.stdout).toBe('True None True\nfrom the workspace\n/home/pyodide /workspace\n');
      // The attempt on js.fetch is audited in a restored interpreter too.
      expect(r.audit.blocked.map((b) => b.target)).toContain('js.fetch');
    } finally {
      await second.dispose();
    }
    expect(store.calls).toEqual(['load:miss', 'save', 'load:hit']);
  }, 120_000);

  it('discards a snapshot that does not restore, starts from scratch and saves a good one', async () => {
    const store = recordingStore(new Uint8Array(4096).fill(7));
    const sb = createNodeSandbox({ workspace: createMemoryWorkspace(), snapshots: store });
    try {
      expect((await sb.run({ language: 'python', code: 'print(6 * 7)' })).stdout).toBe('42\n');
      await store.saved();
      expect(store.calls).toEqual(['load:hit', 'discard', 'save']);
    } finally {
      await sb.dispose();
    }
  }, 120_000);

  it('never saves a snapshot from a worker where user code already ran', async () => {
    const store = recordingStore();
    const sb = createNodeSandbox({ workspace: createMemoryWorkspace(), snapshots: store });
    try {
      // A shell job runs first (user code, no Python); Python loads later in the same worker.
      expect((await sb.exec('echo hi')).stdout).toBe('hi\n');
      expect((await sb.run({ language: 'python', code: 'print(1)' })).stdout).toBe('1\n');
      expect(store.calls).toEqual(['load:miss']);
    } finally {
      await sb.dispose();
    }
  }, 120_000);
});
