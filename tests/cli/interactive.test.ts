import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, TEST_CACHE_DIR, removeAll, tempDir } from './helpers.ts';

/** A terminal session: `isobox ARGS` under a pseudo-terminal (util-linux `script`), typed into as a user would. */
function inTerminal(args: string[], cwd: string): { screen(): string; waitFor(text: string): Promise<void>; type(keys: string): void; exit: Promise<number | null> } {
  const command = [process.execPath, BIN, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  // -e: script exits with the program's code; -q: no banner; the typescript file is thrown away.
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd, env: { ...process.env, ISOBOX_CACHE_DIR: TEST_CACHE_DIR }, stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  const waiters: Array<() => void> = [];
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    screen += text;
    waiters.splice(0).forEach((wake) => wake());
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const exit = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      waiters.splice(0).forEach((wake) => wake());
      resolve(code);
    });
  });
  return {
    screen: () => screen,
    async waitFor(text) {
      while (!screen.includes(text)) {
        if (child.exitCode !== null) throw new Error(`the session ended without showing ${JSON.stringify(text)}:\n${screen}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    type: (keys) => void child.stdin.write(keys),
    exit,
  };
}

// `isobox run` with a terminal on stdin: the program reads the keyboard (the tty echoes and edits lines).
describe('isobox run at a terminal', { timeout: 180_000 }, () => {
  const dirs: string[] = [];
  afterAll(() => removeAll(dirs));

  it('answers an input() prompt typed at the keyboard', async () => {
    const ws = await tempDir({ 'ask.py': 'import sys\nname = input("What is your name? ")\nprint(f"Hello, {name}!", sys.stdin.isatty())\n' });
    dirs.push(ws);
    const session = inTerminal(['run', 'ask.py'], ws);
    await session.waitFor('What is your name? ');
    session.type('Ada\r');
    expect(await session.exit).toBe(0);
    expect(session.screen()).toContain('Hello, Ada! True');
  });

  it('Ctrl-C stops a program waiting for input, with exit code 130', async () => {
    const ws = await tempDir({ 'wait.py': 'input("> ")\nprint("not reached")\n' });
    dirs.push(ws);
    const session = inTerminal(['run', 'wait.py'], ws);
    await session.waitFor('> ');
    session.type('\x03');
    expect(await session.exit).toBe(130);
    expect(session.screen()).not.toContain('not reached');
  });

  it('Ctrl-D ends the input of a shell line reading the terminal', async () => {
    const ws = await tempDir({ 'count.py': 'import sys\nprint("lines:", len(sys.stdin.readlines()))\n' });
    dirs.push(ws);
    const session = inTerminal(['exec', 'python count.py'], ws);
    session.type('one\rtwo\r');
    await session.waitFor('two');
    session.type('\x04');
    expect(await session.exit).toBe(0);
    expect(session.screen()).toContain('lines: 2');
  });
});
