import { describe, expect, it } from 'vitest';
import { previewCsv } from './csv.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('previewCsv', () => {
  it('parses quoted fields, doubled quotes, line breaks inside quotes and CRLF', () => {
    const csv = previewCsv(bytes('name,note\r\n"Smith, J","said ""hi"""\r\nx,"two\nlines"\r\n'));
    expect(csv.rows).toEqual([
      ['name', 'note'],
      ['Smith, J', 'said "hi"'],
      ['x', 'two\nlines'],
    ]);
  });

  it('keeps a last line without a line break', () => {
    expect(previewCsv(bytes('a,b\n1,2')).rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('parses only the first rows of a 10 MB file and counts its lines', () => {
    const line = 'id,name,value,comment-with-some-padding-text\n';
    const big = bytes(line.repeat(Math.ceil((10 * 1024 * 1024) / line.length)));
    const started = performance.now();
    const csv = previewCsv(big, 100);
    expect(performance.now() - started).toBeLessThan(500);
    expect(csv.rows).toHaveLength(100);
    expect(csv.totalLines).toBe(Math.ceil((10 * 1024 * 1024) / line.length));
    expect(csv.truncated).toBe(true);
  });
});
