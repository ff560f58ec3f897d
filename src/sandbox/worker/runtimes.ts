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
  /** Whether user code has run in this worker's Python interpreter (it then keeps what the code left). */
  pythonUsed(): boolean;
}

/**
 * The Python runtime with every call but `ready()` noted as use, whichever path calls it (a run,
 * a shell's `python`, anything added later): loading runs no user code, everything else may.
 */
function noteUse(runtime: PythonRuntime, used: () => void): PythonRuntime {
  return new Proxy(runtime, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name);
      if (name === 'ready' || typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        used();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** Words of a shell line that start each runtime; a guess is enough, the shell loads the rest on use. */
const SHELL_WORDS: Record<RuntimeStatus['runtime'], RegExp> = {
  python: /(^|[\s|&;])(python3?|%?pip3?)\b/,
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
  let pythonUsed = false;
  const python = noteUse(createPythonRuntime({ loadPyodide: (start) => loaders.loadPyodide(start), report: report('python'), ...(snapshots ? { snapshots } : {}) }), () => (pythonUsed = true));
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
    pythonUsed: () => pythonUsed,
  };
}
