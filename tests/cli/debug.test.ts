import { afterAll, describe, expect, it } from 'vitest';
import { isobox, removeAll, tempDir } from './helpers.ts';

const AVERAGE = ['def average(values):', '    total = 0', '    for i in range(1, len(values)):', '        total += values[i]', '    return total / len(values)', '', 'print(average([4, 8, 6]))', 'print(average([]))', ''].join('\n');

// `isobox debug` end to end: the real bin, a real directory, Pyodide in a worker.
describe('isobox debug', { timeout: 180_000 }, () => {
  const dirs: string[] = [];
  afterAll(() => removeAll(dirs));

  it('prints each breakpoint hit with its stack and watched values, then the uncaught exception', async () => {
    const ws = await tempDir({ 'avg.py': AVERAGE });
    dirs.push(ws);
    const text = await isobox(['debug', 'avg.py', '--break', '4', '--watch', 'i', '--watch', 'total', '-w', ws]);
    expect(text.stdout).toBe(
      [
        '4.666666666666667',
        'stop 1 at avg.py:4 [average:4 < <module>:7]: i = 1, total = 0',
        'stop 2 at avg.py:4 [average:4 < <module>:7]: i = 2, total = 8',
        'uncaught ZeroDivisionError: division by zero at avg.py:5 [average:5 < <module>:8]: values = [], total = 0',
        '',
      ].join('\n'),
    );
    expect(text.stderr).toContain('ZeroDivisionError');
    expect(text.code).toBe(1);

    const json = await isobox(['--workspace', ws, 'debug', 'avg.py', '-b', '4', '--json', '--max-hits', '1']);
    expect(JSON.parse(json.stdout)).toEqual({
      status: 'error',
      exitCode: 1,
      stops: [{ file: 'avg.py', line: 4, stack: ['average:4', '<module>:7'], watches: {} }],
      stopsCapped: true,
      exception: { file: 'avg.py', line: 5, stack: ['average:5', '<module>:8'], exception: 'ZeroDivisionError: division by zero', locals: { values: '[]', total: '0' } },
    });
    expect(json.stderr).toContain('4.666666666666667');

    const usage = await isobox(['debug', 'avg.py', '-w', ws]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('isobox: `isobox debug` needs at least one --break LINE\n');
    const notPython = await isobox(['debug', 'notes.txt', '--break', '1', '-w', ws]);
    expect(notPython.stderr).toBe('isobox: the debugger runs Python files (got notes.txt)\n');
  });
});
