import { describe, expect, it } from 'vitest';
import { complete, resolveDir, type CompletionContext, type CompletionEntry } from './completion.ts';

const tree: Record<string, CompletionEntry[]> = {
  '': [
    { name: 'main.py', kind: 'file' },
    { name: 'math utils.py', kind: 'file' },
    { name: 'src', kind: 'dir' },
    { name: '.hidden', kind: 'file' },
  ],
  src: [
    { name: 'game.py', kind: 'file' },
    { name: 'gamma.c', kind: 'file' },
  ],
};

const context = (cwd = ''): CompletionContext => ({
  cwd,
  commands: ['ls', 'cat', 'cd', 'python', 'python3', 'cp'],
  listDir: (path) => (tree[path] ? Promise.resolve(tree[path]) : Promise.reject(new Error('no such directory'))),
});

const at = (line: string, cwd = '') => complete(line, line.length, context(cwd));

describe('complete', () => {
  it('completes a unique command name with a space', async () => {
    expect(await at('ca')).toEqual({ line: 'cat ', cursor: 4, candidates: [] });
  });

  it('extends an ambiguous command to the common prefix, then lists the candidates', async () => {
    expect((await at('pyt')).line).toBe('python');
    expect(await at('python')).toEqual({ line: 'python', cursor: 6, candidates: ['python', 'python3'] });
    expect((await at('c')).candidates).toEqual(['cat', 'cd', 'cp']);
  });

  it('completes a file argument and a directory with its slash', async () => {
    expect((await at('python ma')).candidates).toEqual(['main.py', 'math utils.py']);
    expect((await at('python mai')).line).toBe('python main.py ');
    expect((await at('cat s')).line).toBe('cat src/');
    expect((await at('cat src/gam')).line).toBe('cat src/gam');
    expect((await at('cat src/game')).line).toBe('cat src/game.py ');
  });

  it('escapes spaces in completed names', async () => {
    expect((await at('cat math')).line).toBe('cat math\\ utils.py ');
  });

  it('completes relative to the working directory and after an operator', async () => {
    expect((await at('cat g', 'src')).line).toBe('cat gam');
    expect((await at('cat gam', 'src')).candidates).toEqual(['game.py', 'gamma.c']);
    expect((await at('ls && pyt')).line).toBe('ls && python');
    expect((await at('cat ../ma', 'src')).candidates).toEqual(['main.py', 'math utils.py']);
  });

  it('completes a path in command position when it has a slash', async () => {
    expect((await at('./sr')).line).toBe('./src/');
  });

  it('shows dotfiles only when asked for', async () => {
    expect((await at('cat .h')).line).toBe('cat .hidden ');
  });

  it('completes in the middle of a line, keeping what follows', async () => {
    expect(await complete('ca main.py', 2, context())).toEqual({ line: 'cat  main.py', cursor: 4, candidates: [] });
  });

  it('leaves the line alone when nothing matches or the folder is missing', async () => {
    expect(await at('zz')).toEqual({ line: 'zz', cursor: 2, candidates: [] });
    expect(await at('cat nope/x')).toEqual({ line: 'cat nope/x', cursor: 10, candidates: [] });
    expect(await at('cat /etc/pa')).toEqual({ line: 'cat /etc/pa', cursor: 11, candidates: [] });
  });
});

describe('resolveDir', () => {
  it('resolves relative, absolute and parent paths inside the workspace only', () => {
    expect(resolveDir('a/b', '../c/')).toBe('a/c');
    expect(resolveDir('a', '/workspace/x/')).toBe('x');
    expect(resolveDir('', '../')).toBeUndefined();
    expect(resolveDir('', '/tmp/')).toBeUndefined();
  });
});
