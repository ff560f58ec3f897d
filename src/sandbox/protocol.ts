/**
 * Every type that crosses the sandbox boundary, in one place and nothing that runs.
 * The host (main thread or Node parent) and the sandbox worker agree on these; Comlink carries them.
 */

import type { DebugRequest } from './debug-protocol.ts';

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
  /** What the run did and tried: files touched, blocked attempts, figures. */
  audit: RunAudit;
}

/** Why something user code tried was refused. */
export type BlockedKind = 'network' | 'storage' | 'path' | 'syscall';

/** One refused attempt: what was tried and the rule that refused it. */
export interface BlockedAttempt {
  kind: BlockedKind;
  /** What was tried, e.g. `fetch GET http://evil.test/x` or `path_open ../secret`. */
  target: string;
  /** The rule that refused it, e.g. `network is off`. */
  rule: string;
}

/** One WASI call in a syscall trace. */
export interface SyscallRecord {
  call: string;
  args: string;
  /** errno name, e.g. `SUCCESS` or `ENOTCAPABLE`. */
  result: string;
}

/** The record of one run: what it touched, what was refused, what it cost. */
export interface RunAudit {
  files: { read: string[]; created: string[]; modified: string[]; deleted: string[] };
  /** Refused attempts, in order (capped; see `eventsDropped`). */
  blocked: BlockedAttempt[];
  /** Largest WebAssembly memory a runtime used during the run, in bytes (0 if unknown). */
  peakMemoryBytes: number;
  outputBytes: { stdout: number; stderr: number };
  /** Present when the run asked for a WASI syscall trace (capped; see `eventsDropped`). */
  trace?: SyscallRecord[];
  /** Audit events not recorded because the run produced more than the cap. */
  eventsDropped: number;
}

/**
 * What the worker collected during a job; the host adds what only it knows. Blocked attempts are
 * not here: they stream to the host as they happen (`onBlocked`), so a killed run keeps them.
 */
export interface WorkerAudit {
  read: string[];
  peakMemoryBytes: number;
  trace?: SyscallRecord[];
  eventsDropped: number;
}

/** A terminal's size in character cells. */
export interface TerminalSize {
  columns: number;
  rows: number;
}

/** What a caller may set for one run. */
export interface RunOptions {
  language: Language;
  /** Runs Python under the debugger (debug-protocol.ts); host/debugger.ts makes the request. */
  debug?: DebugRequest;
  /** Source text (or, for `wasm`, the workspace path of the binary). */
  code: string;
  /** The file name the program sees as its own (e.g. `main.py`); defaults per language. */
  filename?: string;
  args?: string[];
  env?: Record<string, string>;
  stdin?: string;
  /**
   * The program's stdin is the user's terminal: a read blocks until \`Sandbox.writeStdin\` gives it
   * data, or \`Sandbox.endStdin\` ends it (Ctrl-D). Ignored when \`stdin\` is given. A run with neither
   * gets end-of-file at once (never hangs an agent). In a shell line, only commands whose stdin is
   * not redirected or piped read the terminal.
   */
  interactive?: boolean;
  /** The terminal's size; the program sees it as COLUMNS/LINES (and Python's os/shutil.get_terminal_size). */
  terminalSize?: TerminalSize;
  timeoutMs?: number;
  /** Record a trace of every WASI call (C, C++, .wasm, Ruby) in `audit.trace`. */
  trace?: boolean;
  onOutput?: (chunk: OutputChunk) => void;
  /** Stops this run (as `killed`) when aborted, also while it still waits in the queue. */
  signal?: AbortSignal;
}

/** What a caller may set for one shell line. */
export interface ExecOptions {
  /**
   * Exported variables the line starts with. Without it the line continues the sandbox's own
   * shell session: the variables the last such line left (`export X=1`, then `echo $X`).
   */
  env?: Record<string, string>;
  /** Shell variables (not exported) the line starts with, as a previous result's `vars` gave them. */
  vars?: Record<string, string>;
  stdin?: string;
  /**
   * The program's stdin is the user's terminal: a read blocks until \`Sandbox.writeStdin\` gives it
   * data, or \`Sandbox.endStdin\` ends it (Ctrl-D). Ignored when \`stdin\` is given. A run with neither
   * gets end-of-file at once (never hangs an agent). In a shell line, only commands whose stdin is
   * not redirected or piped read the terminal.
   */
  interactive?: boolean;
  /** The terminal's size; the program sees it as COLUMNS/LINES (and Python's os/shutil.get_terminal_size). */
  terminalSize?: TerminalSize;
  timeoutMs?: number;
  /** Working directory inside the workspace, relative to its root. */
  cwd?: string;
  /** Record a trace of every WASI call in `audit.trace`. */
  trace?: boolean;
  onOutput?: (chunk: OutputChunk) => void;
  /** Stops this line (as `killed`) when aborted, also while it still waits in the queue. */
  signal?: AbortSignal;
}

