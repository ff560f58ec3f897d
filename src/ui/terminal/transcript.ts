/**
 * What the terminal showed, kept in sessionStorage so a reload of the tab shows it again (as the
 * terminal output before the reload). Capped: the newest text wins; it is cut at a line start.
 */

const KEY = 'isobox:terminal';
/** Characters kept: enough for the screen and a long scrollback, small beside the storage quota. */
const MAX_CHARS = 256 * 1024;
/** Saves at most this often while output streams; a reload in between loses at most this much. */
const SAVE_DELAY_MS = 500;

/** The terminal's written text (escape sequences included), saved as it grows. */
export class Transcript {
  private text: string;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined = safeSessionStorage()) {
    this.text = this.storage?.getItem(KEY) ?? '';
  }

  /** What the last page showed (to replay into a new terminal). */
  get saved(): string {
    this.trim();
    return this.text;
  }

  append(data: string): void {
    this.text += data;
    // Trimmed only at twice the cap: a flood of output must not copy the whole text per chunk.
    if (this.text.length > 2 * MAX_CHARS) this.trim();
    this.timer ??= setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  private trim(): void {
    if (this.text.length <= MAX_CHARS) return;
    const cut = this.text.indexOf('\n', this.text.length - MAX_CHARS);
    this.text = cut < 0 ? this.text.slice(-MAX_CHARS) : this.text.slice(cut + 1);
  }

  /** Forgets everything (the screen was cleared); stored with the next save, not in the click that cleared it. */
  clear(): void {
    this.text = '';
    this.timer ??= setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  /** Writes the transcript now (also called as the page is hidden or unloaded). */
  save(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.trim();
    try {
      if (this.text === '') this.storage?.removeItem(KEY);
      else this.storage?.setItem(KEY, this.text);
    } catch {
      // Storage full or unavailable: the terminal itself is unaffected; only a reload would lose it.
    }
  }
}

function safeSessionStorage(): Storage | undefined {
  try {
    return sessionStorage;
  } catch {
    return undefined;
  }
}
