/**
 * The terminal's line discipline while a program runs (a tty's cooked mode): keys are echoed and
 * collected into a line the user can edit; Enter gives the line to the program. Pure: it returns
 * what to do (echo, send, end, interrupt) and the caller does it, so it is tested without a page.
 */
import { ENTER, graphemes, isControlKey, splitKeys, textWidth } from './keys.ts';

/** One thing the terminal does for the keys it was given, in order. */
export type DisciplineAction =
  /** Draw this on the terminal (the echo of typed keys, or the erasing of them). */
  | { kind: 'echo'; text: string }
  /** Give this text to the program's stdin (a line with its '\n', or a Ctrl-D'd partial line). */
  | { kind: 'send'; text: string }
  /** End the program's stdin (Ctrl-D on an empty line). */
  | { kind: 'end' }
  /** Interrupt the program (Ctrl-C). */
  | { kind: 'interrupt' };

const BACKSPACE = '\x7f';
const CTRL_H = '\b';
const CTRL_C = '\x03';
const CTRL_D = '\x04';
const CTRL_U = '\x15';
const CTRL_W = '\x17';

/** Erases `width` cells left of the cursor. */
const erase = (width: number): string => '\b \b'.repeat(width);

/**
 * Canonical-mode line editing for a program's stdin. A paste of several lines becomes several
 * sends, one line each (type-ahead the sandbox queues); a character is never split, not even a
 * surrogate pair that arrives in two pieces.
 */
export class LineDiscipline {
  private line = '';
  /** A high surrogate whose low half has not arrived yet. */
  private pending = '';

  /** The line typed so far and not sent. */
  get current(): string {
    return this.line;
  }

  /** Handles input from the terminal; returns the actions in the order they must happen. */
  feed(data: string): DisciplineAction[] {
    const { keys, rest } = splitKeys(this.pending + data);
    this.pending = rest;
    const actions: DisciplineAction[] = [];
    for (const key of keys) this.key(key, actions);
    return mergeEchoes(actions);
  }

  /** Takes the unsent line (e.g. to put it back on the shell prompt once the program ended). */
  takeLine(): string {
    const line = this.line + this.pending;
    this.line = '';
    this.pending = '';
    return line;
  }

  private key(key: string, out: DisciplineAction[]): void {
    switch (key) {
      case ENTER:
      case '\n':
        out.push({ kind: 'echo', text: '\r\n' }, { kind: 'send', text: `${this.line}\n` });
        this.line = '';
        return;
      case BACKSPACE:
      case CTRL_H: {
        const chars = graphemes(this.line);
        const last = chars.pop();
        if (last === undefined) return;
        this.line = chars.join('');
        out.push({ kind: 'echo', text: erase(textWidth(last)) });
        return;
      }
      case CTRL_U:
        out.push({ kind: 'echo', text: erase(textWidth(this.line)) });
        this.line = '';
        return;
      case CTRL_W: {
        const kept = this.line.replace(/\S+\s*$/u, '');
        out.push({ kind: 'echo', text: erase(textWidth(this.line.slice(kept.length))) });
        this.line = kept;
        return;
      }
      case CTRL_D:
        // As a tty: an empty line means end of input; otherwise the line goes without its newline.
        out.push(this.line === '' ? { kind: 'end' } : { kind: 'send', text: this.line });
        this.line = '';
        return;
      case CTRL_C:
        out.push({ kind: 'echo', text: '^C\r\n' }, { kind: 'interrupt' });
        this.line = '';
        return;
      default:
        // Arrows, function keys and other controls mean nothing to a cooked line.
        if (isControlKey(key)) return;
        this.line += key;
        out.push({ kind: 'echo', text: key });
    }
  }
}

/** Joins neighbouring echoes so a paste is drawn in one write. */
function mergeEchoes(actions: DisciplineAction[]): DisciplineAction[] {
  const merged: DisciplineAction[] = [];
  for (const action of actions) {
    const last = merged[merged.length - 1];
    if (action.kind === 'echo' && last?.kind === 'echo') merged[merged.length - 1] = { kind: 'echo', text: last.text + action.text };
    else merged.push(action);
  }
  return merged;
}
