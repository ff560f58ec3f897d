/**
 * The terminal session: one xterm.js emulator for the page, and who its keys belong to. At the
 * shell prompt they edit a command line; while a program runs they go through the line discipline
 * to the program's stdin; while a run starts or stops they wait (type-ahead) and are never dropped.
 */
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon, type ISearchOptions } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import { COMMAND_NAMES } from '../../sandbox/host/shell-info.ts';
import { sandbox } from '../sandbox-client.ts';
import type { RunPhase } from '../store/run-slice.ts';
import { useStore } from '../store/store.ts';
import { complete } from './completion.ts';
import { splitKeys } from './keys.ts';
import { LineDiscipline } from './line-discipline.ts';
import { LineEditor } from './line-editor.ts';
import { connectTerminal, type OutputKind } from './output-channel.ts';
import { OutputWriter } from './output-writer.ts';
import { bufferText } from './terminal-text.ts';
import { themeForPage } from './theme.ts';
import { Transcript } from './transcript.ts';

/**
 * `prompt`: keys edit the shell line. `program`: keys go to the running program. `held`: a run is
 * starting its prompt back or being stopped; keys queue until the prompt is drawn.
 */
type Mode = 'prompt' | 'program' | 'held';

/** A line (or Ctrl-D) on its way to the program's stdin. */
type StdinItem = { text: string } | { end: true };

/** Scrollback rows: a 1 MiB line at 80 columns needs about 13,000. */
const SCROLLBACK_ROWS = 20_000;
const CLEAR_SCREEN = '\x1b[2J';
const CLEAR_SCROLLBACK = '\x1b[3J';
/** How soon stdin is offered again when the sandbox has not taken the run yet. */
const STDIN_RETRY_MS = 50;
const SEARCH_DECORATIONS: ISearchOptions['decorations'] = {
  matchBackground: '#623315',
  activeMatchBackground: '#a8ac1e',
  matchOverviewRuler: '#d186167e',
  activeMatchColorOverviewRuler: '#a0a0a0cc',
};

/** The page's terminal: the emulator, its input routing and its output flow control. */
export class TerminalSession {
  readonly terminal: Terminal;
  private readonly fit = new FitAddon();
  private readonly searcher = new SearchAddon();
  private readonly writer: OutputWriter;
  /** What was shown, kept across a reload of the tab. */
  private readonly transcript = new Transcript();
  /** xterm opens into this element once, and it moves between hosts as React remounts. */
  private readonly element = document.createElement('div');
  private opened = false;
  private mode: Mode = 'held';
  private readonly editor = new LineEditor();
  private discipline = new LineDiscipline();
  /** The prompt's cursor row after its last draw (to redraw a wrapped line from its top). */
  private promptRow = 0;
  /** Keys not handled yet, in order; a lone high surrogate waits in `partial`. */
  private keys: string[] = [];
  private partial = '';
  private completing = false;
  private outbox: StdinItem[] = [];
  private retry: ReturnType<typeof setTimeout> | undefined;
  /** Opens the search box (set by the component). */
  onSearchRequest: () => void = () => undefined;

  constructor() {
    this.terminal = new Terminal({
      allowProposedApi: true,
      convertEol: true,
      cursorBlink: true,
      fontFamily: getComputedStyle(document.documentElement).getPropertyValue('--mono').trim() || 'monospace',
      fontSize: useStore.getState().fontSize,
      scrollback: SCROLLBACK_ROWS,
      theme: themeForPage(),
    });
    this.terminal.loadAddon(this.fit);
    this.terminal.loadAddon(this.searcher);
    this.terminal.loadAddon(new WebLinksAddon());
    this.terminal.loadAddon(new Unicode11Addon());
    this.terminal.unicode.activeVersion = '11';
    this.terminal.attachCustomKeyEventHandler((event) => this.browserKey(event));
    this.terminal.onData((data) => this.input(data));
    this.writer = new OutputWriter({ write: (data, parsed) => this.terminal.write(data, parsed) });
    this.element.className = 'terminal-emulator';
    // The tab was reloaded: show what it showed before (then output of a run already started, then a prompt).
    if (this.transcript.saved !== '') this.writer.write(this.transcript.saved);
    connectTerminal({
      output: (text, kind) => this.output(text, kind),
      clear: () => this.clear(),
      drained: () => this.writer.drained(),
      size: () => ({ columns: this.terminal.cols, rows: this.terminal.rows }),
      text: () => bufferText(this.terminal.buffer.active),
    });
    useStore.subscribe((state, previous) => {
      if (state.runPhase !== previous.runPhase) this.phaseChanged(state.runPhase, previous.runPhase);
      if (state.fontSize !== previous.fontSize) {
        this.terminal.options.fontSize = state.fontSize;
        this.resize();
      }
    });
    addEventListener('pagehide', () => this.transcript.save());
    if (useStore.getState().runPhase === 'idle') this.returnToPrompt();
    else this.mode = 'program';
  }

