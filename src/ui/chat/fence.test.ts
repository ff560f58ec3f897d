import { describe, expect, it } from 'vitest';
import { codeLanguage, freeSnippetName, namedFile, parseFence } from './fence.ts';

describe('parseFence', () => {
  it('reads the info string and the code of a closed fence', () => {
    expect(parseFence('```python main.py\nprint(1)\n\nprint(2)\n```\n\n')).toEqual({ info: 'python main.py', code: 'print(1)\n\nprint(2)', closed: true });
  });

  it('reads a fence still streaming, without a half-typed closing fence', () => {
    expect(parseFence('```py\nprint(1)\n``')).toEqual({ info: 'py', code: 'print(1)', closed: false });
    expect(parseFence('~~~\nx\n')).toEqual({ info: '', code: 'x', closed: false });
  });

  it('removes the opener’s indentation from the code lines', () => {
    expect(parseFence('  ```\n  a\n    b\n  ```').code).toBe('a\n  b');
  });
});

describe('codeLanguage', () => {
  it('maps aliases to one language with its Monaco id, extension and runner', () => {
    expect(codeLanguage('py')).toEqual({ label: 'python', monacoId: 'python', extension: 'py', run: { kind: 'program', language: 'python' } });
    expect(codeLanguage('C++').run).toEqual({ kind: 'program', language: 'cpp' });
    expect(codeLanguage('bash').run).toEqual({ kind: 'shell' });
    expect(codeLanguage('json').run).toBeUndefined();
  });

  it('keeps an unknown language as its label, with no highlighting or runner', () => {
    expect(codeLanguage('brainfuck')).toEqual({ label: 'brainfuck', extension: 'txt' });
    expect(codeLanguage('')).toEqual({ label: '', extension: 'txt' });
  });
});

describe('namedFile', () => {
  it('takes the name from the info string', () => {
    expect(namedFile('python main.py', 'print(1)')).toBe('main.py');
    expect(namedFile('c title="src/hello.c"', '')).toBe('src/hello.c');
  });

  it('takes the name from a first-line comment', () => {
    expect(namedFile('python', '# main.py\nprint(1)')).toBe('main.py');
    expect(namedFile('c', '// hello.c\nint main(){}')).toBe('hello.c');
    expect(namedFile('c', '/* file: hello.c */\n')).toBe('hello.c');
    expect(namedFile('python', '# filename: tools/x.py\n')).toBe('tools/x.py');
  });

  it('ignores comments that are not a file name, and unsafe paths', () => {
    expect(namedFile('python', '# compute the answer\nprint(42)')).toBeUndefined();
    expect(namedFile('python', '#!/usr/bin/env python3\n')).toBeUndefined();
    expect(namedFile('python ../../etc/passwd.py', '')).toBeUndefined();
    expect(namedFile('python /abs.py', '# ../x.py')).toBeUndefined();
  });
});

describe('freeSnippetName', () => {
  it('picks the next free snippet name', () => {
    expect(freeSnippetName('py', new Set())).toBe('snippet.py');
    expect(freeSnippetName('py', new Set(['snippet.py', 'snippet-2.py']))).toBe('snippet-3.py');
  });
});
