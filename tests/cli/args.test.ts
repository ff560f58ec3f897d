import { describe, expect, it } from 'vitest';
import { ALLOW_ALL_NET, parseCommandLine, UsageError, type Command } from '../../src/node/args.ts';

const parse = (...argv: string[]): Command => parseCommandLine(argv, '/home/me/project');
const usage = (...argv: string[]): string => {
  try {
    parse(...argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
};

describe('isobox command line', () => {
  it('gives the program everything after FILE, options included', () => {
    expect(parse('run', '--json', 'main.py', '--json', '-w', 'x')).toMatchObject({
      kind: 'run',
      file: 'main.py',
      args: ['--json', '-w', 'x'],
      options: { json: true, workspace: '/home/me/project', timeoutMs: 30_000, allowNet: [], audit: false },
    });
    expect(parse('--json', 'run', 'main.py')).toMatchObject({ kind: 'run', options: { json: true } });
    expect(parse('run', '--', '-odd.py', 'a')).toMatchObject({ file: '-odd.py', args: ['a'] });
  });

  it('resolves --workspace against the working directory and parses --timeout in seconds', () => {
    expect(parse('run', '-w', '../ws', '--timeout', '1.5', 'a.py')).toMatchObject({ options: { workspace: '/home/me/ws', timeoutMs: 1500 } });
    expect(parse('exec', '--workspace=/abs', '-t', '2', 'ls')).toMatchObject({ options: { workspace: '/abs', timeoutMs: 2000 } });
  });

  it('takes --lang with aliases', () => {
    expect(parse('run', '--lang', 'py', 'script')).toMatchObject({ language: 'python' });
    expect(parse('run', '-l', 'c++', 'x')).toMatchObject({ language: 'cpp' });
    expect(usage('run', '--lang', 'zig', 'x')).toMatch(/unknown language "zig"/);
  });

  it('joins the words of an exec line and of an agent task', () => {
    expect(parse('exec', 'echo hi && ls')).toMatchObject({ kind: 'exec', line: 'echo hi && ls' });
    expect(parse('exec', 'ls', '-l')).toMatchObject({ line: 'ls -l' });
    expect(parse('agent', '--provider', 'demo', 'write', 'fizzbuzz')).toMatchObject({ kind: 'agent', task: 'write fizzbuzz', provider: 'demo' });
  });

  it('reads --allow-net alone as any origin and --allow-net=... as a list of origins', () => {
    expect(parse('run', '--allow-net', 'a.py')).toMatchObject({ options: { allowNet: [ALLOW_ALL_NET] } });
    expect(parse('run', '--allow-net=https://a.example/path,http://b.example:8080', 'a.py')).toMatchObject({
      options: { allowNet: ['https://a.example', 'http://b.example:8080'] },
    });
    expect(usage('run', '--allow-net=a.example', 'a.py')).toMatch(/not an origin/);
  });

  it('answers help and version anywhere before the operand', () => {
    expect(parse('--help')).toEqual({ kind: 'help' });
    expect(parse('run', '-h')).toEqual({ kind: 'help' });
    expect(parse('help')).toEqual({ kind: 'help' });
    expect(parse('--version')).toEqual({ kind: 'version' });
  });

  it('explains usage mistakes', () => {
    expect(usage()).toMatch(/no command given/);
    expect(usage('frob')).toMatch(/unknown command "frob"/);
    expect(usage('run')).toMatch(/needs a FILE/);
    expect(usage('exec', '  ')).toMatch(/needs a shell line/);
    expect(usage('agent')).toMatch(/needs a task/);
    expect(usage('mcp', 'extra')).toMatch(/takes no arguments/);
    expect(usage('--frob', 'run', 'a.py')).toBe('unknown option --frob; see `isobox --help`');
    expect(usage('run', '--timeout')).toBe('--timeout needs a value');
    for (const bad of ['0', '-1', 'abc', '1e3', '99999999']) expect(usage('run', `--timeout=${bad}`, 'a.py')).toMatch(/--timeout takes a number of seconds/);
    expect(usage('run', '--timeout', '-1', 'a.py')).toMatch(/--timeout needs a value/);
    expect(usage('run', '--json=yes', 'a.py')).toBe('--json takes no value');
    expect(usage('mcp', '--json')).toBe('--json is not an option of `isobox mcp`');
    expect(usage('exec', '--lang', 'python', 'ls')).toBe('--lang is not an option of `isobox exec`');
    expect(usage('agent', '--max-steps', '0', 'task')).toMatch(/--max-steps takes a whole number/);
  });
});
