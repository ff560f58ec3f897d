/**
 * Splits a Markdown message into top-level blocks (paragraphs, lists, tables, fenced code…) so a
 * streamed reply re-renders only its last block: every block before it is finished and memoized.
 *
 * Line based and deliberately small: it never needs to be a full Markdown parser, only to cut
 * where a cut cannot change the rendering. A blank line ends a block unless what follows
 * continues it (an indented line, the next item of a list, the next line of a quote); a fenced
 * code block is one block however many blank lines it holds. The last line, while it has no
 * newline yet, always stays in the current block, so the blocks before the last never change
 * when more text arrives (that is what makes {@link createBlockSplitter} incremental).
 */

/** One top-level block of a message. */
export interface Block {
  /** Offset of the block in the message: stable while the message streams, so usable as a key. */
  start: number;
  /** The block's Markdown source, blank lines after it included. */
  text: string;
  /** `fence`: a fenced code block at the top level (rendered without a Markdown parser). */
  kind: 'fence' | 'list' | 'quote' | 'other';
}

interface Fence {
  char: '`' | '~';
  length: number;
}

const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})(.*)$/;
const LIST_ITEM = /^\s{0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)/;

/** The fence a line opens, if it is a fence opener (a backtick fence's info has no backtick). */
export function fenceOpener(line: string): (Fence & { indent: number; info: string }) | undefined {
  const match = FENCE_OPEN.exec(line);
  if (!match) return undefined;
  const [, indent = '', marks = '', info = ''] = match;
  const char = marks[0] === '~' ? '~' : '`';
  if (char === '`' && info.includes('`')) return undefined;
  return { char, length: marks.length, indent: indent.length, info: info.trim() };
}

/** Whether `line` closes `fence`: the same character, at least as many, nothing after them. */
export function closesFence(line: string, fence: Fence): boolean {
  const trimmed = line.trim();
  return trimmed.length >= fence.length && trimmed === fence.char.repeat(trimmed.length);
}

function kindOf(line: string): Block['kind'] {
  const opener = fenceOpener(line);
  if (opener && opener.indent <= 3) return 'fence';
  if (LIST_ITEM.test(line)) return 'list';
  if (/^\s{0,3}>/.test(line)) return 'quote';
  return 'other';
}

/** Whether a line after a blank line still belongs to the block of `kind`. */
function continues(kind: Block['kind'], line: string): boolean {
  if (/^\s/.test(line)) return kind !== 'fence';
  if (kind === 'list') return LIST_ITEM.test(line);
  if (kind === 'quote') return line.startsWith('>');
  return false;
}

/** Whether a fence opener ends a block of `kind` without a blank line (it interrupts a paragraph). */
function interruptsWith(kind: Block['kind'], opener: ReturnType<typeof fenceOpener>): boolean {
  if (!opener) return false;
  // Inside a list an indented fence belongs to the item; at the margin it ends the list.
  return kind === 'list' ? opener.indent === 0 : opener.indent <= 3;
}

/**
 * Splits `text` (from `from`, which must be the start of a block) into blocks. `final`: the text
 * is complete, so its last line is a whole line even without a newline.
 */
export function splitBlocks(text: string, from = 0, final = false): Block[] {
  const blocks: Block[] = [];
  let start = from;
  let kind: Block['kind'] | undefined;
  let fence: Fence | undefined;
  /** A top-level fence block just closed: whatever comes next starts a new block. */
  let fenceClosed = false;
  let afterBlank = false;
  const cut = (at: number): void => {
    if (at > start && kind) blocks.push({ start, text: text.slice(start, at), kind });
    start = at;
    kind = undefined;
    fenceClosed = false;
  };
  let at = from;
  while (at < text.length) {
    let newline = text.indexOf('\n', at);
    if (newline < 0 && final) newline = text.length;
    // The unfinished last line decides nothing yet: it stays in the current block.
    if (newline < 0) {
      const rest = text.slice(at);
      if (fenceClosed && rest.trim() !== '') cut(at);
      if (!kind && rest.trim() !== '') {
        start = at;
        kind = kindOf(rest);
      }
      break;
    }
    const line = text.slice(at, newline);
    const lineStart = at;
    at = newline + 1;
    if (fence) {
      if (closesFence(line, fence)) {
        fence = undefined;
        fenceClosed = kind === 'fence';
      }
      continue;
    }
    if (line.trim() === '') {
      if (kind) afterBlank = true;
      continue;
    }
    const opener = fenceOpener(line);
    if (kind && (fenceClosed || (afterBlank ? !continues(kind, line) : interruptsWith(kind, opener)))) cut(lineStart);
    afterBlank = false;
    if (!kind) {
      start = lineStart;
      kind = kindOf(line);
    }
    if (opener) fence = opener;
  }
  if (kind) blocks.push({ start, text: text.slice(start), kind });
  return blocks;
}

/**
 * A splitter for one streamed message: when the new text extends the last one, only the last
 * block is split again, and unchanged blocks keep their identity (so `React.memo` skips them).
 */
export function createBlockSplitter(): (text: string, final?: boolean) => Block[] {
  let previous = '';
  let wasFinal = false;
  let blocks: Block[] = [];
  return (text, final = false) => {
    if (text === previous && final === wasFinal) return blocks;
    const last = blocks[blocks.length - 1];
    if (last && text.startsWith(previous)) {
      const tail = splitBlocks(text, last.start, final);
      blocks = [...blocks.slice(0, -1), ...tail.map((b, i) => (i === 0 && b.text === last.text && b.kind === last.kind ? last : b))];
    } else {
      blocks = splitBlocks(text, 0, final);
    }
    previous = text;
    wasFinal = final;
    return blocks;
  };
}
