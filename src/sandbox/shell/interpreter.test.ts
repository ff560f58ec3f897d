import { describe, expect, it } from 'vitest';
import type { Program, ProgramIo } from '../runtimes/runtime.ts';
import { FileTree } from '../worker/tree.ts';
import { type ShellContext, type ShellOutcome, runLine } from './interpreter.ts';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Every fake program call, to assert what ran (and what did not). */
interface Call {
  name: string;
  args: string[];
  cwd: string;
}

function fakePrograms(calls: Call[]): Record<string, Program> {
  const log = (name: string, io: ProgramIo): void => void calls.push({ name, args: io.args, cwd: io.cwd });
  return {
    upper: async (_tree, io) => {
      log('upper', io);
      io.stdout(encode(decode(io.stdin).toUpperCase()));
      return { status: 'ok', exitCode: 0 };
    },
    fail: async (_tree, io) => {
      log('fail', io);
      io.stderr(encode('fail: boom\n'));
      return { status: 'error', exitCode: 3 };
    },
    both: async (_tree, io) => {
      log('both', io);
      io.stdout(encode('out\n'));
      io.stderr(encode('err\n'));
      return { status: 'ok', exitCode: 0 };
    },
    args: async (_tree, io) => {
      log('args', io);
      io.stdout(encode(`${JSON.stringify(io.args)}\n`));
      return { status: 'ok', exitCode: 0 };
    },
    printenv: async (_tree, io) => {
      log('printenv', io);
      io.stdout(encode(`${io.env[io.args[0] ?? ''] ?? '(unset)'}\n`));
      io.env.LEAK = 'x';
      return { status: 'ok', exitCode: 0 };
    },
    // Writes twice through one buffer it mutates in between, as a Wasm runtime reusing memory would.
    reuse: async (_tree, io) => {
      log('reuse', io);
      const buffer = encode('ab');
      io.stdout(buffer);
      buffer.set(encode('cd'));
      io.stdout(buffer);
      return { status: 'ok', exitCode: 0 };
    },
    // Stands for a program during which the user pressed Stop, but which still ended normally.
    stopper: async (_tree, io) => {
      log('stopper', io);
      Atomics.store(io.interrupt, 0, 2);
      io.stdout(encode('partial\n'));
      return { status: 'ok', exitCode: 0 };
    },
    interrupted: async (_tree, io) => {
      log('interrupted', io);
      return { status: 'interrupted', exitCode: 130 };
    },
    crash: async (_tree, io) => {
      log('crash', io);
      return { status: 'crashed', exitCode: 1 };
    },
    oom: async (_tree, io) => {
      log('oom', io);
      return { status: 'oom', exitCode: 137 };
    },
    throws: async (_tree, io) => {
      log('throws', io);
      throw new Error('runtime exploded');
    },
    // Writes a file itself, as python would, to check the shell sees the runtime's writes.
    writer: async (tree, io) => {
      log('writer', io);
      tree.writeFile(io.cwd === '' ? 'made.txt' : `${io.cwd}/made.txt`, 'made\n');
      return { status: 'ok', exitCode: 0 };
    },
  };
}

interface RunOptions {
  tree?: FileTree;
  cwd?: string;
  env?: Record<string, string>;
  vars?: Record<string, string>;
  lastExitCode?: number;
  stdin?: string;
  interrupt?: Int32Array;
}

interface Ran {
  stdout: string;
  stderr: string;
  outcome: ShellOutcome;
  calls: Call[];
  tree: FileTree;
}

