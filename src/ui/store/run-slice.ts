import type { StateCreator } from 'zustand';
import { languageOfPath } from '../../sandbox/host/browser.ts';
import type { OutputChunk, RunResult, RuntimeStatus } from '../../sandbox/protocol.ts';
import { errorMessage } from '../download.ts';
import { clearTerminal, terminalDrained, terminalSize, writeTerminal } from '../terminal/output-channel.ts';
import { sandbox } from '../sandbox-client.ts';
import { projectOpen } from './opening.ts';
import type { AppState } from './store.ts';
import type { RunExtras } from './debug-slice.ts';

/**
 * Where the UI's own run is: `starting` (saving the editor, waiting for the project), `running`
 * (handed to the sandbox: its stdin takes the terminal's keys), `stopping` (Stop or Ctrl-C was
 * pressed), `idle`. The terminal follows it to route typed keys.
 */
export type RunPhase = 'idle' | 'starting' | 'running' | 'stopping';

export interface RunSlice {
  running: boolean;
  runPhase: RunPhase;
  lastResult?: RunResult;
  /** How many runs have finished; lets a watcher tell this run's result from the last one's. */
  runsFinished: number;
  runtimes: Partial<Record<RuntimeStatus['runtime'], RuntimeStatus>>;
  /** The terminal's working directory, workspace-relative. */
  cwd: string;
  history: string[];
  /** Runs the active file (Run button), on a cleared terminal; `extras` run it under the debugger (debug-slice.ts). */
  runActive(extras?: RunExtras): Promise<void>;
  /** Runs a shell line typed in the terminal (the terminal has echoed it already). */
  execLine(line: string): Promise<void>;
  stop(): void;
  setRuntimeStatus(status: RuntimeStatus): void;
}

/** How long a finished run waits for its output to reach the screen before it reports (a stuck renderer must not hold Run). */
const DRAIN_WAIT_MS = 5_000;

export const createRunSlice: StateCreator<AppState, [], [], RunSlice> = (set, get) => {
  /** Stops the run or line started here, even while it still saves the editor before starting. */
  let stopping: AbortController | undefined;

  const onOutput = (chunk: OutputChunk): void => {
    writeTerminal(chunk.text, chunk.stream);
    if (chunk.truncated) writeTerminal(`\n[${chunk.stream} truncated: output is capped at 1 MiB per stream per run]\n`, 'note');
  };

  /** Everything the program printed is on screen before the run reports its end (tests and users read it then). */
  const outputShown = (): Promise<void> => Promise.race([terminalDrained(), new Promise<void>((resolve) => setTimeout(resolve, DRAIN_WAIT_MS))]);

  const finish = async (result: RunResult): Promise<void> => {
    await outputShown();
    set({ running: false, runPhase: 'idle', lastResult: result, runsFinished: get().runsFinished + 1 });
    // The file tree already shows what the run left (the sandbox reports it, see onWorkspaceChanged).
    await get().reloadChanged(result.filesChanged);
  };

  /** The run is in the sandbox's hands: typed lines may go to its stdin now. */
  const handedOver = <T>(run: Promise<T>): Promise<T> => {
    if (get().runPhase === 'starting') set({ runPhase: 'running' });
    return run;
  };

  /** What the sandbox needs to give a run the terminal as its tty. */
  const interactive = (): { interactive: true; terminalSize?: { columns: number; rows: number } } => {
    const size = terminalSize();
    return size ? { interactive: true, terminalSize: size } : { interactive: true };
  };

  /** Shows a run's result; a run that could not start at all says why and leaves Run usable. */
  const settle = async (start: () => Promise<RunResult>): Promise<void> => {
    let result: RunResult;
    try {
      result = await start();
    } catch (error) {
      writeTerminal(`isobox: could not run: ${errorMessage(error)}\n`, 'note');
      await outputShown();
      set({ running: false, runPhase: 'idle' });
      return;
    }
    await finish(result);
  };

  return {
    running: false,
    runPhase: 'idle',
    runsFinished: 0,
    runtimes: {},
    cwd: '',
    history: [],

    async runActive(extras) {
      if (get().running) return;
      clearTerminal();
      set({ running: true, runPhase: 'starting', lastResult: undefined });
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
        return handedOver(sandbox().run({ language, code, ...(path ? { filename: path } : {}), timeoutMs, trace: get().traceRuns, onOutput, signal, ...interactive(), ...(extras ?? get().plainRunExtras(language)) }));
      });
    },

    async execLine(line) {
      const trimmed = line.trim();
      if (get().running) return;
      if (trimmed === '') return;
      set({ running: true, runPhase: 'starting', history: [...get().history.filter((h) => h !== trimmed), trimmed].slice(-200), lastResult: undefined });
      const { signal } = (stopping = new AbortController());
      await settle(async () => {
        await projectOpen();
        await get().flush();
        const options = { cwd: get().cwd, timeoutMs: get().settings.timeoutSeconds * 1000, trace: get().traceRuns, onOutput, signal, ...interactive() };
        const result = await handedOver(sandbox().exec(trimmed, options));
        set({ cwd: result.cwd });
        return result;
      });
    },

    stop() {
      stopping?.abort();
      if (get().running) set({ runPhase: 'stopping' });
    },

    setRuntimeStatus(status) {
      set({ runtimes: { ...get().runtimes, [status.runtime]: status } });
    },
  };
};
