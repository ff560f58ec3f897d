import type { BlockedKind, PackageDelivery, PackageNeed, SyscallRecord } from '../protocol.ts';
import type { DebugRequest } from '../debug-protocol.ts';
import type { FileTree } from '../worker/tree.ts';

/** Where runtimes report what a program does, for the run's audit. */
export interface AuditSink {
  /** Whether the caller asked for a syscall trace. */
  readonly tracing: boolean;
  /** A workspace file the program opened for reading (workspace-relative). */
  fileRead(path: string): void;
  block(kind: BlockedKind, target: string, rule: string): void;
  syscall(record: SyscallRecord): void;
  /** Size of a WebAssembly memory the program used; the largest is kept. */
  memory(bytes: number): void;
}

/**
 * The user's terminal as a program's stdin (interactive runs). A read waits until the user gives
 * a line, ends the input (Ctrl-D) or the run is stopped.
 */
export interface TerminalInput {
  /**
   * Up to `max` bytes of the next line (through its '\n'; never half a UTF-8 character); empty at
   * end of input; `interrupted` when the run was stopped while waiting. Output written before
   * is on its way to the host before this waits.
   */
  read(max: number): Uint8Array | 'interrupted';
  /** Whether a read would return at once (input waiting, or its end). */
  ready(): boolean;
}

/** The standard streams and context of one program run inside the worker. */
export interface ProgramIo {
  args: string[];
  env: Record<string, string>;
  /** The whole of stdin; programs read it to the end, then see EOF. Not read when `terminal` is set. */
  stdin: Uint8Array;
  /** Set when stdin is the user's terminal (an interactive run whose stdin is not redirected or piped). */
  terminal?: TerminalInput;
  /** Working directory, workspace-relative (`` is the root, seen by programs as `/workspace`). */
  cwd: string;
  stdout(bytes: Uint8Array): void;
  stderr(bytes: Uint8Array): void;
  /** Int32Array[1]: non-zero once the host asked for an interrupt. Runtimes poll it where they can. */
  interrupt: Int32Array;
  audit: AuditSink;
  /** Python only: run under the debugger (debug-protocol.ts). */
  debug?: DebugRequest;
  /** Sends output still batched in the worker to the host now (before a run blocks, e.g. at a breakpoint). */
  flushOutput?(): void;
  /** Python: asks the host for packages the program imports (python-packages.ts); absent: none are offered. */
  packages?(need: PackageNeed): Promise<PackageDelivery>;
}

/** A sink that records nothing, for callers that do not audit (tests, tools). */
export const NO_AUDIT: AuditSink = {
  tracing: false,
  fileRead: () => undefined,
  block: () => undefined,
  syscall: () => undefined,
  memory: () => undefined,
};

/** How one program ended. `interrupted` is mapped by the host to `killed` or `timeout`. */
export interface ProgramResult {
  status: 'ok' | 'error' | 'oom' | 'crashed' | 'interrupted';
  exitCode: number;
}

/** Reports loading progress of a runtime to the host. */
export type ReportStatus = (phase: 'loading' | 'ready' | 'failed', detail: string, progress?: number) => void;

/** A program the shell can start by name: `python`, `ruby`, `cc`, a `.wasm` path. */
export type Program = (tree: FileTree, io: ProgramIo) => Promise<ProgramResult>;

/** The message of anything a runtime threw: an Error, a string, or a plain object (Emscripten's ErrnoError { errno, code }). */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object') return JSON.stringify(error) ?? String(error);
  return String(error);
}