async function run(line: string, options: RunOptions = {}): Promise<Ran> {
  const tree = options.tree ?? new FileTree();
  const calls: Call[] = [];
  const programs = fakePrograms(calls);
  let stdout = '';
  let stderr = '';
  const ctx: ShellContext = {
    tree,
    cwd: options.cwd ?? '',
    env: options.env ?? {},
    ...(options.vars ? { vars: options.vars } : {}),
    lastExitCode: options.lastExitCode ?? 0,
    stdin: encode(options.stdin ?? ''),
    stdout: (bytes) => void (stdout += decode(bytes)),
    stderr: (bytes) => void (stderr += decode(bytes)),
    interrupt: options.interrupt ?? new Int32Array(new SharedArrayBuffer(4)),
    resolveProgram: (name, cwd, t) => {
      if (name.endsWith('.wasm')) {
        // A stand-in for the WASI runner: any existing .wasm file runs and prints its path.
        const path = name.startsWith('./') ? (cwd === '' ? name.slice(2) : `${cwd}/${name.slice(2)}`) : name;
        if (!t.isFile(path)) return undefined;
        return async (_tree, io) => {
          calls.push({ name, args: io.args, cwd: io.cwd });
          io.stdout(encode(`ran ${path}\n`));
          return { status: 'ok', exitCode: 0 };
        };
      }
      return Object.hasOwn(programs, name) ? programs[name] : undefined;
    },
  };
  const outcome = await runLine(line, ctx);
  return { stdout, stderr, outcome, calls, tree };
}

function treeWith(files: Record<string, string>, dirs: string[] = []): FileTree {
  const tree = new FileTree();
  for (const dir of dirs) tree.mkdir(dir);
  for (const [path, text] of Object.entries(files)) tree.writeFile(path, text);
  return tree;
}

describe('runLine: redirections', () => {
  it('writes a file with > and reads it back with cat', async () => {
    const tree = new FileTree();
    const first = await run('echo hello > out.txt', { tree });
    expect(first.stdout).toBe('');
    expect(tree.readText('out.txt')).toBe('hello\n');
    const second = await run('cat out.txt', { tree });
    expect(second.stdout).toBe('hello\n');
    expect(second.outcome).toMatchObject({ exitCode: 0, status: 'ok', cwd: '' });
  });

  it('truncates with > and appends with >>', async () => {
    const tree = treeWith({ 'log.txt': 'old\n' });
    await run('echo one >> log.txt; echo two >>log.txt', { tree });
    expect(tree.readText('log.txt')).toBe('old\none\ntwo\n');
    await run('echo new > log.txt', { tree });
    expect(tree.readText('log.txt')).toBe('new\n');
  });

  it('creates an empty file for a redirection alone, and for a command with no output', async () => {
    const { tree } = await run('> empty.txt && true > also.txt');
    expect(tree.readText('empty.txt')).toBe('');
    expect(tree.readText('also.txt')).toBe('');
  });

  it('feeds a file as stdin with <', async () => {
    const { stdout, calls } = await run('upper < in.txt', { tree: treeWith({ 'in.txt': 'abc\n' }) });
    expect(stdout).toBe('ABC\n');
    expect(calls.map((c) => c.name)).toEqual(['upper']);
  });

  it('sends stderr to a file with 2>, and both streams with > f 2>&1', async () => {
    const tree = new FileTree();
    const r = await run('both 2> err.txt', { tree });
    expect(r.stdout).toBe('out\n');
    expect(tree.readText('err.txt')).toBe('err\n');
    const both = await run('both > all.txt 2>&1', { tree });
    expect(both.stdout + both.stderr).toBe('');
    expect(tree.readText('all.txt')).toBe('out\nerr\n');
  });

  it('applies redirections left to right: 2>&1 > f leaves stderr on the terminal stdout', async () => {
    const r = await run('both 2>&1 > f.txt');
    expect(r.stdout).toBe('err\n');
    expect(r.stderr).toBe('');
    expect(r.tree.readText('f.txt')).toBe('out\n');
  });

  it('sends stdout to stderr with >&2', async () => {
    const r = await run('echo oops >&2');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('oops\n');
  });

  it('discards output sent to /dev/null and reads it as empty', async () => {
    const r = await run('both 2>/dev/null; echo x > /dev/null; upper < /dev/null');
    expect(r.stdout).toBe('out\n');
    expect(r.stderr).toBe('');
  });

  it('expands variables in a redirection target', async () => {
    const r = await run('echo hi > "$NAME.txt"', { env: { NAME: 'note' } });
    expect(r.tree.readText('note.txt')).toBe('hi\n');
  });

  it('reports a bad redirection target, does not run the command, and exits 1', async () => {
    const tree = treeWith({ 'file.txt': 'x' }, ['dir']);
    for (const [line, message] of [
      ['upper < nope.txt', 'isobox: nope.txt: No such file or directory\n'],
      ['upper < dir', 'isobox: dir: Is a directory\n'],
      ['echo hi > dir', 'isobox: dir: Is a directory\n'],
      ['echo hi > missing/f.txt', 'isobox: missing/f.txt: No such file or directory\n'],
      ['echo hi > file.txt/f.txt', 'isobox: file.txt/f.txt: Not a directory\n'],
      ['echo hi > $UNSET', "isobox: '': ambiguous redirect (empty file name)\n"],
    ]) {
      const r = await run(line as string, { tree });
      expect(r.stderr, line).toBe(message);
      expect(r.stdout, line).toBe('');
      expect(r.calls, line).toEqual([]);
      expect(r.outcome.exitCode, line).toBe(1);
    }
    expect(tree.exists('missing')).toBe(false);
  });

  it('keeps what a program wrote to a file itself', async () => {
    const r = await run('writer && cat made.txt');
    expect(r.stdout).toBe('made\n');
  });
});

