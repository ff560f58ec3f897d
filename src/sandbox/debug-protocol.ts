/**
 * Types of the Python debugger that cross the sandbox boundary (types only, nothing that runs).
 * A debug run carries a `DebugRequest` in its job; the worker and the host then talk through the
 * request's SharedArrayBuffer (see debug-wire.ts), because a paused worker cannot take messages.
 */

/**
 * What a run records or where it stops:
 * - `debug`: pauses at breakpoints and steps, driven by the host's commands;
 * - `trace`: records every line event (capped) and reports the recording at the end;
 * - `collect`: never pauses; records each breakpoint hit with watched values (agents, the CLI);
 * - `postmortem`: installs no trace function; only an uncaught exception's frames are captured.
 */
export type DebugMode = 'debug' | 'trace' | 'collect' | 'postmortem';

/** Breakpoints per workspace-relative file path (e.g. `main.py`): 1-based line numbers. */
export type Breakpoints = Record<string, number[]>;

/** What a run is debugged with; travels in the job to the worker. */
export interface DebugRequest {
  mode: DebugMode;
  breakpoints: Breakpoints;
  /** `collect`: expressions evaluated in the stopped frame at every hit. */
  watch?: string[];
  /** `collect`: hits recorded before the run goes on without stopping (default 50). */
  maxHits?: number;
  /** The shared channel (debug-wire.ts layout), made by the host's DebugSession. */
  channel: SharedArrayBuffer;
}

/** One frame of a stopped program: the function and the line it is at. */
export interface DebugFrame {
  /** `<module>` for top-level code. */
  function: string;
  /** Workspace-relative path (or `<string>`). */
  file: string;
  line: number;
}

/** One variable as shown: its name and a (possibly cut) repr. */
export interface DebugVariable {
  name: string;
  repr: string;
  scope: 'local' | 'global';
  /** A container's first items (`[0]`, `'key'`, `.attr`), one level deep; pauses only, not trace steps. */
  children?: { name: string; repr: string }[];
}

/** Where and why a program stopped, with what each frame can see. */
export interface DebugPause {
  reason: 'breakpoint' | 'step' | 'exception';
  /** Frames innermost first; the first is where the program stopped. */
  stack: DebugFrame[];
  /** Per frame of `stack` (same index): locals, then globals. */
  variables: DebugVariable[][];
  /** For `exception`: the exception as Python prints its last line, e.g. `ZeroDivisionError: division by zero`. */
  exception?: string;
}

/** One line event of a recorded trace. */
export interface TraceStep {
  stack: DebugFrame[];
  /** The innermost frame's variables (locals; at module level, the globals). */
  variables: DebugVariable[];
  /** How much of `DebugTrace.output` the program had written when this line was about to run. */
  outputLength: number;
}

/** A recorded run. */
export interface DebugTrace {
  steps: TraceStep[];
  /** Everything the program wrote to stdout and stderr, interleaved, while recording. */
  output: string;
  /** True when recording stopped at the step cap (the program itself ran on to its end). */
  capped: boolean;
  maxSteps: number;
}

/** One time a breakpoint was hit in a `collect` run. */
export interface DebugHit {
  stack: DebugFrame[];
  /** Watched expressions in the order asked, each with its value's repr or the error it raised. */
  watches: { expr: string; value: string }[];
}

/** What the worker reports when the program ends. */
export interface DebugEnd {
  /** Present when the program ended with an uncaught exception in user code. */
  postMortem?: DebugPause;
  trace?: DebugTrace;
  hits?: DebugHit[];
  /** True when more hits happened than were recorded. */
  hitsCapped?: boolean;
}

/** A message from the worker to the host through the channel. */
export type DebugEvent = { kind: 'pause'; pause: DebugPause } | ({ kind: 'end' } & DebugEnd);

/** A command from the host to a paused worker. `breakpoints` replaces the set and keeps it paused. */
export type DebugCommand =
  | { kind: 'continue' | 'step-over' | 'step-into' | 'step-out' | 'stop' }
  | { kind: 'breakpoints'; breakpoints: Breakpoints };