  /** Puts the terminal into `host` (opening it the first time) and fits it. */
  attach(host: HTMLElement): void {
    host.appendChild(this.element);
    if (!this.opened) {
      this.terminal.open(this.element);
      this.opened = true;
    }
    this.resize();
  }

  /** Fits the terminal to its host; a hidden host (another tab shown) keeps the last size. */
  resize(): void {
    if (!this.opened || this.element.offsetParent === null) return;
    this.fit.fit();
  }

  focus(): void {
    this.terminal.focus();
  }

  /** Finds the next (or previous) match of `term` in the scrollback; false when there is none. */
  search(term: string, backwards = false): boolean {
    const options: ISearchOptions = { decorations: SEARCH_DECORATIONS };
    return backwards ? this.searcher.findPrevious(term, options) : this.searcher.findNext(term, options);
  }

  endSearch(): void {
    this.searcher.clearDecorations();
    this.terminal.focus();
  }

  setScreenReaderMode(on: boolean): void {
    this.terminal.options.screenReaderMode = on;
  }

  /** Copy, paste and search keys the browser (not the program) should have. */
  private browserKey(event: KeyboardEvent): boolean {
    if (event.type !== 'keydown') return true;
    const key = event.key.toLowerCase();
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.shiftKey && key === 'f') {
      event.preventDefault();
      this.onSearchRequest();
      return false;
    }
    // With a selection, Ctrl-C copies (as in VS Code's terminal); without one it interrupts.
    if (mod && key === 'c' && (event.shiftKey || event.metaKey || this.terminal.hasSelection())) {
      event.preventDefault();
      void navigator.clipboard.writeText(this.terminal.getSelection()).catch(() => undefined);
      return false;
    }
    // Leave paste to the browser: xterm reads the paste event (and its newlines become Enter).
    if (mod && key === 'v') return false;
    return true;
  }

  /** Everything shown goes through here: on screen (flow-controlled) and into the transcript. */
  private write(data: string): void {
    this.writer.write(data);
    this.transcript.append(data);
  }

  private output(text: string, kind: OutputKind): void {
    // `clear` empties the scrollback too, as ncurses' clear does (ED 3 after ED 2).
    const shown = text.includes(CLEAR_SCREEN) ? text.replaceAll(CLEAR_SCREEN, `${CLEAR_SCREEN}${CLEAR_SCROLLBACK}`) : text;
    this.write(kind === 'note' ? `\x1b[33m${shown}\x1b[0m` : shown);
  }

  /** Empties screen and scrollback (Run starts on a clean terminal). */
  private clear(): void {
    this.writer.discard();
    this.transcript.clear();
    this.writer.run(() => this.terminal.reset());
  }

  private input(data: string): void {
    const { keys, rest } = splitKeys(this.partial + data);
    this.partial = rest;
    this.keys.push(...keys);
    this.handleKeys();
  }

  /** Hands queued keys to whoever owns them now, stopping where the owner changes or must wait. */
  private handleKeys(): void {
    while (this.keys.length > 0 && !this.completing && this.mode !== 'held') {
      const key = this.keys.shift() as string;
      if (this.mode === 'program') this.programKey(key);
      else this.promptKey(key);
    }
  }

  private programKey(key: string): void {
    for (const action of this.discipline.feed(key)) {
      if (action.kind === 'echo') this.write(action.text);
      else if (action.kind === 'interrupt') useStore.getState().stop();
      else {
        this.outbox.push(action.kind === 'end' ? { end: true } : { text: action.text });
        this.flushStdin();
      }
    }
  }

  /** Gives queued lines to the run's stdin once the sandbox has the run; keeps them until then. */
  private flushStdin(): void {
    clearTimeout(this.retry);
    if (useStore.getState().runPhase !== 'running') return;
    while (this.outbox.length > 0) {
      const item = this.outbox[0] as StdinItem;
      const taken = 'end' in item ? sandbox().endStdin() : sandbox().writeStdin(item.text);
      if (!taken) {
        // The run is not (or no longer) the sandbox's: try again shortly; if it ended, the lines go back to the prompt.
        this.retry = setTimeout(() => this.flushStdin(), STDIN_RETRY_MS);
        return;
      }
      this.outbox.shift();
    }
  }

  private phaseChanged(phase: RunPhase, previous: RunPhase): void {
    if (phase === 'running') this.flushStdin();
    else if (phase === 'stopping') this.mode = 'held';
    else if (phase === 'starting' && previous === 'idle' && this.mode !== 'program') {
      // The Run button, not a typed line: what was typed at the prompt comes back after the run.
      this.keys.unshift(...this.editor.text);
      this.editor.reset();
      this.mode = 'program';
      this.discipline = new LineDiscipline();
    } else if (phase === 'idle') this.runEnded();
  }

  /** Lines the program did not take, and keys typed while it stopped, go back to the prompt. */
  private runEnded(): void {
    clearTimeout(this.retry);
    const unsent = this.outbox.flatMap((item) => ('text' in item ? [...item.text] : []));
    this.outbox = [];
    this.keys.unshift(...unsent, ...this.discipline.takeLine());
    this.returnToPrompt();
  }

  /** Draws a fresh prompt below everything written so far, then lets waiting keys in. */
  private returnToPrompt(): void {
    this.mode = 'held';
    this.writer.run(() => {
      // Run was pressed again before this prompt was drawn: that run owns the terminal now.
      if (useStore.getState().runPhase !== 'idle') return;
      // A program's last line without a newline keeps its line; the prompt starts below it.
      if (this.terminal.buffer.active.cursorX > 0) this.write('\r\n');
      this.editor.reset();
      this.showPrompt();
      this.handleKeys();
    });
  }

  private showPrompt(): void {
    this.editor.setHistory(useStore.getState().history);
    this.mode = 'prompt';
    this.promptRow = 0;
    this.redraw();
  }

  private prompt(): string {
    const cwd = useStore.getState().cwd;
    return `\x1b[1;34m/workspace${cwd ? `/${cwd}` : ''}\x1b[0m $ `;
  }

  private redraw(): void {
    const drawn = this.editor.draw(this.prompt(), this.terminal.cols, this.promptRow);
    this.promptRow = drawn.cursorRow;
    this.write(drawn.data);
  }

  private promptKey(key: string): void {
    if (key === '\r' || key === '\n') {
      // The line stays on screen whole, with the output below it.
      this.editor.cursor = this.editor.text.length;
      this.redraw();
    }
    const outcome = this.editor.key(key);
    switch (outcome.kind) {
      case 'redraw':
        this.redraw();
        return;
      case 'submit':
        this.write('\r\n');
        this.submit(outcome.line);
        return;
      case 'cancel':
        this.editor.cursor = this.editor.text.length;
        this.redraw();
        this.write('^C\r\n');
        this.editor.reset();
        this.showPrompt();
        return;
      case 'clear':
        this.transcript.clear();
        this.writer.run(() => this.terminal.clear());
        this.promptRow = 0;
        this.redraw();
        return;
      case 'complete':
        void this.completeWord();
        return;
      case 'none':
        return;
    }
  }

  private submit(line: string): void {
    if (line.trim() === '') {
      this.showPrompt();
      return;
    }
    this.mode = 'program';
    this.discipline = new LineDiscipline();
    void useStore.getState().execLine(line);
  }

  /** Tab: completes the word at the cursor; an ambiguous word lists the candidates under the prompt. */
  private async completeWord(): Promise<void> {
    this.completing = true;
    try {
      const listDir = async (path: string) => sandbox().fs.readdir(path);
      const result = await complete(this.editor.text, this.editor.cursor, { cwd: useStore.getState().cwd, commands: COMMAND_NAMES, listDir });
      if (result.candidates.length > 0) {
        const cursor = this.editor.cursor;
        this.editor.cursor = this.editor.text.length;
        this.redraw();
        this.write(`\r\n${result.candidates.join('  ')}\r\n`);
        this.editor.cursor = cursor;
        this.promptRow = 0;
      } else this.editor.replace(result.line, result.cursor);
      this.redraw();
    } finally {
      this.completing = false;
      this.handleKeys();
    }
  }
}

let session: TerminalSession | undefined;

/** The page's one terminal session, created on first use. */
export function terminalSession(): TerminalSession {
  session ??= new TerminalSession();
  return session;
}
