/** Text for the model and for chat records: cutting long output with a note, dropping ANSI codes. */

/** Bytes of each output stream (and of a read file) the model sees per tool call. */
export const MODEL_OUTPUT_LIMIT = 8 * 1024;
/** Bytes of each stream kept in a stored tool-call record (chat history, persistence). */
export const RECORD_OUTPUT_LIMIT = 64 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 byte length of a string. */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/**
 * Keeps at most about `limit` UTF-8 bytes of `text`: the head and the tail (the end of program
 * output is where errors usually are), with `[… N bytes cut]` in between.
 */
export function cutText(text: string, limit: number): string {
  // Fast path: a string of n UTF-16 units has at most 3n UTF-8 bytes.
  if (text.length * 3 <= limit) return text;
  const bytes = encoder.encode(text);
  if (bytes.length <= limit) return text;
  const headBytes = Math.floor(limit * 0.75);
  const tailBytes = limit - headBytes;
  // A cut can split a multi-byte character; drop the replacement characters that leaves.
  const head = decoder.decode(bytes.subarray(0, headBytes)).replace(/\uFFFD+$/, '');
  const tail = decoder.decode(bytes.subarray(bytes.length - tailBytes)).replace(/^\uFFFD+/, '');
  const cut = bytes.length - byteLength(head) - byteLength(tail);
  return `${head}\n[… ${cut} bytes cut]\n${tail}`;
}

// CSI sequences (colors, cursor moves) and OSC sequences (titles, links).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

/**
 * Removes ANSI escape sequences (Python 3.13's unittest colours its output, for example): the
 * terminal renders them, but to a model or in markdown they are noise.
 */
export function stripAnsi(text: string): string {
  return text.includes('\u001b') ? text.replace(ANSI, '') : text;
}