describe('runLine: pipelines', () => {
  it('pipes a stage into the next', async () => {
    const r = await run('cat in.txt | upper', { tree: treeWith({ 'in.txt': 'hello\n' }) });
    expect(r.stdout).toBe('HELLO\n');
    expect(r.outcome.exitCode).toBe(0);
  });

  it('chains several fake programs and builtins', async () => {
    const r = await run('echo abc | upper | cat | upper');
    expect(r.stdout).toBe('ABC\n');
    expect(r.calls.map((c) => c.name)).toEqual(['upper', 'upper']);
  });

  it('streams stderr of every stage, and only the last stdout', async () => {
    const r = await run('both | both | upper');
    expect(r.stdout).toBe('OUT\n');
    expect(r.stderr).toBe('err\nerr\n');
  });

  it('pipes stderr too with 2>&1', async () => {
    const r = await run('both 2>&1 | upper');
    expect(r.stdout).toBe('OUT\nERR\n');
    expect(r.stderr).toBe('');
  });

  it('copies what a stage writes, so a reused buffer cannot change piped data', async () => {
    const r = await run('reuse | cat');
    expect(r.stdout).toBe('abcd');
    const f = await run('reuse > f.txt && cat f.txt');
    expect(f.stdout).toBe('abcd');
  });

  it('takes the exit code of the last stage', async () => {
    expect((await run('fail | upper')).outcome.exitCode).toBe(0);
    const r = await run('echo x | fail');
    expect(r.outcome).toMatchObject({ exitCode: 3, status: 'error', cwd: '' });
  });

  it('redirects a middle stage to a file and gives the next stage empty stdin', async () => {
    const r = await run('echo hi > mid.txt | upper');
    expect(r.stdout).toBe('');
    expect(r.tree.readText('mid.txt')).toBe('hi\n');
  });

  it('gives the first stage the line stdin', async () => {
    expect((await run('upper', { stdin: 'typed' })).stdout).toBe('TYPED');
    expect((await run('cat | upper', { stdin: 'typed' })).stdout).toBe('TYPED');
  });
});

