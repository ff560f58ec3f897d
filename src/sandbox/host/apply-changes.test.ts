import { describe, expect, it } from 'vitest';
import { createMemoryWorkspace } from '../fs/memory.ts';
import { withQuota } from '../fs/quota.ts';
import type { Workspace } from '../fs/workspace.ts';
import { pathRecord } from '../records.ts';
import { applyChanges } from './apply-changes.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function written(files: Record<string, string>): Record<string, Uint8Array> {
  const record = pathRecord<Uint8Array>();
  for (const [path, text] of Object.entries(files)) record[path] = bytes(text);
  return record;
}

describe('applyChanges', () => {
  it('creates directories, removes, and writes', async () => {
    const ws = createMemoryWorkspace({ 'old.txt': 'x', 'keep.txt': 'k' });
    const result = await applyChanges(ws, { dirs: ['out', 'out/empty'], removed: ['old.txt', 'gone-already.txt'], written: written({ 'out/a.txt': 'A', 'b.txt': 'B' }) });
    expect(result).toEqual({ changed: ['b.txt', 'gone-already.txt', 'old.txt', 'out/a.txt'], errors: [] });
    expect((await ws.manifest()).dirs).toEqual(['out', 'out/empty']);
    expect(Object.keys((await ws.manifest()).files).sort()).toEqual(['b.txt', 'keep.txt', 'out/a.txt']);
  });

  it('saves every file it can and reports each one it cannot, in order', async () => {
    const ws = withQuota(createMemoryWorkspace(), { maxFileBytes: 3 });
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`f${String(i).padStart(2, '0')}`] = i % 10 === 3 ? 'too long' : 'ok';
    const result = await applyChanges(ws, { dirs: [], removed: [], written: written(files) });
    expect(result.errors).toEqual(['f03', 'f13', 'f23', 'f33'].map((path) => expect.stringMatching(new RegExp(`^could not save ${path}: storage quota exceeded`))));
    expect(result.changed).toHaveLength(36);
    expect(Object.keys((await ws.manifest()).files)).toHaveLength(36);
  });

  it('hands the workspace several files at a time, but a bounded number', async () => {
    const inner = createMemoryWorkspace();
    let inFlight = 0;
    let most = 0;
    const ws: Workspace = {
      ...inner,
      async writeFile(path, data) {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        await inner.writeFile(path, data);
        inFlight--;
      },
    };
    const files: Record<string, string> = {};
    for (let i = 0; i < 100; i++) files[`f${i}`] = String(i);
    const result = await applyChanges(withQuota(ws), { dirs: [], removed: [], written: written(files) });
    expect(result.changed).toHaveLength(100);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(16);
  });
});
