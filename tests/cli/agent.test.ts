import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../mock-llm/scenarios.ts';
import { startMockLlm } from '../mock-llm/server.ts';
import { isobox, removeAll, tempDir } from './helpers.ts';

/** The provider variables cleared for every spawn, so the developer's own settings never leak in. */
const NO_PROVIDER = { ISOBOX_PROVIDER: undefined, ISOBOX_BASE_URL: undefined, ISOBOX_MODEL: undefined, ISOBOX_API_KEY: undefined };

// `isobox agent` headless: the offline demo agent, and an OpenAI-compatible provider (the mock LLM).
describe('isobox agent', { timeout: 120_000 }, () => {
  const dirs: string[] = [];
  afterAll(() => removeAll(dirs));
  const workspace = async (): Promise<string> => {
    const dir = await tempDir();
    dirs.push(dir);
    return dir;
  };

  it('plays the demo agent when no provider is configured, running its tool calls in the workspace', async () => {
    const ws = await workspace();
    const r = await isobox(['agent', 'write fizzbuzz in python'], { cwd: ws, env: NO_PROVIDER });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('the demo agent plays');
    expect(r.stdout).toContain('[write_file] fizzbuzz.py');
    expect(r.stdout).toContain('[exec] python fizzbuzz.py');
    expect(r.stdout).toContain('FizzBuzz\n');
    expect(r.stdout).toContain('[ok 0]');
    expect(await readFile(join(ws, 'fizzbuzz.py'), 'utf8')).toContain('FizzBuzz');
  });

  it('talks to an OpenAI-compatible server from ISOBOX_BASE_URL / ISOBOX_MODEL, printing JSON events with --json', async () => {
    const ws = await workspace();
    const llm = await startMockLlm(SCENARIOS['multi-step']);
    try {
      const r = await isobox(['agent', '--json', 'sum 0..100'], {
        cwd: ws,
        env: { ...NO_PROVIDER, ISOBOX_BASE_URL: llm.url, ISOBOX_MODEL: 'mock-model', ISOBOX_API_KEY: 'test-key' },
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const events = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; call?: { tool: string; state: string } });
      expect(events[0]?.type).toBe('start');
      expect(events.at(-1)?.type).toBe('finish');
      expect(events.filter((e) => e.type === 'tool-call-end').map((e) => [e.call?.tool, e.call?.state])).toEqual([
        ['write_file', 'done'],
        ['exec', 'done'],
      ]);
      expect(events).toContainEqual(expect.objectContaining({ type: 'tool-output', stream: 'stdout', text: '5050\n' }));
      expect(await readFile(join(ws, 'main.py'), 'utf8')).toBe('print(sum(range(101)))\n');
      expect(llm.requests[0]?.model).toBe('mock-model');
      expect(llm.requestHeaders[0]?.authorization).toBe('Bearer test-key');
    } finally {
      await llm.close();
    }
  });

  it('exits 1 with an actionable message when the provider cannot be reached', async () => {
    const ws = await workspace();
    const llm = await startMockLlm({ turns: [] });
    const url = llm.url;
    await llm.close();
    const r = await isobox(['agent', 'hello'], { cwd: ws, env: { ...NO_PROVIDER, ISOBOX_BASE_URL: url, ISOBOX_MODEL: 'm' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/isobox agent: Could not connect to/);
  });
});
