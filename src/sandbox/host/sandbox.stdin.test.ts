import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture } from '../../../tests/fixtures/build-wasm.ts';
import { createMemoryWorkspace } from '../fs/memory.ts';
import type { OutputChunk, RunOptions, RunResult } from '../protocol.ts';
import type { Sandbox } from './api.ts';
import { createNodeSandbox } from './node.ts';

/** Starts an interactive shell line; like `interactive` for runs. */
function interactiveLine(sb: Sandbox, line: string): { result: Promise<RunResult>; waitFor(text: string): Promise<void>; output(): string } {
  let seen = '';
  const waiters: Array<() => void> = [];
  const result = sb.exec(line, {
    interactive: true,
    onOutput: (chunk: OutputChunk) => {
      seen += chunk.text;
      waiters.splice(0).forEach((wake) => wake());
    },
  });
  const waitFor = async (text: string): Promise<void> => {
    while (!seen.includes(text)) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { result, waitFor, output: () => seen };
}

/** Starts an interactive run; `waitFor(text)` settles once the program has printed it (on either stream). */
function interactive(sb: Sandbox, options: Omit<RunOptions, 'interactive' | 'onOutput'>): { result: Promise<RunResult>; waitFor(text: string): Promise<void>; output(): string } {
  let seen = '';
  const waiters: Array<() => void> = [];
  const result = sb.run({
    ...options,
    interactive: true,
    onOutput: (chunk: OutputChunk) => {
      seen += chunk.text;
      waiters.splice(0).forEach((wake) => wake());
    },
  });
  const waitFor = async (text: string): Promise<void> => {
    while (!seen.includes(text)) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { result, waitFor, output: () => seen };
}

// Interactive stdin through the whole sandbox (host → ring → Node worker_thread → runtime).
describe('sandbox: interactive stdin (Python)', () => {
  let sb: Sandbox;

  beforeAll(async () => {
    sb = createNodeSandbox({ workspace: createMemoryWorkspace({}), limits: { timeoutMs: 20_000 } });
    await sb.warmup('python');
  });
  afterAll(async () => {
    await sb.dispose();
  });

  it('input() shows its prompt, then waits for the line the user gives', async () => {
    const run = interactive(sb, { language: 'python', code: 'name = input("What is your name? ")\nprint(f"Hello, {name}!")\nprint(input("Again? "))' });
    await run.waitFor('What is your name? ');
    expect(sb.writeStdin('Ada\n')).toBe(true);
    await run.waitFor('Again? ');
    expect(sb.writeStdin('yes\n')).toBe(true);
    const r = await run.result;
    expect(r.status).toBe('ok');
    expect(run.output()).toContain('Hello, Ada!\n');
    expect(r.stdout).toContain('yes\n');
    expect(sb.writeStdin('nobody reads this\n')).toBe(false);
  });

  it('output printed without a newline shows before the program waits on sys.stdin', async () => {
    const run = interactive(sb, { language: 'python', code: 'import sys\nprint("a = ", end="")\nline = sys.stdin.readline()\nprint("got", line.strip())' });
    await run.waitFor('a = ');
    sb.writeStdin('42\n');
    expect((await run.result).stdout).toBe('a = got 42\n');
  });

  it('breakpoint() stops at a (Pdb) prompt that reads the terminal: p x shows the value, c continues', async () => {
    const run = interactive(sb, { language: 'python', code: 'x = 6 * 7\nbreakpoint()\nprint("after", x)' });
    await run.waitFor('(Pdb) ');
    sb.writeStdin('p x\n');
    await run.waitFor('42\n');
    sb.writeStdin('c\n');
    const r = await run.result;
    expect(r.status).toBe('ok');
    expect(r.stdout).toContain('after 42\n');
  });

  it('code.interact() is a Python REPL inside the run; Ctrl-D leaves it', async () => {
    const run = interactive(sb, { language: 'python', code: 'import code\nsecret = 7\ncode.interact(local={"secret": secret}, banner="repl", exitmsg="bye")\nprint("back")' });
    await run.waitFor('>>> ');
    sb.writeStdin('print(secret * 6)\n');
    await run.waitFor('42\n');
    sb.endStdin();
    const r = await run.result;
    expect(r.status).toBe('ok');
    expect(run.output()).toContain('bye');
    expect(r.stdout).toContain('back\n');
  });

  it('asyncio.run under Node, which has no stack switching, says why it cannot run', async () => {
    const r = await sb.run({ language: 'python', code: 'import asyncio\nasync def main():\n    await asyncio.sleep(0)\nasyncio.run(main())' });
    // Chromium has JSPI (asyncio.run works there: e2e/interactive.spec.ts); Node 20 has not.
    expect(typeof (WebAssembly as { Suspending?: unknown }).Suspending).toBe('undefined');
    expect(r.status).toBe('error');
    expect(r.stderr).toContain('isobox: asyncio.run() and run_sync need WebAssembly stack switching (JSPI)');
  });

  it('time spent waiting for input does not count against the time limit; running does', async () => {
    const run = interactive(sb, { language: 'python', code: 'name = input("? ")\nprint("hi", name)\nwhile True:\n    pass', timeoutMs: 1500 });
    await run.waitFor('? ');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    sb.writeStdin('slow typist\n');
    const r = await run.result;
    expect(r.stdout).toBe('hi slow typist\n');
    expect(r.status).toBe('timeout');
  });

  it('sees a terminal: isatty, and the size given as COLUMNS/LINES and os.get_terminal_size', async () => {
    const r = await sb.run({
      language: 'python',
      code: 'import os, shutil, sys\nprint(sys.stdin.isatty(), os.get_terminal_size(), shutil.get_terminal_size(), os.environ["COLUMNS"])',
      interactive: true,
      terminalSize: { columns: 100, rows: 30 },
    });
    expect(r.stdout).toBe('True os.terminal_size(columns=100, lines=30) os.terminal_size(columns=100, lines=30) 100\n');
  });

  it('Ctrl-D ends a for-line-in-stdin loop after the lines given before it', async () => {
    const run = interactive(sb, { language: 'python', code: 'import sys\nn = 0\nfor line in sys.stdin:\n    n += 1\nprint("lines:", n)' });
    sb.writeStdin('one\ntwo\n');
    sb.writeStdin('three\n');
    expect(sb.endStdin()).toBe(true);
    const r = await run.result;
    expect(r.stdout).toBe('lines: 3\n');
  });

  it('a Stop ends a program waiting in input() with KeyboardInterrupt, and the next run works', async () => {
    const controller = new AbortController();
    let seen = '';
    const run = sb.run({ language: 'python', code: 'try:\n    input("waiting> ")\nexcept KeyboardInterrupt:\n    print("interrupted at input()")\n    raise', interactive: true, signal: controller.signal, onOutput: (chunk) => (seen += chunk.text) });
    while (!seen.includes('waiting> ')) await new Promise((resolve) => setTimeout(resolve, 20));
    const stopped = performance.now();
    controller.abort();
    const r = await run;
    expect(performance.now() - stopped).toBeLessThan(1000);
    expect(r.status).toBe('killed');
    expect(r.stdout).toContain('interrupted at input()');
    const next = await sb.run({ language: 'python', code: 'print("next")' });
    expect(next.stdout).toBe('next\n');
  });

  it('keeps lines typed while the run is still queued (type-ahead)', async () => {
    const first = sb.run({ language: 'python', code: 'import time; time.sleep(0.3)' });
    const second = sb.run({ language: 'python', code: 'print(input() + "/" + input())', interactive: true });
    expect(sb.writeStdin('early\n')).toBe(true);
    expect(sb.writeStdin('bird\n')).toBe(true);
    await first;
    expect((await second).stdout).toBe('early/bird\n');
  });

  it('a run given stdin reads that and never waits on the terminal', async () => {
    const r = await sb.run({ language: 'python', code: 'import sys\nprint(repr(sys.stdin.read()))\nprint(input())', stdin: 'given', interactive: true });
    expect(r.stdout).toBe("'given'\n");
    expect(r.stderr).toContain('EOFError');
    expect(sb.writeStdin('x\n')).toBe(false);
  });

  it('a run with neither stdin nor a terminal gets end-of-file at once', async () => {
    const r = await sb.run({ language: 'python', code: 'input()' });
    expect(r.status).toBe('error');
    expect(r.stderr).toContain('EOFError');
  });
});

describe('sandbox: interactive stdin (C, WASI, Ruby, the shell)', () => {
  const workspace = createMemoryWorkspace({});
  let sb: Sandbox;

  beforeAll(async () => {
    sb = createNodeSandbox({ workspace, limits: { timeoutMs: 30_000 } });
    await workspace.writeFile('adder.wasm', await buildFixture('adder'));
  });
  afterAll(async () => {
    await sb.dispose();
  });

  it('a C program reads the terminal with scanf, prompts showing first, isatty(0) true', async () => {
    const run = interactive(sb, { language: 'wasm', code: 'adder.wasm' });
    await run.waitFor('a = ');
    sb.writeStdin('40\n');
    await run.waitFor('b = ');
    sb.writeStdin('2\n');
    const r = await run.result;
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('tty=1\na = b = 40 + 2 = 42\n');
  });

  it('a Stop ends a C program waiting in scanf as killed', async () => {
    const controller = new AbortController();
    let seen = '';
    const run = sb.run({ language: 'wasm', code: 'adder.wasm', interactive: true, signal: controller.signal, onOutput: (chunk) => (seen += chunk.text) });
    while (!seen.includes('a = ')) await new Promise((resolve) => setTimeout(resolve, 20));
    const stopped = performance.now();
    controller.abort();
    const r = await run;
    expect(r.status).toBe('killed');
    expect(performance.now() - stopped).toBeLessThan(1000);
  });

  it('Ctrl-D gives a C program end-of-file', async () => {
    const run = interactive(sb, { language: 'wasm', code: 'adder.wasm' });
    await run.waitFor('a = ');
    sb.endStdin();
    const r = await run.result;
    expect(r.stdout).toBe('tty=1\na = \nno number\n');
  });

  it('Ruby gets reads the terminal', async () => {
    const run = interactive(sb, { language: 'ruby', code: 'print "Name? "\nname = gets\nputs "Hi, #{name.chomp}!"\nputs gets.inspect' });
    await run.waitFor('Name? ');
    sb.writeStdin('Matz\n');
    await run.waitFor('Hi, Matz!');
    sb.endStdin();
    const r = await run.result;
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('Name? Hi, Matz!\nnil\n');
  });

  it('a Stop ends Ruby waiting in gets as killed, and the next Ruby run works', async () => {
    const controller = new AbortController();
    let seen = '';
    const run = sb.run({ language: 'ruby', code: 'print "> "\ngets', interactive: true, signal: controller.signal, onOutput: (chunk) => (seen += chunk.text) });
    while (!seen.includes('> ')) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    expect((await run).status).toBe('killed');
    expect((await sb.run({ language: 'ruby', code: 'puts 1 + 1' })).stdout).toBe('2\n');
  });

  it('in a shell line, the terminal is the stdin of commands that are not piped or redirected', async () => {
    await workspace.writeFile('in.txt', '5\n6\n');
    const line = interactiveLine(sb, './adder.wasm < in.txt && python -c "print(input().upper())" | ./adder.wasm');
    await line.waitFor('5 + 6 = 11');
    sb.writeStdin('7 8\n');
    const r = await line.result;
    // python read the terminal; the adder after the pipe read python's output ("7 8").
    expect(r.stdout).toContain('5 + 6 = 11\n');
    expect(r.stdout).toContain('7 + 8 = 15\n');
  });
});

describe('sandbox: interactive C compiled in the sandbox', () => {
  let sb: Sandbox;

  beforeAll(() => {
    sb = createNodeSandbox({ workspace: createMemoryWorkspace({}), limits: { timeoutMs: 60_000 } });
  });
  afterAll(async () => {
    await sb.dispose();
  });

  it('shows a printf prompt without newline or fflush before scanf waits', async () => {
    const code = '#include <stdio.h>\nint main(void) {\n  int n;\n  printf("n = ");\n  if (scanf("%d", &n) != 1) return 1;\n  printf("%d squared is %d\\n", n, n * n);\n  return 0;\n}\n';
    const run = interactive(sb, { language: 'c', code });
    await run.waitFor('n = ');
    sb.writeStdin('12\n');
    const r = await run.result;
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('n = 12 squared is 144\n');
  });
});