describe('runLine: &&, || and ;', () => {
  it('false && echo x runs nothing after false', async () => {
    const r = await run('false && echo x');
    expect(r.stdout).toBe('');
    expect(r.outcome).toMatchObject({ exitCode: 1, status: 'error', cwd: '' });
  });

  it('false || echo y runs the fallback', async () => {
    const r = await run('false || echo y');
    expect(r.stdout).toBe('y\n');
    expect(r.outcome).toMatchObject({ exitCode: 0, status: 'ok', cwd: '' });
  });

  it('true || echo n skips, true && echo y runs', async () => {
    expect((await run('true || echo n')).stdout).toBe('');
    expect((await run('true && echo y')).stdout).toBe('y\n');
  });

  it('chains left to right: false && a || b runs b', async () => {
    expect((await run('false && echo a || echo b')).stdout).toBe('b\n');
    expect((await run('true && echo a || echo b')).stdout).toBe('a\n');
  });

  it('; runs the next command whatever the exit code', async () => {
    const r = await run('fail; echo after');
    expect(r.stdout).toBe('after\n');
    expect(r.stderr).toBe('fail: boom\n');
    expect(r.outcome.exitCode).toBe(0);
  });

  it('runs lines separated by newlines', async () => {
    expect((await run('echo a\necho b\n')).stdout).toBe('a\nb\n');
  });

  it('an empty or comment-only line exits 0', async () => {
    expect((await run('', { lastExitCode: 4 })).outcome).toMatchObject({ exitCode: 0, status: 'ok', cwd: '' });
    expect((await run('  # nothing')).outcome.exitCode).toBe(0);
  });
});

describe('runLine: expansions', () => {
  it('$? is the exit code of the previous command', async () => {
    expect((await run('fail; echo $?')).stdout).toBe('3\n');
    expect((await run('fail || echo "code $?"')).stdout).toBe('code 3\n');
    expect((await run('true; echo ${?}')).stdout).toBe('0\n');
  });

  it('$? starts from the context exit code', async () => {
    expect((await run('echo $?', { lastExitCode: 5 })).stdout).toBe('5\n');
  });

  it('every stage of a pipeline sees the $? from before it', async () => {
    expect((await run('fail; echo $? | cat')).stdout).toBe('3\n');
  });

  it('expands $NAME and ${NAME} from env; unset is empty', async () => {
    const r = await run(`echo $WHO "\${WHO}!" '$WHO' "[$NOPE]"`, { env: { WHO: 'ada' } });
    expect(r.stdout).toBe('ada ada! $WHO []\n');
  });

  it('drops an unquoted word that expands to nothing, keeps a quoted one', async () => {
    expect((await run('args $NOPE x "$NOPE"')).stdout).toBe('["x",""]\n');
  });

  it('does not split a value with spaces into several arguments', async () => {
    expect((await run('args $V', { env: { V: 'a b' } })).stdout).toBe('["a b"]\n');
  });

  it('does not take Object.prototype members for variables', async () => {
    expect((await run('echo "[$constructor]"')).stdout).toBe('[]\n');
  });

  it('passes the environment to programs as a copy', async () => {
    const env = { GREETING: 'hi' };
    const r = await run('printenv GREETING; printenv LEAK', { env });
    expect(r.stdout).toBe('hi\n(unset)\n');
    expect(env).toEqual({ GREETING: 'hi' });
  });

  it('expands globs against the workspace, sorted, hidden files only when asked', async () => {
    const tree = treeWith({ 'b.txt': '', 'a.txt': '', '.h.txt': '', 'c.py': '', 'src/x.py': '', 'src/y.py': '' });
    expect((await run('echo *.txt', { tree })).stdout).toBe('a.txt b.txt\n');
    expect((await run('echo .*.txt', { tree })).stdout).toBe('.h.txt\n');
    expect((await run('echo src/*.py', { tree })).stdout).toBe('src/x.py src/y.py\n');
    expect((await run('echo */', { tree })).stdout).toBe('src/\n');
    expect((await run('echo ?.py [ab].txt [!a].txt', { tree })).stdout).toBe('c.py a.txt b.txt b.txt\n');
    expect((await run('echo /workspace/src/x*', { tree })).stdout).toBe('/workspace/src/x.py\n');
    expect((await run('echo *.py', { tree, cwd: 'src' })).stdout).toBe('x.py y.py\n');
    expect((await run('echo ../*.py', { tree, cwd: 'src' })).stdout).toBe('../c.py\n');
  });

  it('leaves quoted and unmatched globs literal', async () => {
    const tree = treeWith({ 'a.txt': '' });
    expect((await run(`echo '*.txt' "*.txt" \\*.txt *.none`, { tree })).stdout).toBe('*.txt *.txt *.txt *.none\n');
    expect((await run('echo /etc/*', { tree })).stdout).toBe('/etc/*\n');
  });
});

