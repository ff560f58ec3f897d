import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryWorkspace } from '../sandbox/fs/memory.ts';
import type { Sandbox } from '../sandbox/host/api.ts';
import { createNodeSandbox } from '../sandbox/host/node.ts';
import { modelView, runTool } from './tools.ts';

const AVERAGE = ['def average(values):', '    total = 0', '    for i in range(1, len(values)):', '        total += values[i]', '    return total / len(values)', '', 'print(average([4, 8, 6]))', ''].join('\n');

// The agent's debug_run through the real sandbox (Pyodide on a Node worker), as the model calls it.
describe('debug_run tool', () => {
  let sb: Sandbox;

  beforeAll(async () => {
    sb = createNodeSandbox({ workspace: createMemoryWorkspace({ 'average.py': AVERAGE, 'notes.txt': 'x' }), limits: { timeoutMs: 20_000 } });
    await sb.warmup('python');
  });
  afterAll(async () => {
    await sb.dispose();
  });

  it('reports each hit of a workspace file with the stack and watched values', async () => {
    const outcome = await runTool(sb, 'debug_run', { path: '/workspace/average.py', breakpoints: [4], watch: ['i', 'values[i]', 'total'] });
    if (!outcome.ok) throw new Error(outcome.error);
    expect(outcome.result).toMatchObject({ kind: 'debug', status: 'ok', stdout: '4.666666666666667\n', stopsCapped: false });
    const view = modelView(outcome.result);
    expect(view.stops).toEqual([
      { at: 'average.py:4', stack: ['average:4', '<module>:7'], watches: { i: '1', 'values[i]': '8', total: '0' } },
      { at: 'average.py:4', stack: ['average:4', '<module>:7'], watches: { i: '2', 'values[i]': '6', total: '8' } },
    ]);
  });

  it('runs code given inline, takes watches one per line, and reports an uncaught exception', async () => {
    const outcome = await runTool(sb, 'debug_run', { code: 'items = []\nfirst = items[0]\n', breakpoints: [2], watch: 'len(items)\nitems' });
    if (!outcome.ok) throw new Error(outcome.error);
    const view = modelView(outcome.result);
    expect(view.stops).toEqual([{ at: 'main.py:2', stack: ['<module>:2'], watches: { 'len(items)': '0', items: '[]' } }]);
    expect(view.exception).toEqual({ at: 'main.py:2', stack: ['<module>:2'], exception: 'IndexError: list index out of range', locals: { items: '[]' } });
  });

  it.each([
    [{ breakpoints: [1] }, 'give either code or path'],
    [{ code: 'x = 1', path: 'a.py', breakpoints: [1] }, 'give either code or path'],
    [{ code: 'x = 1', breakpoints: [] }, 'breakpoints'],
    [{ code: 'x = 1', breakpoints: [0] }, 'breakpoints'],
    [{ path: 'notes.txt', breakpoints: [1] }, 'debug_run runs Python files (.py), not notes.txt'],
    [{ path: 'missing.py', breakpoints: [1] }, 'ENOENT'],
    [{ path: '../escape.py', breakpoints: [1] }, 'escape'],
  ])('refuses %j with a clear message', async (input, message) => {
    const outcome = await runTool(sb, 'debug_run', input);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toContain(message);
  });
});

describe('demo agent: the debug-average script', () => {
  it('finds the skipped element with breakpoints, fixes it and shows the right average', async () => {
    const { runAgent } = await import('./loop.ts');
    const sb = createNodeSandbox({ workspace: createMemoryWorkspace({}), limits: { timeoutMs: 20_000 } });
    try {
      const message = await runAgent({ sandbox: sb, settings: { provider: 'demo' }, history: [], userText: 'Use breakpoints to find why my average is wrong', demo: { delayMs: 0 }, onEvent: () => undefined });
      expect(message.toolCalls?.map((c) => `${c.tool}:${c.state}`)).toEqual(['write_file:done', 'exec:done', 'debug_run:done', 'write_file:done', 'exec:done']);
      expect(message.content).toContain('stop 1 at average.py:4 [average:4 < <module>:8]: i = 1, values[i] = 8, total = 0');
      expect(message.content).toContain('stop 2 at average.py:4 [average:4 < <module>:8]: i = 2, values[i] = 6, total = 8');
      expect(message.content).toContain('Now it prints `6.0`, the right average.');
    } finally {
      await sb.dispose();
    }
  });
});
