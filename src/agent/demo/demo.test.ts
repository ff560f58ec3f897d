import { describe, expect, it } from 'vitest';
import { FakeSandbox, type FakeProgram } from '../../../tests/mock-llm/fake-sandbox.ts';
import { runAgent } from '../loop.ts';
import type { AgentEvent, ChatMessage } from '../types.ts';
import { DEFAULT_DEMO_SCRIPT, DEMO_SCRIPTS, matchDemoScript, parseDemoScript } from './scripts.ts';

const fizzbuzzOutput = Array.from({ length: 15 }, (_, k) => {
  const i = k + 1;
  return i % 15 === 0 ? 'FizzBuzz' : i % 3 === 0 ? 'Fizz' : i % 5 === 0 ? 'Buzz' : String(i);
}).join('\n');

async function playDemo(userText: string, programs?: FakeProgram, signal?: AbortSignal, onEvent?: (e: AgentEvent) => void) {
  const sandbox = new FakeSandbox({ programs });
  const events: AgentEvent[] = [];
  const message = await runAgent({
    sandbox,
    settings: { provider: 'demo' },
    history: [],
    userText,
    signal,
    demo: { delayMs: 0 },
    onEvent: (e) => {
      events.push(e);
      onEvent?.(e);
    },
  });
  return { sandbox, events, message };
}

/** Collapses runs of the same event type: the shape of the session. */
const shape = (events: AgentEvent[]) =>
  events
    .map((e) => (e.type === 'tool-call-start' || e.type === 'tool-call-end' ? `${e.type}:${e.call.tool}` : e.type))
    .filter((t, i, all) => t !== all[i - 1]);