describe('runLine: variables', () => {
  it('NAME=value before a program is in its environment for that command only', async () => {
    const r = await run('GREETING=hi printenv GREETING; printenv GREETING', { env: { OTHER: '1' } });
    expect(r.stdout).toBe('hi\n(unset)\n');
    expect(r.outcome).toMatchObject({ env: { OTHER: '1' }, vars: {} });
  });

  it('NAME=value alone is a shell variable: it expands but programs do not get it until exported', async () => {
    const r = await run('X=1; printenv X; echo $X; export X; printenv X');
    expect(r.stdout).toBe('(unset)\n1\n1\n');
    expect(r.outcome).toMatchObject({ env: { X: '1' }, vars: {} });
  });

  it('starts from the given shell variables and returns the changes', async () => {
    const r = await run('echo "$A $B"; unset A; B=3; export C=4', { env: { A: '1' }, vars: { B: '2' } });
    expect(r.stdout).toBe('1 2\n');
    expect(r.outcome).toMatchObject({ env: { C: '4' }, vars: { B: '3' } });
  });

  it('assignments, export and unset inside a pipeline do not change the shell, as in a subshell', async () => {
    const r = await run('export P=1 | cat; Q=2 | cat; unset KEEP | cat; echo "[$P$Q$KEEP]"', { env: { KEEP: 'k' } });
    expect(r.stdout).toBe('[k]\n');
    expect(r.outcome).toMatchObject({ env: { KEEP: 'k' }, vars: {} });
  });

  it('env CMD runs builtins and programs with more variables and without removed ones', async () => {
    const r = await run('env -u HOME NEW=n printenv NEW; env -i printenv HOME; env NEW=x env', { env: { HOME: '/h' } });
    expect(r.stdout).toBe('n\n(unset)\nHOME=/h\nNEW=x\n');
    expect(r.calls.map((call) => call.name)).toEqual(['printenv', 'printenv']);
  });

  it('which knows builtins and programs the resolver finds, and fails for the rest', async () => {
    const r = await run('which ls upper; which nope; echo $?');
    expect(r.stdout).toBe('ls: shell builtin\nupper: Isobox program (runs in the sandbox)\n1\n');
    expect(r.calls).toEqual([]);
  });
});

describe('runLine: commands that do not exist', () => {
  it('unknown command: message on stderr, exit 127, and && stops', async () => {
    const r = await run('nope arg && echo x');
    expect(r.stderr).toBe('isobox: command not found: nope\n');
    expect(r.stdout).toBe('');
    expect(r.outcome).toMatchObject({ exitCode: 127, status: 'error', cwd: '' });
    expect((await run('nope || echo $?')).stdout).toBe('127\n');
  });

  it('the not-found message follows 2> like any stderr', async () => {
    const r = await run('nope 2> err.txt');
    expect(r.stderr).toBe('');
    expect(r.tree.readText('err.txt')).toBe('isobox: command not found: nope\n');
  });

  it('a parse error prints the message and exits 127 without running anything', async () => {
    const r = await run("echo 'oops; echo ran");
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('isobox: syntax error: unterminated quote\n');
    expect(r.outcome).toMatchObject({ exitCode: 127, status: 'error', cwd: '' });
    expect((await run('echo a &&', { cwd: 'sub' })).outcome).toMatchObject({ exitCode: 127, status: 'error', cwd: 'sub' });
  });

  it('runs a path through resolveProgram, with args but not its own name', async () => {
    const r = await run('./prog.wasm 1 "two words"', { tree: treeWith({ 'prog.wasm': '\0asm' }) });
    expect(r.stdout).toBe('ran prog.wasm\n');
    expect(r.calls).toEqual([{ name: './prog.wasm', args: ['1', 'two words'], cwd: '' }]);
  });

  it('explains a path that is missing (127) or not a program (126)', async () => {
    const tree = treeWith({ 'notes.txt': 'x' }, ['dir']);
    const missing = await run('./missing.wasm', { tree });
    expect(missing.stderr).toBe('isobox: ./missing.wasm: No such file or directory\n');
    expect(missing.outcome.exitCode).toBe(127);
    const text = await run('./notes.txt', { tree });
    expect(text.stderr).toBe('isobox: ./notes.txt: cannot execute: not a program (run .wasm files)\n');
    expect(text.outcome.exitCode).toBe(126);
    expect((await run('./dir', { tree })).stderr).toBe('isobox: ./dir: Is a directory\n');
    expect((await run('/etc/prog', { tree })).stderr).toBe('isobox: /etc/prog: outside the workspace\n');
  });

  it('never treats a path as a builtin', async () => {
    expect((await run('./echo hi')).stderr).toBe('isobox: ./echo: No such file or directory\n');
  });
});

