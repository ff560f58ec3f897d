import { describe, expect, it } from 'vitest';
import { LineEditor } from './line-editor.ts';

function typed(keys: string[]): LineEditor {
  const editor = new LineEditor();
  for (const key of keys) editor.key(key);
  return editor;
}

describe('LineEditor', () => {
  it('inserts at the cursor after Left, Home and End', () => {
    const editor = typed(['a', 'c', '\x1b[D', 'b', '\x1b[H', '>', '\x1b[F', '!']);
    expect(editor.text).toBe('>abc!');
    expect(editor.cursor).toBe(5);
  });

  it('Backspace and Delete remove whole characters around the cursor', () => {
    const editor = typed(['x', '日', '😀', 'y', '\x1b[D', '\x1b[D', '\x7f', '\x1b[3~']);
    expect(editor.text).toBe('xy');
    expect(editor.cursor).toBe(1);
  });

  it('Enter submits the line and empties the editor', () => {
    const editor = typed(['l', 's']);
    expect(editor.key('\r')).toEqual({ kind: 'submit', line: 'ls' });
    expect(editor.text).toBe('');
  });

  it('Up and Down walk the history and come back to the line being typed', () => {
    const editor = new LineEditor();
    editor.setHistory(['first', 'second']);
    editor.key('d');
    editor.key('\x1b[A');
    expect(editor.text).toBe('second');
    editor.key('\x1b[A');
    expect(editor.text).toBe('first');
    expect(editor.key('\x1b[A')).toEqual({ kind: 'none' });
    editor.key('\x1b[B');
    editor.key('\x1b[B');
    expect(editor.text).toBe('d');
  });

  it('reports Ctrl-C, Ctrl-L and Tab to its caller', () => {
    const editor = new LineEditor();
    expect(editor.key('\x03')).toEqual({ kind: 'cancel' });
    expect(editor.key('\x0c')).toEqual({ kind: 'clear' });
    expect(editor.key('\t')).toEqual({ kind: 'complete' });
  });

  it('Ctrl-U, Ctrl-K and Ctrl-W kill text', () => {
    const editor = typed([...'one two three']);
    editor.key('\x17');
    expect(editor.text).toBe('one two ');
    editor.key('\x1b[H');
    editor.key('\x1b[C');
    editor.key('\x0b');
    expect(editor.text).toBe('o');
    editor.key('\x15');
    expect(editor.text).toBe('');
  });

  it('word moves jump over words', () => {
    const editor = typed([...'ab cd ef', '\x1b[1;5D']);
    expect(editor.cursor).toBe(6);
    editor.key('\x1b[1;5D');
    expect(editor.cursor).toBe(3);
    editor.key('\x1b[1;5C');
    expect(editor.cursor).toBe(5);
  });

  it('draws the prompt and line and puts the cursor back where it is', () => {
    const editor = typed(['a', 'b', 'c', '\x1b[D']);
    expect(editor.draw('$ ', 80, 0)).toEqual({ data: '\r\x1b[J$ abc\r\x1b[4C', cursorRow: 0 });
  });

  it('draws a line wrapped over several rows, going back up to the first', () => {
    const editor = typed([...'0123456789', '\x1b[H']);
    // prompt (2) + 10 cells over 4 columns: rows of 4, 4, 4; the cursor is on row 0, column 2.
    const drawn = editor.draw('$ ', 4, 0);
    expect(drawn).toEqual({ data: '\r\x1b[J$ 0123456789 \b\x1b[3A\r\x1b[2C', cursorRow: 0 });
    editor.key('\x1b[F');
    expect(editor.draw('$ ', 4, 0).cursorRow).toBe(3);
    expect(editor.draw('$ ', 4, 3).data.startsWith('\x1b[3A\r\x1b[J')).toBe(true);
  });

  it('measures a coloured prompt by its visible text', () => {
    const editor = new LineEditor();
    expect(editor.draw('\x1b[34m/w\x1b[0m $ ', 80, 0).data).toBe('\r\x1b[J\x1b[34m/w\x1b[0m $ \r\x1b[5C');
  });
});
