/**
 * Where the store's runs meet the terminal: runs write output and ask for the terminal's size
 * here, without importing the emulator. Output written before the terminal exists (a run started
 * as the page opens) is kept and given to it when it connects.
 */

/** Program output, or a note from Isobox itself (drawn in its own colour). */
export type OutputKind = 'stdout' | 'stderr' | 'note';

/** What the terminal offers the rest of the UI. */
export interface TerminalPort {
  output(text: string, kind: OutputKind): void;
  /** Empties the screen and scrollback (the Run button starts on a clean terminal). */
  clear(): void;
  /** Settles once everything written so far is on screen. */
  drained(): Promise<void>;
  size(): { columns: number; rows: number };
  /** The whole text, as `window.isobox.terminalText()` returns it. */
  text(): string;
}

let port: TerminalPort | undefined;
let early: { text: string; kind: OutputKind }[] = [];

/** Connects the terminal; returns a function that disconnects it. */
export function connectTerminal(terminal: TerminalPort): () => void {
  port = terminal;
  for (const chunk of early) terminal.output(chunk.text, chunk.kind);
  early = [];
  return () => {
    if (port === terminal) port = undefined;
  };
}

/** Writes program output (or a note) to the terminal. */
export function writeTerminal(text: string, kind: OutputKind): void {
  if (port) port.output(text, kind);
  else early.push({ text, kind });
}

/** Clears the terminal. */
export function clearTerminal(): void {
  if (port) port.clear();
  else early = [];
}

/** Settles once the terminal shows everything written so far. */
export function terminalDrained(): Promise<void> {
  return port?.drained() ?? Promise.resolve();
}

/** The terminal's size in cells, once it is on the page. */
export function terminalSize(): { columns: number; rows: number } | undefined {
  return port?.size();
}

/** The terminal's text (empty before it exists). */
export function terminalText(): string {
  return port?.text() ?? early.map((chunk) => chunk.text).join('');
}
