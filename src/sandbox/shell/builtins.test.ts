import { describe, expect, it } from 'vitest';
import { FileTree } from '../worker/tree.ts';
import { BUILTINS, type Builtin, findBuiltin, runBuiltin } from './builtins.ts';
import { COMMANDS, COMMAND_NAMES } from './command-names.ts';
import { type BuiltinIo, parseOptions } from './command.ts';
import { ShellVariables } from './variables.ts';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

interface Called {
  code: number;
  stdout: string;
  stderr: string;
  /** The cwd after the call (changed only by `cd`). */
  cwd: string;
}

/** Runs a builtin by name, as the interpreter would, capturing its streams. */
function call(tree: FileTree, line: string[], options: { cwd?: string; stdin?: string } = {}): Called {
  const [name = '', ...args] = line;
  const builtin = findBuiltin(name);
  if (!builtin) throw new Error(`no builtin ${name}`);
  let stdout = '';
  let stderr = '';
  let cwd = options.cwd ?? '';
  const code = runBuiltin(name, builtin, args, {
    tree,
    cwd,
    stdin: encode(options.stdin ?? ''),
    stdout: (bytes) => void (stdout += decode(bytes)),
    stderr: (bytes) => void (stderr += decode(bytes)),
    chdir: (next) => void (cwd = next),
    ...shellState(),
  });
  return { code, stdout, stderr, cwd };
}

/** The shell-state part of a builtin's io, for calls that do not look at it. */
function shellState(): Pick<BuiltinIo, 'env' | 'variables' | 'commandKind'> {
  return { env: {}, variables: new ShellVariables(), commandKind: (name) => (findBuiltin(name) ? 'builtin' : undefined) };
}

function treeWith(files: Record<string, string>, dirs: string[] = []): FileTree {
  const tree = new FileTree();
  for (const dir of dirs) tree.mkdir(dir);
  for (const [path, text] of Object.entries(files)) tree.writeFile(path, text);
  return tree;
}

/** Files and dirs of a tree, for whole-tree assertions. */
function contents(tree: FileTree): { files: Record<string, string>; dirs: string[] } {
  const files: Record<string, string> = {};
  for (const [path, data] of tree.allFiles()) files[path] = decode(data);
  return { files, dirs: [...tree.allDirs()].sort() };
}

describe('ls', () => {
  const tree = (): FileTree => treeWith({ 'b.txt': 'bb', 'a.py': 'a', '.hidden': '', 'src/x.c': 'int x;' }, ['empty']);

  it('lists the cwd one name per line, directories with a trailing slash, hidden files skipped', () => {
    expect(call(tree(), ['ls'])).toEqual({ code: 0, stdout: 'a.py\nb.txt\nempty/\nsrc/\n', stderr: '', cwd: '' });
  });

  it('-a shows hidden files', () => {
    expect(call(tree(), ['ls', '-a']).stdout).toBe('.hidden\na.py\nb.txt\nempty/\nsrc/\n');
  });

  it('-l adds a mode and size column', () => {
    expect(call(tree(), ['ls', '-l', 'src']).stdout).toBe('-rw-r--r-- 6 x.c\n');
    expect(call(tree(), ['ls', '-la']).stdout).toBe(
      ['-rw-r--r-- 0 .hidden', '-rw-r--r-- 1 a.py', '-rw-r--r-- 2 b.txt', 'drwxr-xr-x - empty/', 'drwxr-xr-x - src/', ''].join('\n'),
    );
  });

  it('lists a directory operand, relative to the cwd, and an empty one as nothing', () => {
    expect(call(tree(), ['ls', 'src']).stdout).toBe('x.c\n');
    expect(call(tree(), ['ls', '.'], { cwd: 'src' }).stdout).toBe('x.c\n');
    expect(call(tree(), ['ls', '..'], { cwd: 'src' }).stdout).toBe('a.py\nb.txt\nempty/\nsrc/\n');
    expect(call(tree(), ['ls', '/workspace/src']).stdout).toBe('x.c\n');
    expect(call(tree(), ['ls', 'empty'])).toMatchObject({ code: 0, stdout: '' });
  });

  it('prints a file operand as given; several operands get headers, files first', () => {
    expect(call(tree(), ['ls', 'src/x.c']).stdout).toBe('src/x.c\n');
    expect(call(tree(), ['ls', 'src', 'a.py', 'empty']).stdout).toBe('a.py\n\nsrc:\nx.c\n\nempty:\n');
  });

  it('reports a missing path like coreutils, exit 2, and still lists the rest', () => {
    const r = call(tree(), ['ls', 'nope', 'a.py']);
    expect(r).toEqual({ code: 2, stdout: 'a.py\n', stderr: "ls: cannot access 'nope': No such file or directory\n", cwd: '' });
  });

  it('refuses paths outside the workspace and unknown options', () => {
    expect(call(tree(), ['ls', '/etc']).stderr).toBe("ls: cannot access '/etc': outside the workspace\n");
    expect(call(tree(), ['ls', '-z'])).toMatchObject({ code: 2, stderr: "ls: invalid option -- 'z'\n" });
  });
});

