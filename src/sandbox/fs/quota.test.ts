import { describe, expect, it } from 'vitest';
import { createMemoryWorkspace } from './memory.ts';
import { withQuota } from './quota.ts';
import type { Workspace } from './workspace.ts';

/** A memory workspace whose writes take a while and log when they start and end. */
function slowWorkspace(log: string[], delayMs = 5): Workspace {
  const inner = createMemoryWorkspace();
  return {
    ...inner,
    async writeFile(path, data) {
      log.push(`start ${path}`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await inner.writeFile(path, data);
      log.push(`end ${path}`);
    },
    async remove(path) {
      log.push(`remove ${path}`);
      await inner.remove(path);
    },
  };
}

describe('withQuota, writes under way', () => {
  it('lets writes of different files overlap', async () => {
    const log: string[] = [];
    const ws = withQuota(slowWorkspace(log));
    await Promise.all(['a', 'b', 'c'].map((name) => ws.writeFile(name, name)));
    expect(log.slice(0, 3)).toEqual(['start a', 'start b', 'start c']);
  });

  it('keeps two writes of one file in order', async () => {
    const log: string[] = [];
    const ws = withQuota(slowWorkspace(log));
    await Promise.all([ws.writeFile('f', 'first'), ws.writeFile('f', 'second')]);
    expect(log).toEqual(['start f', 'end f', 'start f', 'end f']);
    expect(await ws.readText('f')).toBe('second');
  });

  it('removes only after the writes under way', async () => {
    const log: string[] = [];
    const ws = withQuota(slowWorkspace(log));
    await Promise.all([ws.writeFile('d/a', 'a'), ws.writeFile('d/b', 'b'), ws.remove('d')]);
    expect(log.indexOf('remove d')).toBe(4);
    expect(await ws.exists('d/a')).toBe(false);
  });

  it('counts a write from its check, so concurrent ones cannot pass the limit together', async () => {
    const ws = withQuota(slowWorkspace([]), { maxBytes: 10 });
    const results = await Promise.allSettled(['a', 'b', 'c'].map((name) => ws.writeFile(name, '1234')));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
  });

  it('reads usage afresh after a write that failed', async () => {
    const inner = createMemoryWorkspace();
    let fail = true;
    const ws = withQuota({ ...inner, writeFile: (path, data) => (fail ? Promise.reject(new Error('disk gone')) : inner.writeFile(path, data)) }, { maxBytes: 10 });
    await expect(ws.writeFile('a', '123456')).rejects.toThrow('disk gone');
    fail = false;
    // The failed write no longer counts: 6 + 6 would be over the limit.
    await ws.writeFile('b', '123456');
    expect(await ws.readText('b')).toBe('123456');
  });
});
