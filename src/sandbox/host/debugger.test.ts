import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryWorkspace } from '../fs/memory.ts';
import type { DebugPause } from '../debug-protocol.ts';
import type { RunResult } from '../protocol.ts';
import type { Sandbox } from './api.ts';
import { debugRun, formatDebugReport } from './debug-run.ts';
import { DebugSession, runWithDebugger, type DebugSessionOptions } from './debugger.ts';
import { createNodeSandbox } from './node.ts';

const LOOP = ['total = 0', 'for i in range(3):', '    total += i', '    print("i", i)', 'print("total", total)', ''].join('\n');
const CALLS = ['def double(x):', '    y = x * 2', '    return y', '', 'a = double(5)', 'b = a + 1', 'print(b)', ''].join('\n');
const RECURSION = ['def fact(n):', '    if n <= 1:', '        return 1', '    return n * fact(n - 1)', '', 'print(fact(3))', ''].join('\n');

/** A debug run driven step by step, as the UI drives it: wait for a pause, send a command. */
class Driver {
  private readonly pauses: DebugPause[] = [];
  private wake: (() => void) | undefined;
  readonly session: DebugSession;
  readonly output: string[] = [];
  readonly done: Promise<RunResult>;

  constructor(sb: Sandbox, code: string, options: DebugSessionOptions, filename = 'main.py') {
    this.session = new DebugSession(options, {
      onPause: (pause) => {
        this.pauses.push(pause);
        this.wake?.();
      },
    });
    this.done = runWithDebugger(sb, { language: 'python', code, filename, onOutput: (chunk) => this.output.push(chunk.text) }, this.session).then((r) => r.result);
  }

