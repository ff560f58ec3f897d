import type { DebugEnd, DebugFrame } from '../debug-protocol.ts';
import type { OutputChunk, RunResult } from '../protocol.ts';
import type { Sandbox } from './api.ts';
import { DebugSession, runWithDebugger } from './debugger.ts';
import { defaultFilename } from './filenames.ts';

/** One time the program reached a breakpoint: where, through which calls, and the watched values. */
export interface DebugStopRecord {
  file: string;
  line: number;
  /** Frames innermost first, each `function:line`. */
  stack: string[];
  /** Each watched expression's repr (or the error it raised), by expression. */
  watches: Record<string, string>;
}

/** Where an uncaught exception left the program, with the failing frame's locals. */
export interface DebugExceptionRecord {
  file: string;
  line: number;
  stack: string[];
  exception: string;
  locals: Record<string, string>;
}

/** What a breakpoint run reports (agents' `debug_run`, `isobox debug`). */
export interface DebugRunReport {
  result: RunResult;
  stops: DebugStopRecord[];
  /** True when the program hit breakpoints more often than `maxHits`; later hits are not listed. */
  stopsCapped: boolean;
  exception?: DebugExceptionRecord;
}

export interface DebugRunOptions {
  /** Python source to run. */
  code: string;
  /** The workspace path the program runs as (its breakpoints' file); default `main.py`. */
  filename?: string;
  /** 1-based lines of `filename` to stop at. */
  breakpoints: number[];
  /** Python expressions evaluated in the stopped frame at each hit. */
  watch?: string[];
  /** Most hits recorded (default 50). */
  maxHits?: number;
  args?: string[];
  stdin?: string;
  timeoutMs?: number;
  onOutput?: (chunk: OutputChunk) => void;
  signal?: AbortSignal;
}

const frameText = (frame: DebugFrame): string => `${frame.function}:${frame.line}`;

/**
 * Runs Python with breakpoints that never pause: each hit is recorded with the stack and the
 * watched values, and the program runs on. An uncaught exception is reported with its frame.
 */
export async function debugRun(sandbox: Sandbox, options: DebugRunOptions): Promise<DebugRunReport> {
  const filename = options.filename ?? defaultFilename('python');
  const bad = options.breakpoints.find((line) => !Number.isInteger(line) || line < 1);
  if (bad !== undefined) throw new Error(`breakpoint lines are whole numbers from 1 (got ${bad})`);
  const session = new DebugSession({
    mode: 'collect',
    breakpoints: { [filename]: options.breakpoints },
    watch: options.watch ?? [],
    ...(options.maxHits !== undefined ? { maxHits: options.maxHits } : {}),
  });
  const { result, end } = await runWithDebugger(
    sandbox,
    {
      language: 'python',
      code: options.code,
      filename,
      ...(options.args ? { args: options.args } : {}),
      ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    },
    session,
  );
  return { result, ...records(end) };
}

/** The stop and exception records of what a `collect` run left. */
function records(end: DebugEnd | undefined): Omit<DebugRunReport, 'result'> {
  const stops = (end?.hits ?? []).map((hit): DebugStopRecord => {
    const top = hit.stack[0];
    return { file: top?.file ?? '', line: top?.line ?? 0, stack: hit.stack.map(frameText), watches: Object.fromEntries(hit.watches.map((w) => [w.expr, w.value])) };
  });
  const pm = end?.postMortem;
  const top = pm?.stack[0];
  const exception: DebugExceptionRecord | undefined =
    pm && top
      ? {
          file: top.file,
          line: top.line,
          stack: pm.stack.map(frameText),
          exception: pm.exception ?? '',
          locals: Object.fromEntries((pm.variables[0] ?? []).filter((v) => v.scope === 'local' || pm.stack.length === 1).map((v) => [v.name, v.repr])),
        }
      : undefined;
  return { stops, stopsCapped: end?.hitsCapped ?? false, ...(exception ? { exception } : {}) };
}

/** A report as text, one line per stop (the CLI's output, the agent card). */
export function formatDebugReport(report: Pick<DebugRunReport, 'stops' | 'stopsCapped' | 'exception'>): string {
  const lines: string[] = [];
  report.stops.forEach((stop, i) => {
    const watches = Object.entries(stop.watches).map(([expr, value]) => `${expr} = ${value}`);
    lines.push(`stop ${i + 1} at ${stop.file}:${stop.line} [${stop.stack.join(' < ')}]${watches.length > 0 ? `: ${watches.join(', ')}` : ''}`);
  });
  if (report.stops.length === 0) lines.push('no breakpoint was hit');
  if (report.stopsCapped) lines.push(`(more hits not recorded after ${report.stops.length})`);
  const e = report.exception;
  if (e) {
    const locals = Object.entries(e.locals).map(([name, value]) => `${name} = ${value}`);
    lines.push(`uncaught ${e.exception} at ${e.file}:${e.line} [${e.stack.join(' < ')}]${locals.length > 0 ? `: ${locals.join(', ')}` : ''}`);
  }
  return lines.join('\n');
}
