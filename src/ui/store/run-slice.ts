import type { StateCreator } from 'zustand';
import { languageOfPath } from '../../sandbox/host/browser.ts';
import type { OutputChunk, RunResult, RuntimeStatus } from '../../sandbox/protocol.ts';
import { errorMessage } from '../download.ts';
import { sandbox } from '../sandbox-client.ts';
import { projectOpen } from './opening.ts';
import type { AppState } from './store.ts';
import type { RunExtras } from './debug-slice.ts';

/** One piece of terminal content: program output, an echoed command, or a note from Isobox. */
export interface TermChunk {
  kind: 'stdout' | 'stderr' | 'command' | 'note';
  text: string;
}

export interface RunSlice {
  running: boolean;
  lastResult?: RunResult;
  /** How many runs have finished; lets a watcher tell this run's result from the last one's. */
  runsFinished: number;
  terminal: TermChunk[];
  runtimes: Partial<Record<RuntimeStatus['runtime'], RuntimeStatus>>;
  /** The terminal's working directory, workspace-relative. */
  cwd: string;
  history: string[];
  /** Runs the active file (Run button). */
  runActive(extras?: RunExtras): Promise<void>;
  /** Runs a shell line typed in the terminal. */
  execLine(line: string): Promise<void>;
  stop(): void;
  clearTerminal(): void;
  setRuntimeStatus(status: RuntimeStatus): void;
}

/** Most characters the terminal keeps; older output scrolls away. */
const TERMINAL_MAX_CHARS = 4 * 1024 * 1024;
/** `clear` prints these; the terminal empties itself like a real one. */
const CLEAR_SCREEN = '\x1b[2J';
const CURSOR_HOME = '\x1b[H';

export const createRunSlice: StateCreator<AppState, [], [], RunSlice> = (set, get) => {
  let pending: TermChunk[] = [];
  let frame: number | undefined;
  /** Stops the run or line started here, even while it still saves the editor before starting. */
  let stopping: AbortController | undefined;

  const flushOutput = (): void => {
    frame = undefined;
    if (pending.length === 0) return;
    let terminal = [...get().terminal];
    for (const chunk of pending) {
      const clearAt = chunk.text.lastIndexOf(CLEAR_SCREEN);
      if (clearAt >= 0) {
        terminal = [];
        chunk.text = chunk.text.slice(clearAt + CLEAR_SCREEN.length);
        if (chunk.text.startsWith(CURSOR_HOME)) chunk.text = chunk.text.slice(CURSOR_HOME.length);
      }
      const last = terminal[terminal.length - 1];
      if (last && last.kind === chunk.kind) terminal[terminal.length - 1] = { ...last, text: last.text + chunk.text };
      else terminal.push(chunk);
    }
    pending = [];
    let total = terminal.reduce((n, c) => n + c.text.length, 0);
    while (total > TERMINAL_MAX_CHARS && terminal.length > 1) total -= terminal.shift()?.text.length ?? 0;
    set({ terminal });
  };

  /** Batches output into one render per animation frame. */
  const append = (chunk: TermChunk): void => {
    pending.push(chunk);
    frame ??= requestAnimationFrame(flushOutput);
  };

  const onOutput = (chunk: OutputChunk): void => {
    append({ kind: chunk.stream, text: chunk.text });
    if (chunk.truncated) append({ kind: 'note', text: `\n[${chunk.stream} truncated: output is capped at 1 MiB per stream per run]\n` });
  };

  const finish = async (result: RunResult): Promise<void> => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    flushOutput();
    set({ running: false, lastResult: result, runsFinished: get().runsFinished + 1 });
    // The file tree already shows what the run left (the sandbox reports it, see onWorkspaceChanged).
    await get().reloadChanged(result.filesChanged);
  };

  /** Shows a run's result; a run that could not start at all says why and leaves Run usable. */
  const settle = async (start: () => Promise<RunResult>): Promise<void> => {
    let result: RunResult;
    try {
      result = await start();
    } catch (error) {
      if (frame !== undefined) cancelAnimationFrame(frame);
      pending.push({ kind: 'note', text: `isobox: could not run: ${errorMessage(error)}\n` });
      flushOutput();
      set({ running: false });
      return;
    }
    await finish(result);
  };

  return {
    running: false,
    runsFinished: 0,
    terminal: [],
    runtimes: {},
    cwd: '',
    history: [],

    async runActive(extras) {
      if (get().running) return;
      set({ running: true, terminal: [], lastResult: undefined });
      const { signal } = (stopping = new AbortController());
      await settle(async () => {
        await projectOpen();
        await get().languageSwitched();
        await get().flush();
        const path = get().activePath;
        const buffer = path ? get().buffers[path] : undefined;
        const language = (path && languageOfPath(path)) || get().language;
        const code = buffer?.kind === 'text' ? buffer.text : path ?? '';
        const timeoutMs = get().settings.timeoutSeconds * 1000;
        return sandbox().run({ language, code, ...(path ? { filename: path } : {}), timeoutMs, trace: get().traceRuns, onOutput, signal, ...(extras ?? get().plainRunExtras(language)) });
      });
    },

    async execLine(line) {
      const trimmed = line.trim();
      if (get().running) return;
      append({ kind: 'command', text: `${line}\n` });
      if (trimmed === '') return;
      set({ running: true, history: [...get().history.filter((h) => h !== trimmed), trimmed].slice(-200), lastResult: undefined });
      const { signal } = (stopping = new AbortController());
      await settle(async () => {
        await projectOpen();
        await get().flush();
        const result = await sandbox().exec(trimmed, { cwd: get().cwd, timeoutMs: get().settings.timeoutSeconds * 1000, trace: get().traceRuns, onOutput, signal });
        set({ cwd: result.cwd });
        return result;
      });
    },

    stop() {
      stopping?.abort();
    },

    clearTerminal() {
      pending = [];
      set({ terminal: [] });
    },

    setRuntimeStatus(status) {
      set({ runtimes: { ...get().runtimes, [status.runtime]: status } });
    },
  };
};