/** Result of a shell line: a RunResult plus the working directory after `cd`. */
export interface ExecResult extends RunResult {
  cwd: string;
  /** Exported variables after the line (`export`, `unset`); absent when the line never ran. */
  env?: Record<string, string>;
  /** Shell variables that are not exported, after the line (`X=1`). */
  vars?: Record<string, string>;
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
  /** Int32Array[1] shared with the host; the host stores 2 (SIGINT) to interrupt. (A plain ArrayBuffer when the page is not cross-origin isolated: then only termination stops a run.) */
  interruptBuffer: SharedArrayBuffer | ArrayBuffer;
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
      /** The interactive stdin ring (stdin-ring.ts) when stdin is the user's terminal. */
      terminal?: SharedArrayBuffer;
      trace: boolean;
      /** Python only: run under the debugger (debug-protocol.ts). */
      debug?: DebugRequest;
    }
  | {
      kind: 'shell';
      line: string;
      cwd: string;
      /** `$?` when the line starts. */
      lastExitCode: number;
      env: Record<string, string>;
      /** Shell variables that are not exported. */
      vars?: Record<string, string>;
      stdin: string;
      /** The interactive stdin ring (stdin-ring.ts) when stdin is the user's terminal. */
      terminal?: SharedArrayBuffer;
      trace: boolean;
    };

/** How a job ended inside the worker (timeouts and kills are decided by the host). */
export interface WorkerOutcome {
  status: 'ok' | 'error' | 'oom' | 'crashed' | 'interrupted';
  exitCode: number;
  changes: WorkspaceChanges;
  cwd: string;
  /** A shell line's exported and shell-only variables when it ended. */
  env?: Record<string, string>;
  vars?: Record<string, string>;
  /** How many `onOutput` and `onBlocked` calls the job made; they travel on their own port, so the host waits for them all. */
  outputBatches: number;
  audit: WorkerAudit;
  /**
   * Whether the next job may run in this worker. False once Python ran in it: its interpreter keeps
   * whatever a program left (patched modules, `sys` attributes, globals), so the host gives the
   * next job a fresh worker, as a new process would get (anything but `true` counts as false).
   */
  reusable: boolean;
}

/** Callbacks the host hands the worker for one job (wrapped in `Comlink.proxy`). */
export interface WorkerJobIo {
  readFiles(paths: string[]): Promise<Record<string, Uint8Array>>;
  onOutput(chunks: OutputChunk[]): void;
  onBlocked(attempt: BlockedAttempt): void;
  /** Python: fetches (after consent) the packages a program's imports need; absent when the sandbox has no package index. */
  loadPackages?(need: PackageNeed): Promise<PackageDelivery>;
}

/** The API the sandbox worker exposes over Comlink. */
/**
 * Where the host keeps a memory snapshot of a freshly started Python interpreter (Pyodide), so
 * later workers (the spare, the one after Stop, the next visit) start from it in a fraction of
 * the time. Snapshots are made right after start-up, before any user code runs in that worker.
 */
export interface SnapshotStore {
  /** The stored snapshot, if there is one. */
  load(): Promise<Uint8Array | undefined>;
  /** Keeps a snapshot a worker has just made. */
  save(snapshot: Uint8Array): Promise<void>;
  /** Forgets the stored snapshot (it failed to restore, e.g. made by another Pyodide build). */
  discard(): Promise<void>;
}

export interface SandboxWorkerApi {
  init(init: WorkerInit, onRuntimeStatus: (status: RuntimeStatus) => void, snapshots?: SnapshotStore): Promise<void>;
  /** Load a runtime ahead of its first use. */
  warmup(runtime: RuntimeStatus['runtime']): Promise<void>;
  /** Loads the runtimes a job will need, so loading time is not counted against its timeout. */
  prepare(job: WorkerJob): Promise<void>;
  /**
   * Runs a job. `confirmed`: the stamps the host's workspace gave the files this worker wrote in
   * its previous job, as saved; the worker keeps its own bytes for them instead of fetching them back.
   */
  run(job: WorkerJob, manifest: Manifest, io: WorkerJobIo, confirmed?: Record<string, FileStamp>): Promise<WorkerOutcome>;
}

/** Top-level modules a Python program imports that nothing installed in its interpreter provides. */
export interface PackageNeed {
  imports: string[];
  /** Packages the interpreter has loaded already (names as in the lock file). */
  loaded: string[];
  /** Names the program installs from the PyPI index (`micropip.install("name")`, `pip install name`). */
  pypi?: string[];
}

/** A verified wheel (its sha256 matched the lock file), ready to install. */
export interface PackageWheel {
  name: string;
  version: string;
  fileName: string;
  installDir: 'site' | 'dynlib';
  bytes: Uint8Array;
}

/** The host's answer to a PackageNeed. */
export interface PackageDelivery {
  /** Install these, in order, before the program starts. */
  wheels: PackageWheel[];
  /** The package index they came from (recorded as each package's source). */
  index: string;
  /** Imports left uninstalled (denied, or not allowed to ask): the hint is printed if the program then fails on one. */
  refused?: { imports: string[]; hint: string };
  /** The run does not start: this message is printed and the run ends with exit code 1. */
  error?: string;
}

/** What a person is asked before packages are downloaded (packages-prompt). */
export interface PackageRequest {
  /** The package index folder they come from. */
  index: string;
  packages: { name: string; version: string; fileName: string }[];
  /** The imports that need them. */
  imports: string[];
  /** Total download size in bytes, when the index tells (already cached files count as 0). */
  downloadBytes?: number;
}

/** A person's answer to a PackageRequest. */
export type PackageAnswer = 'allow' | 'deny';