describe('cat', () => {
  const tree = (): FileTree => treeWith({ 'a.txt': 'A\n', 'b.txt': 'B\n' }, ['dir']);

  it('concatenates files', () => {
    expect(call(tree(), ['cat', 'a.txt', 'b.txt'])).toEqual({ code: 0, stdout: 'A\nB\n', stderr: '', cwd: '' });
  });

  it('reads stdin with no operand or -', () => {
    expect(call(tree(), ['cat'], { stdin: 'in' }).stdout).toBe('in');
    expect(call(tree(), ['cat', 'a.txt', '-'], { stdin: 'in' }).stdout).toBe('A\nin');
  });

  it('reports a missing file, continues, and exits 1', () => {
    const r = call(tree(), ['cat', 'nope.txt', 'b.txt']);
    expect(r).toEqual({ code: 1, stdout: 'B\n', stderr: 'cat: nope.txt: No such file or directory\n', cwd: '' });
  });

  it('reports a directory, a path outside, and an unknown option', () => {
    expect(call(tree(), ['cat', 'dir'])).toMatchObject({ code: 1, stderr: 'cat: dir: Is a directory\n' });
    expect(call(tree(), ['cat', '../x'])).toMatchObject({ code: 1, stderr: 'cat: ../x: outside the workspace\n' });
    expect(call(tree(), ['cat', '-n', 'a.txt'])).toMatchObject({ code: 1, stderr: "cat: invalid option -- 'n'\n" });
  });

  it('passes binary bytes through unchanged', () => {
    const t = new FileTree();
    t.writeFile('bin', new Uint8Array([0, 255, 10]));
    let out: Uint8Array = new Uint8Array();
    findBuiltin('cat')?.(['bin'], { tree: t, cwd: '', stdin: new Uint8Array(), stdout: (b) => void (out = b), stderr: () => {}, chdir: () => {}, ...shellState() });
    expect([...out]).toEqual([0, 255, 10]);
  });
});

describe('echo', () => {
  const t = new FileTree();
  it('joins arguments with spaces and ends the line', () => {
    expect(call(t, ['echo', 'a', 'b  c'])).toEqual({ code: 0, stdout: 'a b  c\n', stderr: '', cwd: '' });
    expect(call(t, ['echo']).stdout).toBe('\n');
  });

  it('-n drops the newline; other dash words are text', () => {
    expect(call(t, ['echo', '-n', 'a']).stdout).toBe('a');
    expect(call(t, ['echo', '-n']).stdout).toBe('');
    expect(call(t, ['echo', '-x', 'a', '-n']).stdout).toBe('-x a -n\n');
  });

  it('-e reads escapes, -E and plain echo keep them', () => {
    expect(call(t, ['echo', '-e', 'a\\tb\\nc\\\\d\\x41\\0101\\q']).stdout).toBe('a\tb\nc\\dAA\\q\n');
    expect(call(t, ['echo', '-ne', 'x\\n']).stdout).toBe('x\n');
    expect(call(t, ['echo', '-e', 'stop\\chere']).stdout).toBe('stop');
    expect(call(t, ['echo', '-e', '-E', 'a\\n']).stdout).toBe('a\\n\n');
    expect(call(t, ['echo', 'a\\n']).stdout).toBe('a\\n\n');
  });
});

