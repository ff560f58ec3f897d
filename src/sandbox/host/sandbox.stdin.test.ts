import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryWorkspace } from '../fs/memory.ts';
import type { OutputChunk, RunOptions, RunResult } from '../protocol.ts';
import type { Sandbox } from './api.ts';
import { createNodeSandbox } from './node.ts';

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
    const run = sb.run({ language: 'python', code: 'try:\n    input("waiting> ")\nexcept KeyboardInterrupt:\n    print("interrupted at input()")\n    raise', interactive: true, signal: controller.signal, onOutput: () => undefined });
    await new Promise((resolve) => setTimeout(resolve, 500));
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
