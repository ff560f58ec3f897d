import type { PyodideAPI } from 'pyodide';
import { installPythonDebugger } from './python-debugger.ts';
import { installImportFinder } from './python-packages.ts';

/**
 * Installs in a fresh interpreter what a run would otherwise install on first use: the import
 * finder every run calls, and the debugger the app's Run uses for post-mortems (importing `bdb`
 * pulls in `inspect`, `ast`, `dis`: hundreds of milliseconds in WebAssembly). Every Python run
 * gets a fresh interpreter, so "first use" would be every run; done while the worker is idle
 * instead, that time is off the Run → output path. Runs no user code and sets no trace function.
 */
export function warmInterpreter(py: PyodideAPI): void {
  installImportFinder(py);
  installPythonDebugger(py);
}

/**
 * Warms `py` once the worker is idle (a macrotask after it reported ready, so the page's Python
 * ready time is unchanged), unless a run started first: that run installs what it needs itself,
 * and nothing may run in the interpreter while a program is suspended in it.
 */
export function warmWhenIdle(py: PyodideAPI, runStarted: () => boolean): void {
  setTimeout(() => {
    if (runStarted()) return;
    try {
      warmInterpreter(py);
    } catch {
      // An optimisation: a run installs what it needs on first use anyway.
    }
  }, 0);
}