describe('pwd and cd', () => {
  const tree = (): FileTree => treeWith({ 'f.txt': '' }, ['sub/deeper']);

  it('pwd prints /workspace or /workspace/sub', () => {
    expect(call(tree(), ['pwd']).stdout).toBe('/workspace\n');
    expect(call(tree(), ['pwd'], { cwd: 'sub/deeper' }).stdout).toBe('/workspace/sub/deeper\n');
  });

  it('cd changes to a directory, relative or /workspace-absolute, and home with no argument', () => {
    expect(call(tree(), ['cd', 'sub'])).toEqual({ code: 0, stdout: '', stderr: '', cwd: 'sub' });
    expect(call(tree(), ['cd', 'deeper'], { cwd: 'sub' }).cwd).toBe('sub/deeper');
    expect(call(tree(), ['cd', '..'], { cwd: 'sub/deeper' }).cwd).toBe('sub');
    expect(call(tree(), ['cd', '/workspace/sub/deeper/../.']).cwd).toBe('sub');
    expect(call(tree(), ['cd'], { cwd: 'sub' }).cwd).toBe('');
  });

  it('cd reports what is wrong and keeps the cwd', () => {
    expect(call(tree(), ['cd', 'nope'], { cwd: 'sub' })).toEqual({ code: 1, stdout: '', stderr: 'cd: nope: No such file or directory\n', cwd: 'sub' });
    expect(call(tree(), ['cd', 'f.txt']).stderr).toBe('cd: f.txt: Not a directory\n');
    expect(call(tree(), ['cd', '..']).stderr).toBe('cd: ..: outside the workspace\n');
    expect(call(tree(), ['cd', '/']).stderr).toBe('cd: /: outside the workspace\n');
    expect(call(tree(), ['cd', 'a', 'b'])).toMatchObject({ code: 1, stderr: 'cd: too many arguments\n' });
  });
});

describe('mkdir', () => {
  it('makes directories', () => {
    const t = new FileTree();
    expect(call(t, ['mkdir', 'a', 'b'])).toEqual({ code: 0, stdout: '', stderr: '', cwd: '' });
    expect(call(t, ['mkdir', 'c'], { cwd: 'a' }).code).toBe(0);
    expect(contents(t).dirs).toEqual(['a', 'a/c', 'b']);
  });

  it('refuses an existing path and a missing parent without -p', () => {
    const t = treeWith({ 'f.txt': '' }, ['a']);
    expect(call(t, ['mkdir', 'a'])).toMatchObject({ code: 1, stderr: "mkdir: cannot create directory 'a': File exists\n" });
    expect(call(t, ['mkdir', 'f.txt']).stderr).toBe("mkdir: cannot create directory 'f.txt': File exists\n");
    expect(call(t, ['mkdir', 'x/y']).stderr).toBe("mkdir: cannot create directory 'x/y': No such file or directory\n");
    expect(t.exists('x')).toBe(false);
  });

  it('-p makes parents and accepts existing directories', () => {
    const t = treeWith({}, ['a']);
    expect(call(t, ['mkdir', '-p', 'a', 'x/y/z']).code).toBe(0);
    expect(contents(t).dirs).toEqual(['a', 'x', 'x/y', 'x/y/z']);
  });

  it('-p still refuses to go through a file', () => {
    const t = treeWith({ 'f.txt': 'keep' });
    expect(call(t, ['mkdir', '-p', 'f.txt/sub']).stderr).toBe("mkdir: cannot create directory 'f.txt/sub': Not a directory\n");
    expect(contents(t)).toEqual({ files: { 'f.txt': 'keep' }, dirs: [] });
  });

  it('reports a missing operand, a path outside and a bad option', () => {
    const t = new FileTree();
    expect(call(t, ['mkdir'])).toMatchObject({ code: 1, stderr: 'mkdir: missing operand\n' });
    expect(call(t, ['mkdir', '../x']).stderr).toBe("mkdir: cannot create directory '../x': outside the workspace\n");
    expect(call(t, ['mkdir', '-q', 'x']).stderr).toBe("mkdir: invalid option -- 'q'\n");
  });
});

