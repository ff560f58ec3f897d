import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryWorkspace } from '../fs/memory.ts';
import type { OutputChunk } from '../protocol.ts';
import type { Sandbox } from './api.ts';
import { createNodeSandbox } from './node.ts';

/** Settles once a run's output contains `text`: a program is known to run only once it printed. */
function printed(text: string): { onOutput: (chunk: OutputChunk) => void; seen: Promise<void> } {
  let seen: () => void = () => undefined;
  let output = '';
  return {
    seen: new Promise<void>((resolve) => (seen = resolve)),
    onOutput: (chunk) => {
      output += chunk.text;
      if (output.includes(text)) seen();
    },
  };
}

// The same sandbox the browser uses (host → Comlink → worker → Pyodide), on a Node worker_thread.
describe('sandbox: Python on Node', () => {
  const workspace = createMemoryWorkspace({ 'data/in.txt': 'from the workspace\n' });
  let sb: Sandbox;

  beforeAll(async () => {
    sb = createNodeSandbox({ workspace, limits: { timeoutMs: 10_000 } });
    await sb.warmup('python');
  });
  afterAll(async () => {
    await sb.dispose();
  });

  it('runs code and returns a typed ok result', async () => {
    const r = await sb.run({ language: 'python', code: 'print("hi")' });
    expect(r).toMatchObject({ status: 'ok', exitCode: 0, stdout: 'hi\n', stderr: '', truncated: false, filesChanged: [] });
    expect(r.durationMs).toBeGreaterThan(0);
  });

  it('streams output while the program runs', async () => {
    const seen: { chunk: OutputChunk; at: number }[] = [];
    const started = Date.now();
    const r = await sb.run({
      language: 'python',
      code: 'import time\nfor i in range(3):\n    print(i)\n    time.sleep(0.3)\n',
      onOutput: (chunk) => seen.push({ chunk, at: Date.now() - started }),
    });
    expect(r.stdout).toBe('0\n1\n2\n');
    const first = seen.find((s) => s.chunk.text.includes('0'));
    expect(first).toBeDefined();
    expect(first?.at ?? Infinity).toBeLessThan(r.durationMs - 400);
  });

  it('passes args, env-independent argv and stdin', async () => {
    const r = await sb.run({ language: 'python', code: 'import sys\nprint(sys.argv[1:], input())', args: ['a', 'b c'], stdin: 'typed\n' });
    expect(r.stdout).toBe("['a', 'b c'] typed\n");
  });

  it('reports an uncaught exception as error 1 with a traceback that names the file', async () => {
    const r = await sb.run({ language: 'python', code: 'x = 1\nraise KeyError("nope")', filename: 'app.py' });
    expect(r.status).toBe('error');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('File "/workspace/app.py", line 2');
    expect(r.stderr).toContain("KeyError: 'nope'");
    expect(r.stderr).not.toContain('_isobox_run');
  });

  it.each([
    ['sys.exit(0)', 'ok', 0],
    ['sys.exit()', 'ok', 0],
    ['sys.exit(3)', 'error', 3],
    ['sys.exit("bye")', 'error', 1],
  ])('maps %s to %s %i', async (code, status, exitCode) => {
    const r = await sb.run({ language: 'python', code: `import sys\n${code}` });
    expect([r.status, r.exitCode]).toEqual([status, exitCode]);
  });

  it('fails input() without stdin with a clear message', async () => {
    const r = await sb.run({ language: 'python', code: 'input()' });
    expect(r.status).toBe('error');
    expect(r.stderr).toContain('EOFError');
    expect(r.stderr).toContain('found no more stdin');
  });

  it('caps each stream at the output limit and says so', async () => {
    const r = await sb.run({ language: 'python', code: 'import sys\nsys.stdout.write("x" * 3_000_000)\nsys.stderr.write("done")' });
    expect(r.status).toBe('ok');
    expect(r.truncated).toBe(true);
    expect(r.stdout.length).toBe(sb.limits.outputCapBytes);
    expect(r.stderr).toBe('done');
  });

  it('reads and writes the shared workspace, and reports changed files', async () => {
    const r = await sb.run({
      language: 'python',
      code: 'import os\nprint(open("data/in.txt").read().strip())\nos.makedirs("out", exist_ok=True)\nopen("out/result.txt", "w").write("42")\nos.remove("data/in.txt")',
    });
    expect(r.stdout).toBe('from the workspace\n');
    expect(r.filesChanged).toEqual(['data/in.txt', 'out/result.txt']);
    expect(await workspace.readText('out/result.txt')).toBe('42');
    expect(await workspace.exists('data/in.txt')).toBe(false);
  });

  it('sees files written to the workspace between runs, and module edits', async () => {
    await sb.fs.writeFile('helper.py', 'VALUE = 1\n');
    expect((await sb.run({ language: 'python', code: 'import helper\nprint(helper.VALUE)' })).stdout).toBe('1\n');
    await sb.fs.writeFile('helper.py', 'VALUE = 2\n');
    expect((await sb.run({ language: 'python', code: 'import helper\nprint(helper.VALUE)' })).stdout).toBe('2\n');
  });

  it('ends a busy loop as timeout 124, then runs again with the workspace intact', async () => {
    await sb.fs.writeFile('keep.txt', 'kept');
    const r = await sb.run({ language: 'python', code: 'while True: pass', timeoutMs: 500 });
    expect([r.status, r.exitCode]).toEqual(['timeout', 124]);
    const next = await sb.run({ language: 'python', code: 'print(open("keep.txt").read())' });
    expect(next.stdout).toBe('kept\n');
  });

  it('terminates code that swallows the interrupt, and a fresh worker takes over', async () => {
    const started = printed('start');
    const run = sb.run({ language: 'python', code: 'import time\nprint("start", flush=True)\nwhile True:\n    try:\n        time.sleep(10)\n    except BaseException:\n        pass', onOutput: started.onOutput });
    // Once it runs (each Python run gets a fresh interpreter, which may still be loading).
    await started.seen;
    await new Promise((resolve) => setTimeout(resolve, 300));
    sb.interrupt();
    const r = await run;
    expect([r.status, r.exitCode]).toEqual(['killed', 137]);
    expect(r.stdout).toBe('start\n');
    const next = await sb.run({ language: 'python', code: 'print("fresh")' });
    expect(next).toMatchObject({ status: 'ok', stdout: 'fresh\n' });
  });

  it('an aborted signal stops a run while it runs, while it waits in the queue, and before it is queued', async () => {
    const busy = new AbortController();
    const queued = new AbortController();
    let firstEnded = false;
    const started = printed('start');
    const first = sb.run({ language: 'python', code: 'import time\nprint("start", flush=True)\nwhile True:\n    time.sleep(0.01)', signal: busy.signal, onOutput: started.onOutput });
    void first.then(() => (firstEnded = true));
    const second = sb.run({ language: 'python', code: 'open("never.txt", "w").write("x")', signal: queued.signal });
    await started.seen;
    await new Promise((resolve) => setTimeout(resolve, 300));
    queued.abort();
    // The queued run settles at once, not when the one ahead of it ends.
    expect(await second).toMatchObject({ status: 'killed', exitCode: 137, filesChanged: [] });
    expect(firstEnded).toBe(false);
    busy.abort();
    expect(await first).toMatchObject({ status: 'killed', exitCode: 137, stdout: 'start\n' });
    expect(await sb.run({ language: 'python', code: 'print("x")', signal: AbortSignal.abort() })).toMatchObject({ status: 'killed', stdout: '' });
    expect(await workspace.exists('never.txt')).toBe(false);
    expect((await sb.run({ language: 'python', code: 'print("after")' })).stdout).toBe('after\n');
  });

  it('reports a deep recursion as error, not a crash', async () => {
    const r = await sb.run({ language: 'python', code: 'def f(n):\n    return f(n + 1)\nf(0)' });
    expect(r.status).toBe('error');
    expect(r.stderr).toContain('RecursionError');
  });

  it('refuses an unknown language with a clear message', async () => {
    const r = await sb.run({ language: 'cobol' as 'python', code: 'DISPLAY "HI"' });
    expect(r.status).toBe('error');
    expect(r.stderr).toMatch(/cobol/);
  });
});

