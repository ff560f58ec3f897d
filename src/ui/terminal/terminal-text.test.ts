import { describe, expect, it } from 'vitest';
import { bufferText, type TextBuffer } from './terminal-text.ts';

/** A buffer of fixed-width rows; `wrapped` marks rows that continue the row above. */
function buffer(rows: { text: string; wrapped?: boolean }[], width = 10): TextBuffer {
  return {
    length: rows.length,
    getLine: (y) => {
      const row = rows[y];
      if (!row) return undefined;
      const padded = row.text.padEnd(width, ' ');
      return { isWrapped: row.wrapped ?? false, translateToString: (trim) => (trim ? padded.trimEnd() : padded) };
    },
  };
}

describe('bufferText', () => {
  it('joins soft-wrapped rows into one line, keeping spaces at the wrap point', () => {
    const text = bufferText(buffer([{ text: 'hello worl' }, { text: 'd  and    ', wrapped: true }, { text: 'more', wrapped: true }, { text: 'next' }]));
    expect(text).toBe('hello world  and    more\nnext');
  });

  it('trims trailing spaces and drops empty rows below the text', () => {
    expect(bufferText(buffer([{ text: 'a   ' }, { text: '' }, { text: 'b' }, { text: '' }, { text: '' }]))).toBe('a\n\nb');
  });

  it('is empty for an empty buffer', () => {
    expect(bufferText(buffer([{ text: '' }, { text: '' }]))).toBe('');
  });
});
