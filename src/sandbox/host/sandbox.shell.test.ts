import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryWorkspace } from '../fs/memory.ts';
import type { Sandbox } from './api.ts';
import { createNodeSandbox } from './node.ts';

// Shell lines through the whole sandbox (host → worker → shell → runtimes) on Node.
describe('sandbox: shell lines', () => {
  const workspace = createMemoryWorkspace({ 'gen.py': 'import sys\nfor i in range(int(sys.argv[1])):\n    print(i)\n' });
  let sb: Sandbox;

  beforeAll(async () => {
    sb = createNodeSandbox({ workspace });
    await sb.warmup('python');
  });
  afterAll(async () => {
    await sb.dispose();
  });

  it('runs python with args, redirects into the workspace and chains with &&', async () => {
    const r = await sb.exec('mkdir -p out && python gen.py 3 > out/nums.txt && cat out/nums.txt');
    expect(r).toMatchObject({ status: 'ok', exitCode: 0, stdout: '0\n1\n2\n' });
    expect(r.filesChanged).toEqual(['out/nums.txt']);
    expect(await workspace.readText('out/nums.txt')).toBe('0\n1\n2\n');
  });

  it('pipes one program into another and feeds stdin with <', async () => {
    await sb.fs.writeFile('upper.py', 'import sys\nprint(sys.stdin.read().upper(), end="")\n');
    expect((await sb.exec('python gen.py 2 | python upper.py')).stdout).toBe('0\n1\n');
    await sb.fs.writeFile('words.txt', 'shout\n');
    expect((await sb.exec('python upper.py < words.txt')).stdout).toBe('SHOUT\n');
  });

  it('keeps the working directory across lines and $? across commands', async () => {
    const cd = await sb.exec('mkdir -p sub && cd sub && pwd');
    expect(cd.stdout).toBe('/workspace/sub\n');
    expect(cd.cwd).toBe('sub');
    const inSub = await sb.exec('python -c "open(\'here.txt\', \'w\').write(\'x\')"', { cwd: cd.cwd });
    expect(inSub.filesChanged).toEqual(['sub/here.txt']);
    await sb.exec('python -c "import sys; sys.exit(4)"');
    expect((await sb.exec('echo $?')).stdout).toBe('4\n');
  });

  it('answers an unknown command and a syntax error with 127 and one clear line', async () => {
    const unknown = await sb.exec('frobnicate --now');
    expect([unknown.status, unknown.exitCode]).toEqual(['error', 127]);
    expect(unknown.stderr).toBe('isobox: command not found: frobnicate\n');
    const syntax = await sb.exec('echo "unterminated');
    expect(syntax.exitCode).toBe(127);
    expect(syntax.stderr).toMatch(/^isobox: syntax error: .*\n$/);
  });

  it('refuses paths outside the workspace', async () => {
    const r = await sb.exec('cat /etc/passwd');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
  });

  it('stops a python loop in a pipeline on timeout', async () => {
    const r = await sb.exec('python -c "while True: pass" | cat', { timeoutMs: 500 });
    expect([r.status, r.exitCode]).toEqual(['timeout', 124]);
  });
});

describe('sandbox: directories', () => {
  it('removes and moves directories in the saved workspace, not only in the worker', async () => {
    const workspace = createMemoryWorkspace();
    const sb = createNodeSandbox({ workspace });
    try {
      expect((await sb.exec('mkdir -p d/sub e && echo x > d/sub/f.txt && rm -r e && mv d moved')).status).toBe('ok');
      const manifest = await workspace.manifest();
      expect(manifest.dirs.sort()).toEqual(['moved', 'moved/sub']);
      expect(Object.keys(manifest.files)).toEqual(['moved/sub/f.txt']);
      expect((await sb.exec('ls')).stdout).toBe('moved/\n');
    } finally {
      await sb.dispose();
    }
  });

  it('keeps Python working after the directory it last ran in is removed', async () => {
    const sb = createNodeSandbox({ workspace: createMemoryWorkspace() });
    try {
      const r = await sb.exec('mkdir d && cd d && python -c "print(1)" && cd .. && rm -r d && python -c "import os, sys; print(2, os.getcwd(), sys.argv[0], os.environ[\'GREETING\'], os.environ[\'LANG\'], \'_\' in os.environ)"', { env: { GREETING: 'hi' } });
      expect(r.stdout).toBe("1\n2 /workspace -c hi C.UTF-8 False\n");
      expect(r.status).toBe('ok');
    } finally {
      await sb.dispose();
    }
  });
});
