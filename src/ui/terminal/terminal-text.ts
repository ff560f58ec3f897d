/**
 * The terminal's text as a script reads it (`window.isobox.terminalText()`): every row of the
 * buffer, scrollback included, soft-wrapped rows joined into their logical line, trailing spaces
 * trimmed. A line a program rewrote with `\r` reads as it ends, because the buffer holds only that.
 */

/** The part of xterm's `IBuffer` this reads (so it is tested without a page). */
export interface TextBuffer {
  readonly length: number;
  getLine(y: number): { readonly isWrapped: boolean; translateToString(trimRight?: boolean): string } | undefined;
}

/** The buffer's plain text, one logical line per line, without the empty rows below the last text. */
export function bufferText(buffer: TextBuffer): string {
  const lines: string[] = [];
  for (let y = 0; y < buffer.length; y++) {
    const row = buffer.getLine(y);
    if (!row) continue;
    // A row that continues on the next one keeps its trailing spaces: they are inside the line.
    const continues = buffer.getLine(y + 1)?.isWrapped ?? false;
    const text = row.translateToString(!continues);
    if (row.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => line.trimEnd()).join('\n');
}
