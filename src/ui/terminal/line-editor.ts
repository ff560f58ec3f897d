/**
 * The shell prompt's line editor (a small readline): the line, the cursor, history, and how to
 * draw them. Pure: keys in, an outcome out, escape sequences to write; no terminal is touched.
 */
import { ENTER, graphemes, isControlKey, textWidth } from './keys.ts';

/** What a key meant to the prompt. */
export type EditorOutcome =
  /** The line or cursor changed: redraw. */
  | { kind: 'redraw' }
  /** Nothing to do. */
  | { kind: 'none' }
  /** Enter: run this line. */
  | { kind: 'submit'; line: string }
  /** Ctrl-C: abandon the line. */
  | { kind: 'cancel' }
  /** Ctrl-L: clear the screen. */
  | { kind: 'clear' }
  /** Tab: complete the word at the cursor. */
  | { kind: 'complete' };

const KEYS: Record<string, string> = {
  '\x1b[D': 'left', '\x1bOD': 'left', '\x02': 'left',
  '\x1b[C': 'right', '\x1bOC': 'right', '\x06': 'right',
  '\x1b[1;5D': 'wordLeft', '\x1b[1;3D': 'wordLeft', '\x1bb': 'wordLeft',
  '\x1b[1;5C': 'wordRight', '\x1b[1;3C': 'wordRight', '\x1bf': 'wordRight',
  '\x1b[H': 'home', '\x1bOH': 'home', '\x1b[1~': 'home', '\x1b[7~': 'home', '\x01': 'home',
  '\x1b[F': 'end', '\x1bOF': 'end', '\x1b[4~': 'end', '\x1b[8~': 'end', '\x05': 'end',
  '\x1b[A': 'up', '\x1bOA': 'up', '\x10': 'up',
  '\x1b[B': 'down', '\x1bOB': 'down', '\x0e': 'down',
  '\x7f': 'backspace', '\b': 'backspace',
  '\x1b[3~': 'delete', '\x04': 'delete',
  '\x15': 'killBefore', '\x0b': 'killAfter', '\x17': 'killWord',
  [ENTER]: 'enter', '\n': 'enter',
  '\x03': 'cancel', '\x0c': 'clear', '\t': 'complete',
};

/** Colour escapes, which take no cells. */
// eslint-disable-next-line no-control-regex -- ESC is exactly what it matches
const SGR = /\x1b\[[0-9;]*m/g;

/** Where the cursor is after a draw, so the next draw can find the prompt's first row. */
export interface DrawnPrompt {
  data: string;
  /** The cursor's row, counted from the prompt's first row. */
  cursorRow: number;
}

/** Edits one shell line with a cursor; Up/Down walk the history, keeping the line being typed. */
export class LineEditor {
  text = '';
  /** Cursor position in UTF-16 units, always on a grapheme boundary. */
  cursor = 0;
  private history: readonly string[] = [];
  private historyIndex: number | undefined;
  private draft = '';

  /** The commands Up recalls, oldest first. */
  setHistory(history: readonly string[]): void {
    this.history = history;
    this.historyIndex = undefined;
  }

  /** Empties the line. */
  reset(): void {
    this.text = '';
    this.cursor = 0;
    this.historyIndex = undefined;
    this.draft = '';
  }

  /** Replaces the line (a completion, a recalled command), with the cursor at `cursor` or the end. */
  replace(text: string, cursor = text.length): void {
    this.text = text;
    this.cursor = Math.max(0, Math.min(text.length, cursor));
  }

  /** Handles one key (see `splitKeys`). */
  key(key: string): EditorOutcome {
    const action = KEYS[key];
    if (action === undefined) {
      if (isControlKey(key)) return { kind: 'none' };
      this.insert(key);
      return { kind: 'redraw' };
    }
    switch (action) {
      case 'enter': {
        const line = this.text;
        this.reset();
        return { kind: 'submit', line };
      }
      case 'cancel':
        return { kind: 'cancel' };
      case 'clear':
        return { kind: 'clear' };
      case 'complete':
        return { kind: 'complete' };
      case 'up':
      case 'down':
        return this.recall(action === 'up' ? -1 : 1);
      default:
        return this.edit(action);
    }
  }

  /** Inserts text at the cursor. */
  insert(text: string): void {
    this.text = this.text.slice(0, this.cursor) + text + this.text.slice(this.cursor);
    this.cursor += text.length;
  }

  private edit(action: string): EditorOutcome {
    const before = this.text.slice(0, this.cursor);
    const after = this.text.slice(this.cursor);
    const lastBefore = graphemes(before).pop() ?? '';
    const firstAfter = graphemes(after)[0] ?? '';
    const was = `${this.text}\0${this.cursor}`;
    switch (action) {
      case 'left':
        this.cursor -= lastBefore.length;
        break;
      case 'right':
        this.cursor += firstAfter.length;
        break;
      case 'wordLeft':
        this.cursor = before.search(/\S*\s*$/u);
        break;
      case 'wordRight':
        this.cursor += after.length - after.replace(/^\s*\S*/u, '').length;
        break;
      case 'home':
        this.cursor = 0;
        break;
      case 'end':
        this.cursor = this.text.length;
        break;
      case 'backspace':
        this.replace(before.slice(0, before.length - lastBefore.length) + after, this.cursor - lastBefore.length);
        break;
      case 'delete':
        this.replace(before + after.slice(firstAfter.length), this.cursor);
        break;
      case 'killBefore':
        this.replace(after, 0);
        break;
      case 'killAfter':
        this.replace(before);
        break;
      case 'killWord': {
        const kept = before.replace(/\S+\s*$/u, '');
        this.replace(kept + after, kept.length);
        break;
      }
    }
    return was === `${this.text}\0${this.cursor}` ? { kind: 'none' } : { kind: 'redraw' };
  }

  private recall(step: -1 | 1): EditorOutcome {
    if (this.history.length === 0) return { kind: 'none' };
    const from = this.historyIndex ?? this.history.length;
    const next = Math.max(0, Math.min(this.history.length, from + step));
    if (next === from) return { kind: 'none' };
    if (this.historyIndex === undefined) this.draft = this.text;
    this.historyIndex = next === this.history.length ? undefined : next;
    this.replace(this.historyIndex === undefined ? this.draft : (this.history[next] ?? ''));
    return { kind: 'redraw' };
  }

  /**
   * Escape sequences that redraw the prompt and line, wrapped over `columns`, leaving the cursor
   * at its place. `previousRow` is the cursor row the last draw returned (0 for a fresh prompt).
   */
  draw(prompt: string, columns: number, previousRow: number): DrawnPrompt {
    const promptWidth = textWidth(prompt.replace(SGR, ''));
    const total = promptWidth + textWidth(this.text);
    const atCursor = promptWidth + textWidth(this.text.slice(0, this.cursor));
    let data = previousRow > 0 ? `\x1b[${previousRow}A` : '';
    data += `\r\x1b[J${prompt}${this.text}`;
    // At the exact end of a row the terminal waits to wrap; a space and a backspace make it wrap now.
    if (total > 0 && total % columns === 0) data += ' \b';
    const endRow = Math.floor(total / columns);
    const row = Math.floor(atCursor / columns);
    const column = atCursor % columns;
    if (endRow > row) data += `\x1b[${endRow - row}A`;
    data += '\r';
    if (column > 0) data += `\x1b[${column}C`;
    return { data, cursorRow: row };
  }
}
