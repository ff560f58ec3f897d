/**
 * Keyboard input as xterm delivers it (`onData` strings): split into keys, and text measured in
 * terminal cells. Pure; shared by the shell prompt's line editor and the program line discipline.
 */

/** Enter as the terminal sends it (xterm turns pasted newlines into CR too). */
export const ENTER = '\r';

/**
 * Splits terminal input into keys: one escape sequence (`ESC [ 1 ; 5 D`, `ESC O H`, `ESC x`), one
 * CR LF pair, or one code point (a surrogate pair stays whole). A lone high surrogate at the end is
 * returned as `rest` so a caller can wait for its other half instead of splitting a character.
 */
export function splitKeys(data: string): { keys: string[]; rest: string } {
  const keys: string[] = [];
  let i = 0;
  while (i < data.length) {
    const char = data[i] as string;
    if (char === '\x1b') {
      const length = escapeLength(data, i);
      keys.push(data.slice(i, i + length));
      i += length;
      continue;
    }
    if (char === '\r' && data[i + 1] === '\n') {
      keys.push(ENTER);
      i += 2;
      continue;
    }
    const code = data.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      if (i + 1 >= data.length) return { keys, rest: char };
      const low = data.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        keys.push(data.slice(i, i + 2));
        i += 2;
        continue;
      }
    }
    keys.push(char);
    i += 1;
  }
  return { keys, rest: '' };
}

/** Length of the escape sequence starting at `start` (CSI and SS3 forms; else ESC plus one char). */
function escapeLength(data: string, start: number): number {
  const kind = data[start + 1];
  if (kind === '[') {
    // CSI: parameters and intermediates (0x20-0x3f), then one final byte (0x40-0x7e).
    let i = start + 2;
    while (i < data.length && data.charCodeAt(i) >= 0x20 && data.charCodeAt(i) <= 0x3f) i++;
    return Math.min(data.length, i + 1) - start;
  }
  if (kind === 'O') return Math.min(3, data.length - start);
  return kind === undefined ? 1 : 2;
}

/** Keys that carry no text: control characters and escape sequences (Tab is text). */
export function isControlKey(key: string): boolean {
  const code = key.charCodeAt(0);
  return key.startsWith('\x1b') || code === 0x7f || (code < 0x20 && key !== '\t');
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The user-perceived characters of `text` (a flag, an accented letter, a ZWJ emoji stay whole). */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Cells one grapheme takes in the terminal: 2 for wide East Asian and emoji, 0 for none. */
export function graphemeWidth(grapheme: string): number {
  const code = grapheme.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return 0;
  if (code >= 0x300 && code <= 0x36f) return 0;
  if (isWide(code) || /\p{Extended_Pictographic}/u.test(grapheme)) return 2;
  return 1;
}

/** Cells `text` takes in the terminal. */
export function textWidth(text: string): number {
  // Fast path: printable ASCII is one cell a character.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  return graphemes(text).reduce((sum, g) => sum + graphemeWidth(g), 0);
}

/** East Asian Wide and Fullwidth blocks (the ranges Unicode 11 terminals draw two cells wide). */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}