describe('rm', () => {
  const tree = (): FileTree => treeWith({ 'f.txt': '', 'd/a.txt': '', 'd/e/b.txt': '', 'keep.txt': '' });

  it('removes files', () => {
    const t = tree();
    expect(call(t, ['rm', 'f.txt'])).toEqual({ code: 0, stdout: '', stderr: '', cwd: '' });
    expect(t.exists('f.txt')).toBe(false);
  });

  it('refuses a directory without -r, removes it with -r (or -R, -rf)', () => {
    const t = tree();
    expect(call(t, ['rm', 'd'])).toMatchObject({ code: 1, stderr: "rm: cannot remove 'd': Is a directory\n" });
    expect(call(t, ['rm', '-r', 'd/e']).code).toBe(0);
    expect(call(t, ['rm', '-rf', 'd']).code).toBe(0);
    expect(contents(t)).toEqual({ files: { 'f.txt': '', 'keep.txt': '' }, dirs: [] });
  });

  it('reports a missing path unless -f, and keeps going', () => {
    const t = tree();
    expect(call(t, ['rm', 'nope', 'f.txt'])).toMatchObject({ code: 1, stderr: "rm: cannot remove 'nope': No such file or directory\n" });
    expect(t.exists('f.txt')).toBe(false);
    expect(call(t, ['rm', '-f', 'nope'])).toMatchObject({ code: 0, stderr: '' });
  });

  it('never removes the workspace root or anything outside it', () => {
    const t = tree();
    expect(call(t, ['rm', '-rf', '.']).stderr).toBe("rm: refusing to remove the workspace root: skipping '.'\n");
    expect(call(t, ['rm', '-rf', '/workspace']).code).toBe(1);
    expect(call(t, ['rm', '-rf', '..']).stderr).toBe("rm: cannot remove '..': outside the workspace\n");
    expect(call(t, ['rm', '-rf', '/etc/passwd']).stderr).toBe("rm: cannot remove '/etc/passwd': outside the workspace\n");
    expect(t.exists('keep.txt')).toBe(true);
  });

  it('reports a missing operand (silent with -f) and a bad option', () => {
    const t = tree();
    expect(call(t, ['rm'])).toMatchObject({ code: 1, stderr: 'rm: missing operand\n' });
    expect(call(t, ['rm', '-f'])).toMatchObject({ code: 0, stderr: '' });
    expect(call(t, ['rm', '--no-preserve-root', 'x']).stderr).toBe("rm: unrecognized option '--no-preserve-root'\n");
  });
});

describe('mv', () => {
  const tree = (): FileTree => treeWith({ 'a.txt': 'A', 'b.txt': 'B', 'd/in.txt': 'I', 'full/d/x': 'X' }, ['empty']);

  it('renames a file, overwriting an existing one', () => {
    const t = tree();
    expect(call(t, ['mv', 'a.txt', 'c.txt'])).toEqual({ code: 0, stdout: '', stderr: '', cwd: '' });
    expect(call(t, ['mv', 'c.txt', 'b.txt']).code).toBe(0);
    expect(contents(t).files).toEqual({ 'b.txt': 'A', 'd/in.txt': 'I', 'full/d/x': 'X' });
  });

  it('moves into a directory, one or several sources', () => {
    const t = tree();
    expect(call(t, ['mv', 'a.txt', 'empty']).code).toBe(0);
    expect(call(t, ['mv', 'b.txt', 'empty/a.txt', 'd/']).code).toBe(0);
    expect(contents(t).files).toEqual({ 'd/a.txt': 'A', 'd/b.txt': 'B', 'd/in.txt': 'I', 'full/d/x': 'X' });
  });

  it('renames and moves directories, replacing an empty one', () => {
    const t = tree();
    expect(call(t, ['mv', 'd', 'e']).code).toBe(0);
    expect(call(t, ['mv', 'e', 'empty']).code).toBe(0);
    expect(contents(t).files['empty/e/in.txt']).toBe('I');
    const u = treeWith({ 'd/in.txt': 'I' }, ['w/d']);
    expect(call(u, ['mv', 'd', 'w']).code).toBe(0);
    expect(contents(u)).toEqual({ files: { 'w/d/in.txt': 'I' }, dirs: ['w', 'w/d'] });
  });

  it('gives coreutils messages for what it refuses', () => {
    const t = tree();
    const before = contents(t);
    const cases: [string[], string][] = [
      [['mv', 'nope', 'x'], "mv: cannot stat 'nope': No such file or directory\n"],
      [['mv', 'a.txt', 'a.txt'], "mv: 'a.txt' and 'a.txt' are the same file\n"],
      [['mv', 'd', 'd/sub'], "mv: cannot move 'd' to a subdirectory of itself, 'd/sub'\n"],
      [['mv', 'd', 'a.txt'], "mv: cannot overwrite non-directory 'a.txt' with directory 'd'\n"],
      [['mv', 'd', 'full'], "mv: cannot move 'd' to 'full/d': Directory not empty\n"],
      [['mv', 'a.txt', 'b.txt', 'c.txt'], "mv: target 'c.txt' is not a directory\n"],
      [['mv', 'a.txt', 'no/where.txt'], "mv: cannot move 'a.txt' to 'no/where.txt': No such file or directory\n"],
      [['mv', 'a.txt', 'b.txt/x'], "mv: cannot move 'a.txt' to 'b.txt/x': Not a directory\n"],
      [['mv', 'a.txt', '../x'], "mv: target '../x': outside the workspace\n"],
      [['mv', '/etc/passwd', 'x'], "mv: cannot stat '/etc/passwd': outside the workspace\n"],
      [['mv', '.', 'x'], "mv: cannot move the workspace root '.'\n"],
      [['mv', 'a.txt'], "mv: missing destination file operand after 'a.txt'\n"],
      [['mv'], 'mv: missing file operand\n'],
    ];
    for (const [line, message] of cases) expect(call(t, line), line.join(' ')).toEqual({ code: 1, stdout: '', stderr: message, cwd: '' });
    expect(contents(t)).toEqual(before);
  });

  it('refuses to put a file where a directory is', () => {
    const t = treeWith({ 'x': 'file', 'dir/x/keep': '' });
    expect(call(t, ['mv', 'x', 'dir']).stderr).toBe("mv: cannot overwrite directory 'dir/x' with non-directory\n");
  });
});

