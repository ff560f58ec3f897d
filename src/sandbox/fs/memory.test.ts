import { describe, expect, it } from 'vitest';
import { createMemoryWorkspace } from './memory.ts';
import { WorkspaceError } from './paths.ts';
import { describeWorkspaceContract } from './workspace-contract.ts';

describeWorkspaceContract('memory workspace', () => createMemoryWorkspace());

describe('createMemoryWorkspace', () => {
  it('is kind memory', () => {
    expect(createMemoryWorkspace().kind).toBe('memory');
  });

  it('starts from initial files, copied, with parents created', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const ws = createMemoryWorkspace({ 'main.py': 'print(1)\n', './data//raw.bin': bytes });
    bytes[0] = 42;
    expect(await ws.readText('main.py')).toBe('print(1)\n');
    expect([...(await ws.readFile('data/raw.bin'))]).toEqual([1, 2, 3]);
    expect((await ws.manifest()).dirs).toEqual(['data']);
  });

  it('refuses bad initial paths', () => {
    expect(() => createMemoryWorkspace({ '../escape': 'x' })).toThrow(WorkspaceError);
  });

  it('gives every write a new stamp, even many in one millisecond', async () => {
    const ws = createMemoryWorkspace();
    const stamps = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      await ws.writeFile(`f${i % 3}`, 'same');
      const manifest = await ws.manifest();
      stamps.add(manifest.files[`f${i % 3}`]?.mtime ?? NaN);
    }
    expect(stamps.size).toBe(1000);
    // Stamps stay close to the clock: a burst drifts ahead of it by microseconds per write.
    const latest = Math.max(...stamps);
    expect(latest).toBeLessThan(Date.now() + 50);
  });

  it('keeps separate workspaces apart', async () => {
    const a = createMemoryWorkspace();
    const b = createMemoryWorkspace();
    await a.writeFile('x', '1');
    expect(await b.exists('x')).toBe(false);
  });
});
