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

/** Creates the runtimes of a worker; nothing is loaded until asked for. */
export function createRuntimes(loaders: RuntimeLoaders, report: (runtime: RuntimeStatus['runtime']) => ReportStatus): Runtimes {
  const python = createPythonRuntime({ loadPyodide: () => loaders.loadPyodide(), report: report('python') });
  return {
    python,
    async warmup(runtime) {
      if (runtime === 'python') await python.ready();
    },
    async prepare(job) {
      if (job.kind === 'code' && job.language === 'python') await python.ready();
    },
  };
}
