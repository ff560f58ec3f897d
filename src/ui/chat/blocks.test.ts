import { describe, expect, it } from 'vitest';
import { createBlockSplitter, splitBlocks } from './blocks.ts';

const texts = (md: string): string[] => splitBlocks(md, 0, true).map((b) => b.text.trimEnd());

describe('splitBlocks', () => {
  it('cuts at blank lines between paragraphs, headings and tables', () => {
    const md = '# Title\n\nA paragraph\nover two lines.\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\nEnd.';
    expect(texts(md)).toEqual(['# Title', 'A paragraph\nover two lines.', '| a | b |\n| - | - |\n| 1 | 2 |', 'End.']);
  });

  it('keeps a fenced block whole, blank lines and Markdown-looking lines included', () => {
    const md = 'Code:\n\n```python\ndef f():\n\n    return 1\n\n# not a heading\n```\nAfter.';
    const blocks = splitBlocks(md, 0, true);
    expect(blocks.map((b) => b.kind)).toEqual(['other', 'fence', 'other']);
    expect(blocks[1]?.text).toBe('```python\ndef f():\n\n    return 1\n\n# not a heading\n```\n');
  });

  it('lets a fence interrupt a paragraph, and a longer fence hold a shorter one', () => {
    const md = 'Look:\n````md\n```\ninner\n```\n````\nafter';
    expect(texts(md)).toEqual(['Look:', '````md\n```\ninner\n```\n````', 'after']);
  });

  it('keeps a loose list, its indented paragraphs and nested fences in one block', () => {
    const md = '1. one\n\n   more about one\n\n2. two\n\n   ```sh\n   ls\n\n   ```\n\nNext paragraph.';
    const blocks = splitBlocks(md, 0, true);
    expect(blocks.map((b) => b.kind)).toEqual(['list', 'other']);
    expect(blocks[1]?.text).toBe('Next paragraph.');
  });

  it('keeps a quote with blank lines in one block', () => {
    expect(texts('> a\n\n> b\n\nc')).toEqual(['> a\n\n> b', 'c']);
  });

  it('treats an unclosed fence as running to the end (a streamed code block)', () => {
    const blocks = splitBlocks('Intro\n\n```python\nprint(1)\n\nprint(2)');
    expect(blocks.map((b) => b.kind)).toEqual(['other', 'fence']);
    expect(blocks[1]?.text).toBe('```python\nprint(1)\n\nprint(2)');
  });

  it('does not take a backtick line with backticks in its info for a fence', () => {
    expect(splitBlocks('```inline``` code\n\nnext', 0, true).map((b) => b.kind)).toEqual(['other', 'other']);
  });

  it('starts a new block after a closed fence even without a blank line, also mid-line', () => {
    expect(texts('```\na\n```\nb')).toEqual(['```\na\n```', 'b']);
  });

  it('has no blocks for blank text', () => {
    expect(splitBlocks('')).toEqual([]);
    expect(splitBlocks('\n\n  \n')).toEqual([]);
  });
});

describe('createBlockSplitter', () => {
  it('gives the same blocks as a whole split at every streamed prefix', () => {
    const md = '# Plan\n\n- a\n- b\n\n  still b\n\n```python main.py\nprint("x")\n\nprint("y")\n```\n| h |\n| - |\n| 1 |\n\n> q\n\n> r\n\nDone **now**.\n';
    const split = createBlockSplitter();
    for (let i = 0; i <= md.length; i++) {
      const prefix = md.slice(0, i);
      expect(split(prefix), `prefix ${i}`).toEqual(splitBlocks(prefix));
    }
    expect(split(md, true)).toEqual(splitBlocks(md, 0, true));
    expect(split(md.trimEnd(), true).map((b) => b.text.trimEnd())).toEqual(splitBlocks(md, 0, true).map((b) => b.text.trimEnd()));
  });

  it('keeps finished blocks identical (same object) as text streams in', () => {
    const split = createBlockSplitter();
    const first = split('Para one.\n\n```js\nx\n```\n\nPara t');
    const second = split('Para one.\n\n```js\nx\n```\n\nPara two is longer.');
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    expect(second[2]).not.toBe(first[2]);
    expect(second[2]?.text).toBe('Para two is longer.');
  });

  it('splits from scratch when the text is replaced rather than extended', () => {
    const split = createBlockSplitter();
    split('a\n\nb');
    expect(split('x\n\ny\n\nz', true).map((b) => b.text.trim())).toEqual(['x', 'y', 'z']);
  });
});