describe('sandbox: warm spare worker', () => {
  it('swaps to a warmed-up spare on Stop, so Python never reloads', async () => {
    const sb = createNodeSandbox({ workspace: createMemoryWorkspace(), keepSpare: true });
    try {
      await sb.warmup('python');
      // Give the spare time to load Python in the background (generous: the machine may be busy).
      await new Promise((resolve) => setTimeout(resolve, 15_000));
      // Ignoring SIGINT makes the cooperative interrupt useless: only terminating the worker ends it.
      const run = sb.run({ language: 'python', code: 'import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const phases: string[] = [];
      sb.onRuntimeStatus((status) => phases.push(status.phase));
      sb.interrupt();
      expect((await run).status).toBe('killed');
      const next = await sb.run({ language: 'python', code: 'print("ready")' });
      expect(next.stdout).toBe('ready\n');
      // The spare was already warm: Python never went back to loading.
      expect(phases).not.toContain('loading');
      expect(phases).toContain('ready');
    } finally {
      await sb.dispose();
    }
  }, 60_000);
});

describe('sandbox: Python limits', () => {
  it('turns a recursion bomb with a raised limit into a RecursionError, and keeps working', async () => {
    const sb = createNodeSandbox({ workspace: createMemoryWorkspace() });
    try {
      const r = await sb.run({ language: 'python', code: 'import sys\nsys.setrecursionlimit(10**6)\ndef f(n):\n    return f(n + 1)\nf(0)' });
      expect(r.status).toBe('error');
      expect(r.stderr).toContain('RecursionError');
      expect((await sb.run({ language: 'python', code: 'print("alive")' })).stdout).toBe('alive\n');
    } finally {
      await sb.dispose();
    }
  });
});

describe('sandbox: runs do not leak into each other', () => {
  it('restores builtins, sys streams and import hooks before each run', async () => {
    const sb = createNodeSandbox({ workspace: createMemoryWorkspace() });
    try {
      await sb.run({ language: 'python', code: 'import builtins, sys, io\nbuiltins.print = lambda *a, **k: None\nsys.stdout = io.StringIO()\nsys.meta_path.insert(0, object())' });
      const next = await sb.run({ language: 'python', code: 'import json\nprint("the next run prints", json.dumps([1]))' });
      expect(next).toMatchObject({ status: 'ok', stdout: 'the next run prints [1]\n' });
    } finally {
      await sb.dispose();
    }
  });
});
