import type { PyodideAPI } from 'pyodide';
import type { DebugRequest } from '../debug-protocol.ts';
import { openWorkerDebugChannel } from '../worker/debug-channel.ts';
import { PYTHON_DEBUGGER } from './python-debugger-source.ts';

/** Line events a trace records before it stops recording (the program runs on). */
export const MAX_TRACE_STEPS = 10_000;
/** Breakpoint hits a `collect` run records by default. */
export const DEFAULT_MAX_HITS = 50;

/** Interpreters the debugger's Python source is installed in (once each, on first use). */
const installed = new WeakSet<PyodideAPI>();

/** A debugger object for one run, handed to the driver's `_isobox_run`. */
export interface PythonDebugHandle {
  /** The Python object (a PyProxy) the driver calls: start, post_mortem, finish. */
  readonly debugger: unknown;
  destroy(): void;
}

type MakeDebugger = ((channel: object, mode: string, breakpoints: string, watch: string, maxHits: number, maxSteps: number) => { destroy(): void }) & { destroy(): void };

/**
 * Installs the debugger's Python source in an interpreter (once; later calls do nothing). Sets no
 * trace function: a plain run still runs untraced. Called ahead of the first run by warmInterpreter.
 */
export function installPythonDebugger(py: PyodideAPI): void {
  if (installed.has(py)) return;
  py.runPython(PYTHON_DEBUGGER);
  installed.add(py);
}

/**
 * Makes the Python-side debugger for a run that asked for one. Nothing is installed in the
 * interpreter until the first such run: a plain run has no trace function and no extra code.
 */
export function createPythonDebugger(py: PyodideAPI, request: DebugRequest, interrupt: Int32Array, flushOutput: () => void): PythonDebugHandle {
  if (typeof SharedArrayBuffer !== 'function' || !(request.channel instanceof SharedArrayBuffer)) {
    throw new Error('the debugger needs shared memory (a cross-origin isolated page)');
  }
  installPythonDebugger(py);
  const make = py.globals.get('_isobox_make_debugger') as MakeDebugger;
  const channel = openWorkerDebugChannel(request.channel, interrupt, flushOutput);
  try {
    const handle = make(channel, request.mode, JSON.stringify(request.breakpoints), JSON.stringify(request.watch ?? []), request.maxHits ?? DEFAULT_MAX_HITS, MAX_TRACE_STEPS);
    return { debugger: handle, destroy: () => handle.destroy() };
  } finally {
    make.destroy();
  }
}