describe('demo agent', () => {
  it('plays FizzBuzz with real tool calls through the sandbox, events in order', async () => {
    const programs: FakeProgram = (code) => (code.includes('def fizzbuzz') ? { stdout: `${fizzbuzzOutput}\n` } : undefined);
    const { sandbox, events, message } = await playDemo('Write FizzBuzz in Python and run it', programs);

    expect(await sandbox.fs.readText('fizzbuzz.py')).toContain('def fizzbuzz(n):');
    expect(sandbox.execs.map((e) => e.line)).toEqual(['python fizzbuzz.py']);
    expect(shape(events)).toEqual([
      'start',
      'text-delta',
      'tool-call-start:write_file',
      'tool-call-end:write_file',
      'step-finish',
      'text-delta',
      'tool-call-start:exec',
      'tool-output',
      'tool-call-end:exec',
      'step-finish',
      'text-delta',
      'step-finish',
      'finish',
    ]);
    expect(message.status).toBe('done');
    expect(message.content).toContain('14\nFizzBuzz\n```');
    expect(message.toolCalls?.map((c) => [c.id, c.tool, c.state])).toEqual([
      ['demo-call-1', 'write_file', 'done'],
      ['demo-call-2', 'exec', 'done'],
    ]);
    expect(message.toolCalls?.[1]?.result).toMatchObject({ kind: 'run', status: 'ok', stdout: `${fizzbuzzOutput}\n` });
    // The text streamed in many small pieces that add up to the message.
    const deltas = events.filter((e): e is Extract<AgentEvent, { type: 'text-delta' }> => e.type === 'text-delta');
    expect(deltas.length).toBeGreaterThan(20);
    expect(deltas.map((d) => d.text).join('')).toBe(message.content);
    expect(message.toolCalls?.[0]?.textOffset).toBeGreaterThan(0);
  });

  it('fix-failing-test: red, fix, green', async () => {
    const programs: FakeProgram = (code, _language, _args, fs) => {
      if (!code.includes('unittest')) return undefined;
      const fixed = new TextDecoder().decode(fs.files.get('stats.py')?.data).includes('sorted(');
      return fixed
        ? { stderr: '...\n----------------------------------------------------------------------\nRan 3 tests in 0.001s\n\nOK\n' }
        : { stderr: 'FAIL: test_even_count (__main__.MedianTest)\nAssertionError: 3 != 2.5\n\nFAILED (failures=2)\n', exitCode: 1 };
    };
    const events: AgentEvent[] = [];
    const sandbox = new FakeSandbox({ programs });
    const message: ChatMessage = await runAgent({ sandbox, settings: { provider: 'demo' }, history: [], userText: 'fix a failing test', demo: { delayMs: 0 }, onEvent: (e) => events.push(e) });

    expect(message.toolCalls?.map((c) => c.tool)).toEqual(['write_file', 'write_file', 'exec', 'write_file', 'exec']);
    expect(message.toolCalls?.[2]?.result).toMatchObject({ status: 'error', exitCode: 1 });
    expect(message.toolCalls?.[4]?.result).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(message.content).toContain('Red, as expected');
    expect(message.content).toContain('AssertionError: 3 != 2.5');
    expect(message.content).toContain('Green');
    expect(message.content).toContain('Ran 3 tests');
    expect(message.content).not.toContain('{{');
  });

  it('c-hello compiles and runs the binary', async () => {
    const programs: FakeProgram = (code, language, args) => (language === 'wasm' ? { stdout: `Hello, ${args[0]}, from C compiled to WebAssembly!\n` } : undefined);
    const { sandbox, message } = await playDemo('compile and run a C program', programs);
    expect(sandbox.execs.map((e) => e.line)).toEqual(['cc hello.c -o hello.wasm && ./hello.wasm Isobox']);
    expect(message.content).toContain('Hello, Isobox, from C compiled to WebAssembly!');
    expect(message.toolCalls?.[1]?.result).toMatchObject({ filesChanged: ['hello.wasm'] });
  });

  it('primes: runs Python, then lists the workspace', async () => {
    const programs: FakeProgram = (_code, _language, _args, fs) => {
      fs.files.set('primes.txt', { data: new TextEncoder().encode('2\n3\n'), mtime: 0 });
      return { stdout: '25 primes below 100\n' };
    };
    const sandbox = new FakeSandbox({ programs });
    const message = await runAgent({ sandbox, settings: { provider: 'demo' }, history: [], userText: 'primes below 100 please', demo: { delayMs: 0 } });
    expect(message.toolCalls?.map((c) => c.tool)).toEqual(['run_code', 'list_files']);
    expect(sandbox.runs[0]).toMatchObject({ language: 'python' });
    expect(message.content).toContain('25 primes below 100');
    expect(message.content).toContain('Workspace now: `primes.txt`.');
  });

  it('says what went wrong when a step fails', async () => {
    const { message } = await playDemo('fizzbuzz please', () => ({ stderr: 'MemoryError\n', exitCode: 1 }));
    expect(message.status).toBe('done');
    expect(message.content).toContain('did not succeed (error, exit code 1)');
    expect(message.content).toContain('MemoryError');
  });

  it('lists what it can do when nothing matches', async () => {
    const { events, message } = await playDemo('tell me a joke');
    expect(message.toolCalls).toBeUndefined();
    for (const script of DEMO_SCRIPTS) expect(message.content).toContain(script.prompt);
    expect(shape(events)).toEqual(['start', 'text-delta', 'step-finish', 'finish']);
  });

  it('stops when aborted, keeping what was streamed', async () => {
    const controller = new AbortController();
    let deltas = 0;
    const { events, message, sandbox } = await playDemo('fizzbuzz', undefined, controller.signal, (e) => {
      if (e.type === 'text-delta' && ++deltas === 5) controller.abort();
    });
    expect(message.status).toBe('stopped');
    expect(message.content.length).toBeGreaterThan(0);
    expect(sandbox.execs).toHaveLength(0);
    expect(events.at(-1)).toMatchObject({ type: 'stopped', message });
  });

  it('matches scripts by keywords, whole words only', () => {
    expect(matchDemoScript('Write FizzBuzz in Python and run it').id).toBe('fizzbuzz');
    expect(matchDemoScript('compile and run a C program').id).toBe('c-hello');
    expect(matchDemoScript('Fix a failing test').id).toBe('fix-failing-test');
    expect(matchDemoScript('plot primes below 100 to primes.txt and count them').id).toBe('primes');
    expect(matchDemoScript('add a prefix').id).toBe('default');
    expect(DEFAULT_DEMO_SCRIPT.id).toBe('default');
  });

  it('validates script files', () => {
    expect(DEMO_SCRIPTS.map((s) => s.id)).toEqual(['fizzbuzz', 'c-hello', 'fix-failing-test', 'primes', 'debug-average']);
    expect(() => parseDemoScript({ id: 'x', title: 'x', prompt: 'x', match: [], steps: [{ tool: 'rm_rf', input: {} }] })).toThrow();
  });
});
