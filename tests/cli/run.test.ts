import { readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isobox, removeAll, tempDir } from './helpers.ts';

// `isobox run` and `isobox exec` end to end: the real bin, a real directory, Pyodide in a worker.
// Each spawn that runs Python loads Pyodide (~3 s), so cases are grouped.
describe('isobox run / exec', { timeout: 180_000 }, () => {
  const dirs: string[] = [];
  const workspace = async (files: Record<string, string> = {}): Promise<string> => {
    const dir = await tempDir(files);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => removeAll(dirs));

  it('runs a file with args and stdin, streams its output, exits 0 and saves what it writes', async () => {
    const ws = await workspace({
      'app/main.py':
        'import sys\nprint("hello from", sys.argv[0], sys.argv[1:])\nprint("stdin:", input())\n' +
        'print("to stderr", file=sys.stderr)\nopen("out/result.txt", "w").write("42\\n")\n',
      'out/.keep': '',
    });
    // From another working directory: the bin resolves its own paths.
    const r = await isobox(['run', '--workspace', ws, 'app/main.py', 'a', 'b c'], { input: 'typed\n' });
    expect(r.stdout).toBe("hello from /workspace/app/main.py ['a', 'b c']\nstdin: typed\n");
    expect(r.stderr).toBe('to stderr\n');
    expect(r.code).toBe(0);
    expect(await readFile(join(ws, 'out/result.txt'), 'utf8')).toBe('42\n');
  });

  it('propagates the exit code and prints one JSON line with --json', async () => {
    const ws = await workspace({ 'main.py': 'import sys\nprint("partial")\nprint("warn", file=sys.stderr)\nopen("made.txt", "w").write("x")\nsys.exit(3)\n' });
    // An absolute FILE inside the workspace works as well as a relative one.
    const r = await isobox(['run', '--json', join(ws, 'main.py')], { cwd: ws });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    const result: unknown = JSON.parse(lines[0] ?? '');
    expect(result).toMatchObject({ status: 'error', exitCode: 3, stdout: 'partial\n', stderr: 'warn\n', truncated: false, filesChanged: ['made.txt'] });
    expect(Object.keys(result as object)).toEqual(['status', 'exitCode', 'stdout', 'stderr', 'truncated', 'durationMs', 'filesChanged', 'audit']);
  });

  it('stops an endless loop at --timeout with exit 124 (status timeout in JSON)', async () => {
    const ws = await workspace({ 'loop.py': 'print("spinning", flush=True)\nwhile True:\n    pass\n' });
    const json = await isobox(['run', '--timeout', '1', '--json', 'loop.py'], { cwd: ws });
    expect(json.code).toBe(124);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'timeout', exitCode: 124, stdout: 'spinning\n' });

    const exec = await isobox(['exec', '-t', '1', 'python loop.py'], { cwd: ws });
    expect(exec.code).toBe(124);
    expect(exec.stdout).toBe('spinning\n');
    expect(exec.stderr).toContain('isobox: timed out after 1 s (exit 124)');
  });

  it('ends with 130 when Ctrl-C stops the program', async () => {
    const ws = await workspace({ 'slow.py': 'import time\nfor i in range(100):\n    print(i, flush=True)\n    time.sleep(0.1)\n' });
    let sent = false;
    const r = await isobox(['run', 'slow.py'], {
      cwd: ws,
      onStdout: (_text, child) => {
        if (!sent) sent = child.kill('SIGINT');
      },
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stdout.startsWith('0\n')).toBe(true);
    expect(r.stdout).not.toContain('99');
  });

  it('confines programs to the workspace directory, links out of it included', async () => {
    const outside = await workspace({ 'secret.txt': 'TOP SECRET' });
    const ws = await workspace({
      'peek.py':
        'import os\n' +
        `for p in ["../secret.txt", ${JSON.stringify(join(outside, 'secret.txt'))}, "link.txt", "linkdir/secret.txt"]:\n` +
        '    try:\n        print(p, "READ", open(p).read())\n    except OSError as e:\n        print(p, "refused", type(e).__name__)\n' +
        'print(sorted(os.listdir(".")))\n',
    });
    await symlink(join(outside, 'secret.txt'), join(ws, 'link.txt'));
    await symlink(outside, join(ws, 'linkdir'));
    await symlink(join(outside, 'secret.txt'), join(ws, 'escape.py'));

    const py = await isobox(['run', 'peek.py'], { cwd: ws });
    expect(py.code).toBe(0);
    expect(py.stdout).not.toContain('TOP SECRET');
    expect(py.stdout).not.toContain('READ');
    expect(py.stdout).toContain("['peek.py']");

    const cat = await isobox(['exec', 'cat ../secret.txt; cat link.txt; cat linkdir/secret.txt; ls'], { cwd: ws });
    expect(cat.stdout).not.toContain('TOP SECRET');
    expect(cat.stdout).toContain('peek.py');

    const viaLink = await isobox(['run', 'escape.py'], { cwd: ws });
    expect(viaLink.code).toBe(2);
    expect(viaLink.stderr).toMatch(/isobox: cannot open escape\.py: symbolic link leads out of the workspace/);

    const up = await isobox(['run', '../secret.txt', '--lang', 'python'], { cwd: ws });
    expect(up.code).toBe(2);
    expect(up.stderr).toMatch(/path leaves the workspace/);
  });

  it('runs shell lines with pipes, redirects and &&, feeding stdin', async () => {
    const ws = await workspace({
      'gen.py': 'import sys\nfor i in range(int(sys.argv[1])):\n    print(i)\n',
      'upper.py': 'import sys\nprint(sys.stdin.read().upper(), end="")\n',
    });
    const r = await isobox(['exec', 'python gen.py 3 | python upper.py && echo done > log.txt && cat log.txt && python upper.py'], {
      cwd: ws,
      input: 'shout\n',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('0\n1\n2\ndone\nSHOUT\n');
    expect(r.code).toBe(0);
    expect(await readFile(join(ws, 'log.txt'), 'utf8')).toBe('done\n');

    const json = await isobox(['exec', '--json', 'mkdir -p sub && cd sub && echo hi > a.txt && pwd && false'], { cwd: ws });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'error', exitCode: 1, stdout: '/workspace/sub\n', filesChanged: ['sub/a.txt'], cwd: 'sub' });

    const missing = await isobox(['exec', 'frobnicate'], { cwd: ws });
    expect([missing.code, missing.stderr]).toEqual([127, 'isobox: command not found: frobnicate\n']);
  });

  it('answers usage mistakes with a message and exit 2', async () => {
    const ws = await workspace({ 'notes.txt': 'hi' });
    const cases: Array<[string[], RegExp]> = [
      [[], /no command given/],
      [['frob'], /unknown command "frob"/],
      [['run'], /needs a FILE/],
      [['run', 'missing.py'], /cannot open missing\.py: no such file or directory/],
      [['run', 'notes.txt'], /cannot tell the language of notes\.txt/],
      [['run', '--timeout', 'soon', 'main.py'], /--timeout takes a number of seconds/],
      [['exec', '--bogus', 'ls'], /unknown option --bogus/],
      [['run', '--workspace', join(ws, 'nope'), 'main.py'], /the workspace .*nope does not exist/],
      [['mcp', '--workspace', join(ws, 'notes.txt')], /is not a directory/],
    ];
    for (const [args, message] of cases) {
      const r = await isobox(args, { cwd: ws });
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).toMatch(/^isobox: /);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.code, args.join(' ')).toBe(2);
    }
  });

  it('prints help and version', async () => {
    const help = await isobox(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('isobox run [OPTIONS] FILE [ARGS...]');
    expect(help.stdout).toContain('--allow-net');
    const version = await isobox(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^isobox \d+\.\d+\.\d+/);
  });

  it('prints the audit after the output with --audit', async () => {
    const audit = await isobox(['exec', '--audit', 'echo audited > note.txt && cat note.txt'], { cwd: await workspace() });
    expect([audit.code, audit.stdout]).toEqual([0, 'audited\n']);
    expect(audit.stderr).toBe('isobox audit: wrote 1 file (note.txt)\n');
  });

  it('runs with --allow-net alone (any origin)', async () => {
    const ws = await workspace();
    // Passes "*" to the sandbox, which must read it as any origin (src/sandbox/worker/lockdown.ts).
    const net = await isobox(['exec', '--allow-net', 'echo online'], { cwd: ws });
    expect(net.stderr).toBe('');
    expect([net.code, net.stdout]).toEqual([0, 'online\n']);
  });
});