describe('runLine: working directory', () => {
  const tree = (): FileTree => treeWith({ 'top.txt': 'top\n', 'a/b/deep.txt': 'deep\n' });

  it('cd then pwd, and the outcome carries the new cwd', async () => {
    const r = await run('cd a/b && pwd', { tree: tree() });
    expect(r.stdout).toBe('/workspace/a/b\n');
    expect(r.outcome.cwd).toBe('a/b');
  });

  it('resolves relative paths against the cwd', async () => {
    const t = tree();
    const r = await run('cd a && echo hi > f.txt && cat b/deep.txt ../top.txt', { tree: t });
    expect(r.stdout).toBe('deep\ntop\n');
    expect(t.readText('a/f.txt')).toBe('hi\n');
  });

  it('starts in ctx.cwd and passes it to programs', async () => {
    const r = await run('cat deep.txt; args', { tree: tree(), cwd: 'a/b' });
    expect(r.stdout).toBe('deep\n[]\n');
    expect(r.calls[0]?.cwd).toBe('a/b');
  });

  it('accepts a /workspace-style ctx.cwd and refuses one outside', async () => {
    expect((await run('pwd', { tree: tree(), cwd: '/workspace/a' })).stdout).toBe('/workspace/a\n');
    const bad = await run('pwd', { cwd: '../x' });
    expect(bad.stderr).toBe('isobox: working directory ../x: outside the workspace\n');
    expect(bad.outcome).toMatchObject({ exitCode: 1, status: 'error', cwd: '' });
  });

  it('cd .. goes up lexically and stops at the root', async () => {
    const t = tree();
    expect((await run('cd ..; pwd', { tree: t, cwd: 'a/b' })).outcome.cwd).toBe('a');
    const r = await run('cd ..', { tree: t });
    expect(r.stderr).toBe('cd: ..: outside the workspace\n');
    expect(r.outcome).toMatchObject({ exitCode: 1, status: 'error', cwd: '' });
  });

  it('cd with no argument returns to the root; /workspace paths work', async () => {
    const t = tree();
    expect((await run('cd', { tree: t, cwd: 'a/b' })).outcome.cwd).toBe('');
    expect((await run('cd ~/a && cat ~/top.txt', { tree: t, cwd: 'a/b' })).outcome.cwd).toBe('a');
    const r = await run('cd /workspace/a && cat /workspace/top.txt && pwd', { tree: t });
    expect(r.stdout).toBe('top\n/workspace/a\n');
  });

  it('cd inside a pipeline does not change the cwd, as in sh', async () => {
    const r = await run('cd a | cat; pwd', { tree: tree() });
    expect(r.stdout).toBe('/workspace\n');
    expect(r.outcome.cwd).toBe('');
  });

  it('a failed cd leaves the cwd alone', async () => {
    const r = await run('cd a; cd nope; pwd', { tree: tree() });
    expect(r.stdout).toBe('/workspace/a\n');
    expect(r.stderr).toBe('cd: nope: No such file or directory\n');
  });
});