describe('cp', () => {
  const tree = (): FileTree => treeWith({ 'a.txt': 'A', 'd/in.txt': 'I', 'd/e/deep.txt': 'D' }, ['empty']);

  it('copies a file, to a new name or into a directory', () => {
    const t = tree();
    expect(call(t, ['cp', 'a.txt', 'b.txt'])).toEqual({ code: 0, stdout: '', stderr: '', cwd: '' });
    expect(call(t, ['cp', 'a.txt', 'b.txt', 'empty']).code).toBe(0);
    expect(contents(t).files).toMatchObject({ 'a.txt': 'A', 'b.txt': 'A', 'empty/a.txt': 'A', 'empty/b.txt': 'A' });
  });

  it('needs -r for a directory', () => {
    const t = tree();
    expect(call(t, ['cp', 'd', 'x'])).toMatchObject({ code: 1, stderr: "cp: -r not specified; omitting directory 'd'\n" });
    expect(t.exists('x')).toBe(false);
  });

  it('-r copies a tree to a new name, or into an existing directory', () => {
    const t = tree();
    expect(call(t, ['cp', '-r', 'd', 'copy']).code).toBe(0);
    expect(call(t, ['cp', '-R', 'd', 'empty']).code).toBe(0);
    const { files, dirs } = contents(t);
    expect(files).toMatchObject({ 'copy/in.txt': 'I', 'copy/e/deep.txt': 'D', 'empty/d/in.txt': 'I', 'empty/d/e/deep.txt': 'D', 'd/in.txt': 'I' });
    expect(dirs).toEqual(expect.arrayContaining(['copy', 'copy/e', 'empty/d', 'empty/d/e']));
  });

  it('copies an empty directory too', () => {
    const t = treeWith({}, ['e/inner']);
    expect(call(t, ['cp', '-r', 'e', 'f']).code).toBe(0);
    expect(contents(t).dirs).toEqual(['e', 'e/inner', 'f', 'f/inner']);
  });

  it('gives coreutils messages for what it refuses', () => {
    const t = tree();
    const before = contents(t);
    const cases: [string[], string][] = [
      [['cp', 'nope', 'x'], "cp: cannot stat 'nope': No such file or directory\n"],
      [['cp', 'a.txt', 'a.txt'], "cp: 'a.txt' and 'a.txt' are the same file\n"],
      [['cp', '-r', 'd', 'd/e'], "cp: cannot copy a directory, 'd', into itself, 'd/e/d'\n"],
      [['cp', '-r', 'd', 'a.txt'], "cp: cannot overwrite non-directory 'a.txt' with directory 'd'\n"],
      [['cp', 'a.txt', 'no/where'], "cp: cannot create regular file 'no/where': No such file or directory\n"],
      [['cp', '-r', 'd', 'no/where'], "cp: cannot create directory 'no/where': No such file or directory\n"],
      [['cp', 'a.txt', '/tmp/x'], "cp: target '/tmp/x': outside the workspace\n"],
      [['cp', 'a.txt'], "cp: missing destination file operand after 'a.txt'\n"],
      [['cp', '-x', 'a', 'b'], "cp: invalid option -- 'x'\n"],
    ];
    for (const [line, message] of cases) expect(call(t, line), line.join(' ')).toEqual({ code: 1, stdout: '', stderr: message, cwd: '' });
    expect(contents(t)).toEqual(before);
  });

  it('does not let a copied tree turn a file into a directory', () => {
    const t = treeWith({ 'src/x/f': 'new', 'dst/src/x': 'file' });
    expect(call(t, ['cp', '-r', 'src', 'dst']).stderr).toBe("cp: cannot overwrite non-directory 'dst/src/x' with directory\n");
    expect(t.isFile('dst/src/x')).toBe(true);
    expect(t.isDir('dst/src/x')).toBe(false);
  });
});

