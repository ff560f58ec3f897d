/**
 * Every type that crosses the sandbox boundary, in one place and nothing that runs.
 * The host (main thread or Node parent) and the sandbox worker agree on these; Comlink carries them.
 */

/** Languages a program can be written in. `wasm` runs a WASI binary from the workspace. */
export type Language = 'python' | 'ruby' | 'c' | 'cpp' | 'wasm';

/** How a run ended, so a caller can tell a timeout from an OOM from a crash. */
export type RunStatus = 'ok' | 'error' | 'timeout' | 'killed' | 'oom' | 'crashed';

export type StreamName = 'stdout' | 'stderr';

/** A piece of program output, streamed while the program runs. */
export interface OutputChunk {
  stream: StreamName;
  text: string;
  /** Set on the chunk after which this stream's output was dropped by the output cap. */
  truncated?: boolean;
}

/** The typed outcome of every run, command or tool call. */
export interface RunResult {
  status: RunStatus;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** True when some output was dropped by the per-stream output cap. */
  truncated: boolean;
  durationMs: number;
  /** Workspace paths the run created, modified or removed. */
  filesChanged: string[];
}

/** What a caller may set for one run. */
export interface RunOptions {
  language: Language;
  /** Source text (or, for `wasm`, the workspace path of the binary). */
  code: string;
  /** The file name the program sees as its own (e.g. `main.py`); defaults per language. */
  filename?: string;
  args?: string[];
  env?: Record<string, string>;
  stdin?: string;
  timeoutMs?: number;
  onOutput?: (chunk: OutputChunk) => void;
}

/** What a caller may set for one shell line. */
export interface ExecOptions {
  env?: Record<string, string>;
  stdin?: string;
  timeoutMs?: number;
  /** Working directory inside the workspace, relative to its root. */
  cwd?: string;
  onOutput?: (chunk: OutputChunk) => void;
}

/** Result of a shell line: a RunResult plus the working directory after `cd`. */
export interface ExecResult extends RunResult {
  cwd: string;
}

/** Limits applied to every run. */
export interface Limits {
  timeoutMs: number;
  /** Bytes kept per stream per run; the rest is dropped and `truncated` is set. */
  outputCapBytes: number;
  /** How long a cooperative interrupt may take before the worker is terminated. */
  interruptGraceMs: number;
}

/** Size and modification stamp of a workspace file, used to sync only what changed. */
export interface FileStamp {
  size: number;
  mtime: number;
}

/** A recursive listing of the workspace: file paths with stamps, and directories. */
export interface Manifest {
  files: Record<string, FileStamp>;
  dirs: string[];
}

/** What a run did to the workspace, applied by the host after the run. */
export interface WorkspaceChanges {
  written: Record<string, Uint8Array>;
  removed: string[];
  dirs: string[];
}

/** Lifecycle of a runtime inside the worker, shown in `runtime-status`. */
export type RuntimePhase = 'idle' | 'loading' | 'ready' | 'failed';

export interface RuntimeStatus {
  runtime: 'python' | 'ruby' | 'clang' | 'wasi';
  phase: RuntimePhase;
  /** Human text, e.g. `Python 3.13.2` or `downloading clang 40%`. */
  detail: string;
  /** 0..1 while loading, when known. */
  progress?: number;
}

/** Settings the worker receives once when it starts. */
export interface WorkerInit {
  /** Int32Array[1] shared with the host; the host stores 2 (SIGINT) to interrupt. */
  interruptBuffer: SharedArrayBuffer;
  outputCapBytes: number;
  /** Origins user code may reach; empty means no network. */
  allowNet: string[];
}

/** One unit of work for the worker. */
export type WorkerJob =
  | {
      kind: 'code';
      language: Language;
      code: string;
      filename: string;
      args: string[];
      env: Record<string, string>;
      stdin: string;
    }
  | {
      kind: 'shell';
      line: string;
      cwd: string;
      /** `$?` when the line starts. */
      lastExitCode: number;
      env: Record<string, string>;
      stdin: string;
    };

/** How a job ended inside the worker (timeouts and kills are decided by the host). */
export interface WorkerOutcome {
  status: 'ok' | 'error' | 'oom' | 'crashed' | 'interrupted';
  exitCode: number;
  changes: WorkspaceChanges;
  cwd: string;
  /** How many `onOutput` calls the job made; output travels on its own port, so the host waits for them all. */
  outputBatches: number;
}

/** Callbacks the host hands the worker for one job (wrapped in `Comlink.proxy`). */
export interface WorkerJobIo {
  readFiles(paths: string[]): Promise<Record<string, Uint8Array>>;
  onOutput(chunks: OutputChunk[]): void;
}

/** The API the sandbox worker exposes over Comlink. */
export interface SandboxWorkerApi {
  init(init: WorkerInit, onRuntimeStatus: (status: RuntimeStatus) => void): Promise<void>;
  /** Load a runtime ahead of its first use. */
  warmup(runtime: RuntimeStatus['runtime']): Promise<void>;
  /** Loads the runtimes a job will need, so loading time is not counted against its timeout. */
  prepare(job: WorkerJob): Promise<void>;
  run(job: WorkerJob, manifest: Manifest, io: WorkerJobIo): Promise<WorkerOutcome>;
}
