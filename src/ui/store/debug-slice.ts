import type { StateCreator } from 'zustand';
import { DebugSession, type Breakpoints, type DebugEnd, type DebugFrame, type DebugPause, type DebugTrace } from '../../sandbox/host/debugger.ts';
import type { Language, RunOptions } from '../../sandbox/protocol.ts';
import type { AppState } from './store.ts';

/** What the debug panel shows: a live run, an uncaught exception's frames, a recorded trace, or nothing. */
export type DebugView = 'none' | 'live' | 'postmortem' | 'trace';

/** Step commands of a paused run. */
export type DebugStep = 'continue' | 'step-over' | 'step-into' | 'step-out';

/** What a run adds to its options for the debugger (see RunSlice.runActive). */
export type RunExtras = Pick<RunOptions, 'debug' | 'timeoutMs'>;

export interface DebugSlice {
  /** Breakpoints per workspace file (1-based lines), kept while the page is open. */
  breakpoints: Breakpoints;
  debugView: DebugView;
  /** A live run is stopped and waits for a step command. */
  debugPaused: boolean;
  /** The pause shown (live or post-mortem). */
  debugPause?: DebugPause;
  /** The frame of `debugPause` whose variables are shown (0 = innermost). */
  debugFrame: number;
  /** Frames of the last Python run's uncaught exception, offered by "Debug this error". */
  postMortem?: DebugPause;
  trace?: DebugTrace;
  /** The trace step shown, 0-based. */
  traceIndex: number;
  /** Why Debug or Trace could not start. */
  debugNote?: string;
  toggleBreakpoint(path: string, line: number): void;
  /** Runs the active Python file under the debugger (Debug, F5). */
  startDebug(): Promise<void>;
  /** Runs the active Python file recording every line (Trace). */
  startTrace(): Promise<void>;
  debugStep(step: DebugStep): void;
  openPostMortem(): void;
  selectDebugFrame(index: number): void;
  setTraceIndex(index: number): void;
  closeDebug(): void;
  /** Options a plain Run adds: a Python run keeps its uncaught exception's frames (no trace function). */
  plainRunExtras(language: Language): RunExtras;
}

/** A paused program waits for the person, not the run's time limit. */
const DEBUG_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** The place the editor highlights: the selected frame of a pause, or the trace step's line. */
export function debugLocation(state: Pick<AppState, 'debugView' | 'debugPause' | 'debugFrame' | 'trace' | 'traceIndex'>): DebugFrame | undefined {
  if (state.debugView === 'trace') return state.trace?.steps[state.traceIndex]?.stack[0];
  if (state.debugView === 'live' || state.debugView === 'postmortem') return state.debugPause?.stack[state.debugFrame];
  return undefined;
}

export const createDebugSlice: StateCreator<AppState, [], [], DebugSlice> = (set, get) => {
  /** The session of the run in progress (Debug, Trace, or a plain Run's post-mortem capture). */
  let session: DebugSession | undefined;

  /** Keeps what a run left: its post-mortem frames, its recording. */
  const absorb = (end: DebugEnd | undefined): void => {
    if (end?.postMortem) set({ postMortem: end.postMortem });
    if (end?.trace) set({ trace: end.trace, traceIndex: 0, debugView: 'trace' });
  };

  /** Opens the file the debugger is in (a module the program imported), when it is a workspace file. */
  const showFile = (file: string | undefined): void => {
    if (!file || file === get().activePath || !get().tree.some((t) => t.kind === 'file' && t.path === file)) return;
    void get().openFile(file);
  };

  /** Starts a session for the active file, or says why it cannot. */
  const open = (mode: 'debug' | 'trace'): DebugSession | undefined => {
    const path = get().activePath;
    if (get().running) return undefined;
    if (!path || !path.endsWith('.py')) {
      set({ debugNote: 'The debugger runs Python: open a .py file first.' });
      return undefined;
    }
    session?.finish();
    try {
      const started: DebugSession = new DebugSession(
        { mode, breakpoints: get().breakpoints },
        {
          onPause: (pause) => {
            if (session !== started) return;
            set({ debugView: 'live', debugPaused: true, debugPause: pause, debugFrame: 0 });
            showFile(pause.stack[0]?.file);
          },
        },
      );
      session = started;
    } catch (error) {
      set({ debugNote: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
    set({ debugNote: undefined, postMortem: undefined, trace: undefined, debugPause: undefined, debugPaused: false, debugView: mode === 'debug' ? 'live' : 'none' });
    return session;
  };

  /** Runs with a session through the Run machinery (terminal, Stop, stdin), then keeps what it left. */
  const runWith = async (started: DebugSession, extras: RunExtras): Promise<void> => {
    await get().runActive(extras);
    const end = started.finish();
    if (session !== started) return;
    session = undefined;
    set({ debugPaused: false, debugPause: undefined, debugView: get().debugView === 'live' ? 'none' : get().debugView });
    absorb(end);
  };

  return {
    breakpoints: {},
    debugView: 'none',
    debugPaused: false,
    debugFrame: 0,
    traceIndex: 0,

    toggleBreakpoint(path, line) {
      const lines = get().breakpoints[path] ?? [];
      const next = lines.includes(line) ? lines.filter((l) => l !== line) : [...lines, line].sort((a, b) => a - b);
      const breakpoints = { ...get().breakpoints, [path]: next };
      if (next.length === 0) delete breakpoints[path];
      set({ breakpoints });
      session?.setBreakpoints(breakpoints);
    },

    async startDebug() {
      const started = open('debug');
      if (started) await runWith(started, { debug: started.request, timeoutMs: DEBUG_TIMEOUT_MS });
    },

    async startTrace() {
      const started = open('trace');
      if (started) await runWith(started, { debug: started.request });
    },

    debugStep(step) {
      if (!session?.isPaused) return;
      set({ debugPaused: false });
      if (step === 'continue') session.continue();
      else if (step === 'step-over') session.stepOver();
      else if (step === 'step-into') session.stepInto();
      else session.stepOut();
    },

    openPostMortem() {
      const pause = get().postMortem;
      if (!pause) return;
      set({ debugView: 'postmortem', debugPause: pause, debugFrame: 0 });
      showFile(pause.stack[0]?.file);
    },

    selectDebugFrame(index) {
      set({ debugFrame: index });
      showFile(get().debugPause?.stack[index]?.file);
    },

    setTraceIndex(index) {
      const steps = get().trace?.steps.length ?? 0;
      set({ traceIndex: Math.max(0, Math.min(index, steps - 1)) });
    },

    closeDebug() {
      set({ debugView: 'none', debugPause: undefined, trace: undefined, postMortem: get().debugView === 'postmortem' ? undefined : get().postMortem });
    },

    plainRunExtras(language) {
      session?.finish();
      session = undefined;
      set({ postMortem: undefined, debugView: 'none', debugPause: undefined, trace: undefined, debugNote: undefined });
      if (language !== 'python' || typeof SharedArrayBuffer !== 'function') return {};
      const capture: DebugSession = new DebugSession({ mode: 'postmortem' }, { onEnd: absorb });
      session = capture;
      return { debug: capture.request };
    },
  };
};
