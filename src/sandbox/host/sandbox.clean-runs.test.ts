import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryWorkspace } from '../fs/memory.ts';
import type { Sandbox } from './api.ts';
import { createSandbox } from './sandbox.ts';
import { countingSpawner } from '../../../tests/helpers/counting-spawner.ts';
import { spawnNodeWorker } from './spawn.node.ts';
import { memorySnapshotStore } from './snapshot-store.ts';

/** One snapshot for the file, as the CLI keeps one per machine: fresh interpreters restore from it. */
const snapshots = memorySnapshotStore();

/** A run that leaves behind everything a program can: patched stdlib, `sys` state, globals, modules, timers. */
const POLLUTE = [
  'import asyncio, json, os, sys, builtins, decimal',
  'json.dumps = lambda *a, **k: "PATCHED"',
  'sys._marker = 1',
  'sys.path.append("/leaked")',
  'os.leaked_global = "os"',
  'builtins.leaked_builtin = "builtins"',
  'LEAKED = "main"',
  // A timer (on the event loop) that would print into whichever run is going on when it fires.
  'asyncio.get_event_loop().call_later(0.4, lambda: print("LEAK from a timer"))',
  'print("polluted", json.dumps([1]))',
].join('\n');

/** Another program, as a user would run next: prints what it sees of the previous run. */
const PROBE = [
  'import json, os, sys, builtins, time',
  'time.sleep(0.8)',
  'print(json.dumps([1]), hasattr(sys, "_marker"), "/leaked" in sys.path, hasattr(os, "leaked_global"))',
  'print(hasattr(builtins, "leaked_builtin"), "LEAKED" in globals(), "decimal" in sys.modules)',
].join('\n');

const CLEAN = '[1] False False False\nFalse False False\n';

describe('sandbox: every Python run starts clean, as a new process would', () => {
  const spawner = countingSpawner();
  let sb: Sandbox;

  beforeAll(async () => {
    sb = createSandbox({ workspace: createMemoryWorkspace(), spawn: spawner.spawn, keepSpare: true, snapshots });
    await sb.warmup('python');
  });
  afterAll(async () => {
    await sb.dispose();
  });

  it('a patched stdlib module, sys attributes, module globals, imported modules and timers do not survive into the next run', async () => {
    const first = await sb.run({ language: 'python', code: POLLUTE });
    expect(first).toMatchObject({ status: 'ok', stdout: 'polluted PATCHED\n' });
    const next = await sb.run({ language: 'python', code: PROBE, filename: 'other.py' });
    expect(next).toMatchObject({ status: 'ok', stdout: CLEAN, stderr: '' });
  });

  it('holds when runs follow each other at once (the next one waits for its fresh interpreter)', async () => {
    const [a, b, c] = await Promise.all([
      sb.run({ language: 'python', code: POLLUTE }),
      sb.run({ language: 'python', code: PROBE }),
      sb.run({ language: 'python', code: 'import sys\nprint(hasattr(sys, "_marker"))' }),
    ]);
    expect(a?.stdout).toBe('polluted PATCHED\n');
    expect(b?.stdout).toBe(CLEAN);
    expect(c?.stdout).toBe('False\n');
  });

  it('holds for Python started from a shell line, however the line names it', async () => {
    const polluted = await sb.exec(`P=python3; $P -c 'import sys, json; sys._marker = 1; json.dumps = None; print("set")'`);
    expect(polluted.stdout).toBe('set\n');
    const next = await sb.exec(`python -c 'import sys, json; print(hasattr(sys, "_marker"), json.dumps(2))'`);
    expect(next.stdout).toBe('False 2\n');
  });

  it('keeps the workspace: files a run wrote are there for the next one', async () => {
    await sb.run({ language: 'python', code: 'open("note.txt", "w").write("kept")\nimport sys\nsys._marker = 1' });
    const next = await sb.run({ language: 'python', code: 'import sys\nprint(open("note.txt").read(), hasattr(sys, "_marker"))' });
    expect(next.stdout).toBe('kept False\n');
  });

  it('costs other languages nothing: Ruby, C and shell builtins keep their worker', async () => {
    // Let the spare behind the last Python run start, so only what follows is counted.
    await sb.run({ language: 'ruby', code: 'puts 1' });
    const before = spawner.count();
    expect((await sb.run({ language: 'ruby', code: '$marker = 1\nputs "set"' })).stdout).toBe('set\n');
    expect((await sb.exec('echo hi')).stdout).toBe('hi\n');
    expect((await sb.run({ language: 'c', code: '#include <stdio.h>\nint main(void) { puts("c"); return 0; }' })).stdout).toBe('c\n');
    expect(spawner.count()).toBe(before);
    // Loading Ruby and clang the first time takes long on a busy machine.
  }, 240_000);
});

describe('sandbox: the interpreter prepared ahead of a run', () => {
  it('leaves nothing of its preparation for the program to see (argv, cwd, __main__, a trace function)', async () => {
    const sb = createSandbox({ workspace: createMemoryWorkspace(), spawn: spawnNodeWorker(), snapshots });
    try {
      await sb.warmup('python');
      // Long enough for the idle preparation (debugger source, import finder, a rehearsal) to run.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const r = await sb.run({ language: 'python', code: 'import os, sys\nprint(sys.argv, os.getcwd(), __file__, sys.gettrace(), sorted(os.listdir(".")))', filename: 'app.py', args: ['x'] });
      expect(r).toMatchObject({ status: 'ok', stdout: "['/workspace/app.py', 'x'] /workspace /workspace/app.py None []\n", filesChanged: [] });
    } finally {
      await sb.dispose();
    }
  });
});

describe('sandbox: every Ruby run starts clean', () => {
  it('globals, constants and monkeypatches of one run are gone in the next, in the same worker', async () => {
    const spawner = countingSpawner();
    const sb = createSandbox({ workspace: createMemoryWorkspace(), spawn: spawner.spawn });
    try {
      const first = await sb.run({ language: 'ruby', code: '$marker = 1\nLEAKED = 2\nclass String\n  def shout = upcase\nend\nmodule Kernel\n  def puts(*) = print("PATCHED\\n")\nend\nputs "x"' });
      expect(first.stdout).toBe('PATCHED\n');
      const next = await sb.run({ language: 'ruby', code: 'puts [defined?($marker) ? $marker : nil, defined?(LEAKED), "a".respond_to?(:shout)].inspect' });
      expect(next).toMatchObject({ status: 'ok', stdout: '[nil, nil, false]\n' });
      // A fresh VM, not a fresh worker: Ruby never needed one.
      expect(spawner.count()).toBe(1);
    } finally {
      await sb.dispose();
    }
  });
});

describe('sandbox: clean Python runs without a spare (the CLI)', () => {
  it('starts the next worker only when a run needs it, and that run is clean', async () => {
    const spawner = countingSpawner();
    const sb = createSandbox({ workspace: createMemoryWorkspace(), spawn: spawner.spawn, snapshots });
    try {
      expect((await sb.run({ language: 'python', code: POLLUTE })).stdout).toBe('polluted PATCHED\n');
      // A one-shot CLI exits here: no worker was started for a run that never comes.
      expect(spawner.count()).toBe(1);
      expect((await sb.run({ language: 'python', code: PROBE })).stdout).toBe(CLEAN);
      expect(spawner.count()).toBe(2);
    } finally {
      await sb.dispose();
    }
  });
});
