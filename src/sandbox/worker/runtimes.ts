import type { PyodideAPI } from 'pyodide';
import type { RuntimeStatus, SnapshotStore, WorkerJob } from '../protocol.ts';
import { createClangRuntime, type ClangModule, type ClangRuntime } from '../runtimes/clang.ts';
import { createPythonRuntime, type PyodideStart, type PythonRuntime } from '../runtimes/python.ts';
import { createRubyRuntime, type RubyRuntime } from '../runtimes/ruby.ts';
import type { ReportStatus } from '../runtimes/runtime.ts';
import { createWasiRunner, type RunWasi } from '../runtimes/wasi.ts';

/** How this environment loads each runtime's assets (URLs in a browser, node_modules in Node). */
export interface RuntimeLoaders {
  loadPyodide(start: PyodideStart): Promise<PyodideAPI>;
  /** ruby+stdlib.wasm, compiled (not instantiated). */
  loadRuby(): Promise<WebAssembly.Module>;
  loadClang(): Promise<ClangModule>;
}

/** The runtimes of one worker, each loaded on first use. */
export interface Runtimes {
  python: PythonRuntime;
  ruby: RubyRuntime;
  clang: ClangRuntime;
  wasi: RunWasi;
  warmup(runtime: RuntimeStatus['runtime']): Promise<void>;
  /** Loads what a job needs before user code runs. */
  prepare(job: WorkerJob): Promise<void>;
}

/** Words of a shell line that start each runtime; a guess is enough, the shell loads the rest on use. */
const SHELL_WORDS: Record<RuntimeStatus['runtime'], RegExp> = {
  python: /(^|[\s|&;])python3?\b/,
  ruby: /(^|[\s|&;])ruby\b/,
  clang: /(^|[\s|&;])(cc|c\+\+|clang\+?\+?|gcc|g\+\+)(\s|$)/,
  wasi: /\.wasm\b/,
};

const LANGUAGE_RUNTIME: Record<string, RuntimeStatus['runtime']> = { python: 'python', ruby: 'ruby', c: 'clang', cpp: 'clang', wasm: 'wasi' };

/** Whether a job will use a runtime. */
function needs(job: WorkerJob, runtime: RuntimeStatus['runtime']): boolean {
  if (job.kind === 'code') return LANGUAGE_RUNTIME[job.language] === runtime;
  return SHELL_WORDS[runtime].test(job.line);
}

/** Creates the runtimes of a worker; nothing is loaded until asked for. */
export function createRuntimes(loaders: RuntimeLoaders, report: (runtime: RuntimeStatus['runtime']) => ReportStatus, snapshots?: SnapshotStore): Runtimes {
  const wasi = createWasiRunner();
  const python = createPythonRuntime({ loadPyodide: (start) => loaders.loadPyodide(start), report: report('python'), ...(snapshots ? { snapshots } : {}) });
  const ruby = createRubyRuntime({ loadModule: () => loaders.loadRuby(), report: report('ruby') });
  const clang = createClangRuntime({ loadClang: () => loaders.loadClang(), report: report('clang') }, wasi);
  const ready: Record<RuntimeStatus['runtime'], () => Promise<unknown>> = {
    python: () => python.ready(),
    ruby: () => ruby.ready(),
    clang: () => clang.ready(),
    wasi: () => Promise.resolve(),
  };
  return {
    python,
    ruby,
    clang,
    wasi,
    async warmup(runtime) {
      await ready[runtime]();
    },
    async prepare(job) {
      for (const runtime of Object.keys(ready) as RuntimeStatus['runtime'][]) {
        if (needs(job, runtime)) await ready[runtime]();
      }
    },
  };
}
