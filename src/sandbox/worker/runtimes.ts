import type { PyodideAPI } from 'pyodide';
import type { RuntimeStatus, WorkerJob } from '../protocol.ts';
import { createPythonRuntime, type PythonRuntime } from '../runtimes/python.ts';
import type { ReportStatus } from '../runtimes/runtime.ts';

/** How this environment loads each runtime's assets (URLs in a browser, node_modules in Node). */
export interface RuntimeLoaders {
  loadPyodide(): Promise<PyodideAPI>;
}

/** The runtimes of one worker, each loaded on first use. */
export interface Runtimes {
  python: PythonRuntime;
  warmup(runtime: RuntimeStatus['runtime']): Promise<void>;
  /** Loads what a job needs before user code runs. */
  prepare(job: WorkerJob): Promise<void>;
}

/** Words of a shell line that start each runtime; a guess is enough, the shell loads the rest on use. */
const SHELL_WORDS: Record<RuntimeStatus['runtime'], RegExp> = {
  python: /(^|[\s|&;])python3?\b/,
  ruby: /(^|[\s|&;])ruby\b/,
  clang: /(^|[\s|&;])(cc|c\+\+|clang\+?\+?|gcc|g\+\+)\b/,
  wasi: /\.wasm\b/,
};

const LANGUAGE_RUNTIME: Record<string, RuntimeStatus['runtime']> = { python: 'python', ruby: 'ruby', c: 'clang', cpp: 'clang', wasm: 'wasi' };

/** Whether a job will use a runtime. */
function needs(job: WorkerJob, runtime: RuntimeStatus['runtime']): boolean {
  if (job.kind === 'code') return LANGUAGE_RUNTIME[job.language] === runtime;
  return SHELL_WORDS[runtime].test(job.line);
}

/** Creates the runtimes of a worker; nothing is loaded until asked for. */
export function createRuntimes(loaders: RuntimeLoaders, report: (runtime: RuntimeStatus['runtime']) => ReportStatus): Runtimes {
  const python = createPythonRuntime({ loadPyodide: () => loaders.loadPyodide(), report: report('python') });
  return {
    python,
    async warmup(runtime) {
      if (runtime === 'python') await python.ready();
    },
    async prepare(job) {
      if (needs(job, 'python')) await python.ready();
    },
  };
}