describe('runLine: staying inside the workspace', () => {
  it.each([
    ['cat ../x', 'cat: ../x: outside the workspace\n'],
    ['cat /etc/passwd', 'cat: /etc/passwd: outside the workspace\n'],
    ['cat /workspace/../etc/passwd', 'cat: /workspace/../etc/passwd: outside the workspace\n'],
    ['echo hi > ../x', 'isobox: ../x: outside the workspace\n'],
    ['echo hi > /etc/passwd', 'isobox: /etc/passwd: outside the workspace\n'],
    ['echo hi >> /tmp/x', 'isobox: /tmp/x: outside the workspace\n'],
    ['upper < /etc/passwd', 'isobox: /etc/passwd: outside the workspace\n'],
    ['cd /etc', 'cd: /etc: outside the workspace\n'],
    ['ls ../..', "ls: cannot access '../..': outside the workspace\n"],
  ])('%s is refused', async (line, message) => {
    const r = await run(line);
    expect(r.stderr).toBe(message);
    expect(r.outcome.exitCode).not.toBe(0);
    expect(r.calls).toEqual([]);
  });

  it('refuses ../x from a subdirectory only when it climbs above the root', async () => {
    const tree = treeWith({ 'x.txt': 'x\n' }, ['sub']);
    expect((await run('cat ../x.txt', { tree, cwd: 'sub' })).stdout).toBe('x\n');
    expect((await run('cat ../../x.txt', { tree, cwd: 'sub' })).stderr).toBe('cat: ../../x.txt: outside the workspace\n');
  });
});

describe('runLine: interrupts and fatal statuses', () => {
  it('stops between pipeline stages when interrupted', async () => {
    const r = await run('stopper | upper');
    expect(r.calls.map((c) => c.name)).toEqual(['stopper']);
    expect(r.outcome).toMatchObject({ exitCode: 130, status: 'interrupted', cwd: '' });
  });

  it('stops before the next command of a list when interrupted', async () => {
    const r = await run('stopper; echo after; upper');
    expect(r.stdout).toBe('partial\n');
    expect(r.calls.map((c) => c.name)).toEqual(['stopper']);
    expect(r.outcome.status).toBe('interrupted');
  });

  it('runs nothing when the interrupt is already set', async () => {
    const interrupt = new Int32Array(new SharedArrayBuffer(4));
    interrupt[0] = 2;
    const r = await run('echo never', { interrupt });
    expect(r.stdout).toBe('');
    expect(r.outcome.status).toBe('interrupted');
  });

  it.each([
    ['interrupted', 130],
    ['crash', 1],
    ['oom', 137],
  ])('a program ending %s stops the whole line with that status', async (name, exitCode) => {
    const r = await run(`${name} | upper; echo after || echo other`);
    expect(r.stdout).toBe('');
    expect(r.calls.map((c) => c.name)).toEqual([name]);
    expect(r.outcome).toMatchObject({ exitCode, status: name === 'crash' ? 'crashed' : name, cwd: '' });
  });

  it('keeps the cwd of a line stopped after a cd', async () => {
    const r = await run('cd sub && crash', { tree: treeWith({}, ['sub']) });
    expect(r.outcome).toMatchObject({ exitCode: 1, status: 'crashed', cwd: 'sub' });
  });

  it('a program that throws counts as crashed, with its message', async () => {
    const r = await run('throws; echo after');
    expect(r.stderr).toBe('isobox: throws: runtime exploded\n');
    expect(r.outcome.status).toBe('crashed');
    expect(r.stdout).toBe('');
  });

  it('writes a redirected file even when the line is stopped', async () => {
    const r = await run('stopper > out.txt | upper');
    expect(r.tree.readText('out.txt')).toBe('partial\n');
  });
});