  /** The next pause, as `file:line` of the innermost frame plus the whole pause. */
  async next(): Promise<DebugPause> {
    while (this.pauses.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    return this.pauses.shift() as DebugPause;
  }
}

const where = (pause: DebugPause): string => `${pause.stack[0]?.file}:${pause.stack[0]?.line}`;
const vars = (pause: DebugPause, frame = 0): string[] => (pause.variables[frame] ?? []).map((v) => `${v.name} = ${v.repr}`);

// The same path the browser uses: host session → shared channel ← worker (Pyodide, bdb).
describe('Python debugger protocol on Node', () => {
  const workspace = createMemoryWorkspace({});
  let sb: Sandbox;

  beforeAll(async () => {
    sb = createNodeSandbox({ workspace, limits: { timeoutMs: 20_000 } });
    await sb.warmup('python');
  });
  afterAll(async () => {
    await sb.dispose();
  });

  it('pauses at a breakpoint with the loop variable, steps over one line and continues to the next hit', async () => {
    const run = new Driver(sb, LOOP, { mode: 'debug', breakpoints: { 'main.py': [3] } });
    let pause = await run.next();
    expect(where(pause)).toBe('main.py:3');
    expect(pause.reason).toBe('breakpoint');
    expect(pause.stack.map((f) => `${f.function}:${f.line}`)).toEqual(['<module>:3']);
    expect(vars(pause)).toEqual(['total = 0', 'i = 0']);
    run.session.stepOver();
    pause = await run.next();
    expect(where(pause)).toBe('main.py:4');
    expect(pause.reason).toBe('step');
    run.session.continue();
    pause = await run.next();
    expect(where(pause)).toBe('main.py:3');
    expect(vars(pause)).toContain('i = 1');
    // Output printed before the pause reached the host while the program waited.
    await expect.poll(() => run.output.join('')).toBe('i 0\n');
    run.session.setBreakpoints({});
    run.session.continue();
    const result = await run.done;
    expect(result).toMatchObject({ status: 'ok', stdout: 'i 0\ni 1\ni 2\ntotal 3\n' });
  });

  it('adds a breakpoint while paused and stops there', async () => {
    const run = new Driver(sb, LOOP, { mode: 'debug', breakpoints: { 'main.py': [1] } });
    expect(where(await run.next())).toBe('main.py:1');
    run.session.setBreakpoints({ 'main.py': [5] });
    run.session.continue();
    const pause = await run.next();
    expect(where(pause)).toBe('main.py:5');
    expect(vars(pause)).toEqual(['total = 3', 'i = 2']);
    run.session.continue();
    expect((await run.done).stdout).toBe('i 0\ni 1\ni 2\ntotal 3\n');
  });

  it('steps into a function, shows its locals then the globals, and steps out to the caller', async () => {
    const run = new Driver(sb, CALLS, { mode: 'debug', breakpoints: { 'main.py': [5] } });
    expect(where(await run.next())).toBe('main.py:5');
    run.session.stepInto();
    let pause = await run.next();
    expect(where(pause)).toBe('main.py:2');
    expect(pause.stack.map((f) => `${f.function}:${f.line}`)).toEqual(['double:2', '<module>:5']);
    expect(vars(pause)[0]).toBe('x = 5');
    expect(pause.variables[0]?.find((v) => v.name === 'double')?.scope).toBe('global');
    run.session.stepOut();
    pause = await run.next();
    expect(where(pause)).toBe('main.py:6');
    expect(vars(pause)).toContain('a = 10');
    run.session.continue();
    expect((await run.done).stdout).toBe('11\n');
  });

  it('keeps one frame per call when a function recurses', async () => {
    const run = new Driver(sb, RECURSION, { mode: 'debug', breakpoints: { 'main.py': [3] } });
    const pause = await run.next();
    expect(pause.stack.map((f) => `${f.function}:${f.line}`)).toEqual(['fact:3', 'fact:4', 'fact:4', '<module>:6']);
    expect(pause.variables.slice(0, 3).map((frame) => frame.find((v) => v.name === 'n')?.repr)).toEqual(['1', '2', '3']);
    // Step over from the innermost call's return lands in its caller, one frame up.
    run.session.stepOver();
    let next = await run.next();
    expect(next.stack.map((f) => `${f.function}:${f.line}`)).toEqual(['fact:4', 'fact:4', '<module>:6']);
    expect(vars(next)[0]).toBe('n = 2');
    run.session.stepOver();
    next = await run.next();
    expect(next.stack.map((f) => `${f.function}:${f.line}`)).toEqual(['fact:4', '<module>:6']);
    run.session.setBreakpoints({});
    run.session.continue();
    expect((await run.done).stdout).toBe('6\n');
  });

  it('ends a paused run on Stop within a second, and the next run works', async () => {
    const run = new Driver(sb, LOOP, { mode: 'debug', breakpoints: { 'main.py': [3] } });
    await run.next();
    const stopped = Date.now();
    sb.interrupt();
    const result = await run.done;
    expect(result.status).toBe('killed');
    expect(Date.now() - stopped).toBeLessThan(1000);
    const after = await sb.run({ language: 'python', code: 'print("again")' });
    expect(after.stdout).toBe('again\n');
  });

  it('captures the failing frame of an uncaught exception with its locals (post-mortem)', async () => {
    const code = ['def divide(a, b):', '    q = a / b', '    return q', '', 'divide(4, 0)', ''].join('\n');
    const session = new DebugSession({ mode: 'postmortem' });
    const { result, end } = await runWithDebugger(sb, { language: 'python', code, filename: 'main.py' }, session);
    expect(result.status).toBe('error');
    expect(result.stderr).toContain('ZeroDivisionError');
    expect(result.stderr).not.toContain('bdb');
    const pm = end?.postMortem;
    expect(pm?.exception).toBe('ZeroDivisionError: division by zero');
    expect(pm?.stack.map((f) => `${f.function}:${f.line}`)).toEqual(['divide:2', '<module>:5']);
    expect(vars(pm as DebugPause)).toEqual(expect.arrayContaining(['a = 4', 'b = 0']));
  });

  it('records every line of a trace with variables and the output so far', async () => {
    const session = new DebugSession({ mode: 'trace' });
    const { result, end } = await runWithDebugger(sb, { language: 'python', code: LOOP, filename: 'main.py' }, session);
    expect(result.stdout).toBe('i 0\ni 1\ni 2\ntotal 3\n');
    const trace = end?.trace;
    expect(trace?.capped).toBe(false);
    const lines = trace?.steps.map((s) => s.stack[0]?.line);
    expect(lines).toEqual([1, 2, 3, 4, 2, 3, 4, 2, 3, 4, 2, 5, 5]);
    const last = trace?.steps.at(-1);
    expect(last?.variables.map((v) => `${v.name} = ${v.repr}`)).toEqual(['total = 3', 'i = 2']);
    expect(trace?.output.slice(0, last?.outputLength)).toBe('i 0\ni 1\ni 2\ntotal 3\n');
    expect(trace?.output.slice(0, trace.steps[4]?.outputLength)).toBe('i 0\n');
  });

  it('stops recording at 10,000 steps and says so, while the program runs to its end', async () => {
    const session = new DebugSession({ mode: 'trace' });
    const { result, end } = await runWithDebugger(sb, { language: 'python', code: 'n = 0\nfor i in range(20000):\n    n += 1\nprint(n)\n' }, session);
    expect(result.stdout).toBe('20000\n');
    expect(end?.trace?.capped).toBe(true);
    expect(end?.trace?.steps).toHaveLength(10_000);
  });

  it('collects breakpoint hits with watched values without pausing (agents, CLI)', async () => {
    const session = new DebugSession({ mode: 'collect', breakpoints: { 'main.py': [3] }, watch: ['total', 'i * 10', 'nope'], maxHits: 2 });
    const { result, end } = await runWithDebugger(sb, { language: 'python', code: LOOP, filename: 'main.py' }, session);
    expect(result.status).toBe('ok');
    expect(end?.hits?.map((h) => h.watches.map((w) => `${w.expr}=${w.value}`).join(' '))).toEqual([
      "total=0 i * 10=0 nope=<NameError: name 'nope' is not defined>",
      "total=0 i * 10=10 nope=<NameError: name 'nope' is not defined>",
    ]);
    expect(end?.hitsCapped).toBe(true);
  });

  it('reports stop records for agents and the CLI: stack, watched values, an uncaught exception', async () => {
    const code = ['def halve(n):', '    return 10 // n', '', 'for k in [2, 1, 0]:', '    print(halve(k))', ''].join('\n');
    const report = await debugRun(sb, { code, filename: 'tool.py', breakpoints: [2], watch: ['n', 'n - 1'] });
    expect(report.result.status).toBe('error');
    expect(report.stops).toEqual([
      { file: 'tool.py', line: 2, stack: ['halve:2', '<module>:5'], watches: { n: '2', 'n - 1': '1' } },
      { file: 'tool.py', line: 2, stack: ['halve:2', '<module>:5'], watches: { n: '1', 'n - 1': '0' } },
      { file: 'tool.py', line: 2, stack: ['halve:2', '<module>:5'], watches: { n: '0', 'n - 1': '-1' } },
    ]);
    expect(report.exception).toEqual({ file: 'tool.py', line: 2, stack: ['halve:2', '<module>:5'], exception: 'ZeroDivisionError: division by zero', locals: { n: '0' } });
    expect(formatDebugReport(report).split('\n')).toEqual([
      'stop 1 at tool.py:2 [halve:2 < <module>:5]: n = 2, n - 1 = 1',
      'stop 2 at tool.py:2 [halve:2 < <module>:5]: n = 1, n - 1 = 0',
      'stop 3 at tool.py:2 [halve:2 < <module>:5]: n = 0, n - 1 = -1',
      'uncaught ZeroDivisionError: division by zero at tool.py:2 [halve:2 < <module>:5]: n = 0',
    ]);
    await expect(debugRun(sb, { code, breakpoints: [0] })).rejects.toThrow('breakpoint lines are whole numbers from 1 (got 0)');
  });

  it('drops events a hostile program forges through the channel, and still reports the real end', async () => {
    const code = [
      'import gc',
      'for o in gc.get_objects():',
      '    if type(o).__name__ == "_IsoboxDebugRun":',
      '        o.channel.end(\'{"kind":"end","postMortem":{"stack":"nope"}}\')',
      '        o.channel.end("not json")',
      'raise ValueError("real")',
    ].join('\n');
    const { result, end } = await runWithDebugger(sb, { language: 'python', code }, new DebugSession({ mode: 'postmortem' }));
    expect(result.status).toBe('error');
    expect(end?.postMortem?.exception).toBe('ValueError: real');
  });

  it('installs no trace function in a plain run', async () => {
    const r = await sb.run({ language: 'python', code: 'import sys\nprint(sys.gettrace())' });
    expect(r.stdout).toBe('None\n');
    const session = new DebugSession({ mode: 'postmortem' });
    const { result } = await runWithDebugger(sb, { language: 'python', code: 'import sys\nprint(sys.gettrace())' }, session);
    expect(result.stdout).toBe('None\n');
  });
});