describe('true, false, clear, help', () => {
  const t = new FileTree();

  it('true exits 0 and false exits 1, silently', () => {
    expect(call(t, ['true', 'ignored'])).toEqual({ code: 0, stdout: '', stderr: '', cwd: '' });
    expect(call(t, ['false'])).toEqual({ code: 1, stdout: '', stderr: '', cwd: '' });
  });

  it('clear prints the ANSI clear-screen sequence', () => {
    expect(call(t, ['clear']).stdout).toBe('\x1b[2J\x1b[H');
  });

  it('help lists every builtin and the languages', () => {
    const { code, stdout } = call(t, ['help']);
    expect(code).toBe(0);
    for (const name of BUILTINS.keys()) expect(stdout).toContain(name);
    for (const usage of ['python FILE', 'ruby FILE', 'cc FILE -o OUT.wasm', 'c++', './prog.wasm']) expect(stdout).toContain(usage);
  });
});

describe('builtin plumbing', () => {
  it('parseOptions takes combined flags anywhere and stops at --', () => {
    expect(parseOptions('rm', ['-rf', 'a', '-R', '--', '-b', '-'], 'rRf')).toEqual({
      ok: true,
      flags: new Set(['r', 'f', 'R']),
      operands: ['a', '-b', '-'],
    });
  });

  it('runBuiltin turns an unexpected throw into a message and exit 1', () => {
    const broken: Builtin = () => {
      throw new Error('bug');
    };
    let stderr = '';
    const code = runBuiltin('x', broken, [], {
      tree: new FileTree(),
      cwd: '',
      stdin: new Uint8Array(),
      stdout: () => {},
      stderr: (b) => void (stderr += decode(b)),
      chdir: () => {},
      ...shellState(),
    });
    expect({ code, stderr }).toEqual({ code: 1, stderr: 'x: bug\n' });
  });

  it('has a builtin for every builtin COMMANDS lists (but env and exit), and no other', () => {
    // env and exit are run by the interpreter itself: env may start a program, exit ends the line.
    const listed = COMMANDS.filter((command) => command.kind === 'builtin' && command.name !== 'env' && command.name !== 'exit').map((command) => command.name);
    expect([...BUILTINS.keys()].sort()).toEqual(listed.sort());
    expect(COMMAND_NAMES).toEqual(expect.arrayContaining(['env', 'python', 'cc', 'c++', 'ruby']));
  });

  it('help lists every command with its description', () => {
    const text = call(new FileTree(), ['help']).stdout;
    for (const command of COMMANDS) expect(text).toContain(`${command.usage}`);
    expect(text).toMatch(/head \[-n N\] \[FILE\.\.\.\] +first N lines/);
  });
});

describe('help', () => {
  it('fits an 80-column terminal', () => {
    const lines = call(new FileTree(), ['help']).stdout.split('\n');
    expect(lines.filter((line) => line.length > 80)).toEqual([]);
  });
});

describe('seq', () => {
  it('refuses a sequence too long to hold, with a message, instead of cutting it short', () => {
    expect(call(new FileTree(), ['seq', '2000000'])).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('more than this shell makes at once') });
    expect(call(new FileTree(), ['seq', '1000000']).stdout.endsWith('\n999999\n1000000\n')).toBe(true);
  });
});
