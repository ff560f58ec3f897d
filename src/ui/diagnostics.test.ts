import { describe, expect, it } from 'vitest';
import { parseDiagnostics } from './diagnostics.ts';

describe('parseDiagnostics', () => {
  it('reads clang errors and warnings with file, line and column', () => {
    const stderr = 'main.c:2:10: error: use of undeclared identifier \'nope\'\n    2 |   return nope;\n      |          ^\n/workspace/lib/x.c:5:1: warning: unused\n1 error generated.\n';
    expect(parseDiagnostics(stderr)).toEqual([
      { path: 'main.c', line: 2, column: 10, severity: 'error', message: "use of undeclared identifier 'nope'" },
      { path: 'lib/x.c', line: 5, column: 1, severity: 'warning', message: 'unused' },
    ]);
  });

  it('points at the innermost workspace frame of a Python traceback', () => {
    const stderr = 'Traceback (most recent call last):\n  File "/workspace/main.py", line 3, in <module>\n    f()\n  File "/workspace/main.py", line 2, in f\n    raise ValueError("bad")\nValueError: bad\n';
    expect(parseDiagnostics(stderr)).toEqual([{ path: 'main.py', line: 2, column: 1, severity: 'error', message: 'ValueError: bad' }]);
  });

  it('points at the first frame of a Ruby backtrace', () => {
    const stderr = 'main.rb:4:in \'Object#boom\': nope (ArgumentError)\n\tfrom main.rb:7:in \'<main>\'\n';
    expect(parseDiagnostics(stderr)[0]).toMatchObject({ path: 'main.rb', line: 4 });
  });

  it('finds nothing in ordinary output', () => {
    expect(parseDiagnostics('all good\n')).toEqual([]);
  });
});
