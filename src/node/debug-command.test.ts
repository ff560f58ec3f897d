import { describe, expect, it } from 'vitest';
import { UsageError } from './args.ts';
import { isDebugCommand, parseDebugCommand } from './debug-command.ts';

describe('isobox debug command line', () => {
  it('is recognised with options before or after FILE', () => {
    expect(isDebugCommand(['debug', 'main.py', '--break', '3'])).toBe(true);
    expect(isDebugCommand(['-w', '/tmp/x', 'debug', 'main.py'])).toBe(true);
    expect(isDebugCommand(['run', 'debug.py'])).toBe(false);
    expect(isDebugCommand(['exec', 'debug'])).toBe(false);
  });

  it('takes several breakpoints, watches and --json', () => {
    const command = parseDebugCommand(['debug', 'app.py', '--break', '3', '-b', '7,9', '--watch', 'x', '--watch', 'len(items)', '--json'], '/work');
    expect(command).toMatchObject({ file: 'app.py', breakpoints: [3, 7, 9], watch: ['x', 'len(items)'], options: { json: true, workspace: '/work', timeoutMs: 30_000 } });
  });

  it.each([
    [['debug', 'app.py'], 'needs at least one --break LINE'],
    [['debug', '--break', '3'], 'needs a FILE'],
    [['debug', 'app.py', '--break', 'three'], '--break needs a whole number from 1 (got "three")'],
    [['debug', 'app.py', '--break', '0'], 'got "0"'],
    [['debug', 'app.py', '--break', '2', '--frobnicate'], "Unknown option '--frobnicate'"],
    [['debug', 'app.py', 'other.py', '--break', '2'], 'takes one FILE'],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parseDebugCommand(argv)).toThrow(UsageError);
    expect(() => parseDebugCommand(argv)).toThrow(message);
  });
});
