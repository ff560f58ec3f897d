/**
 * One sandbox run as a terminal program: output streamed live to this process's stdout/stderr
 * (or one JSON line with `--json`), Ctrl-C stopping the program, and the exit code a shell expects.
 */
import { constants } from 'node:os';
import type { Sandbox } from '../sandbox/host/api.ts';
import { summarizeAudit } from '../sandbox/host/build-audit.ts';
import type { OutputChunk, RunAudit, RunResult } from '../sandbox/protocol.ts';

/** Starts the run; `onOutput` is undefined when output must not be streamed. */
export type StartRun<R extends RunResult> = (onOutput: ((chunk: OutputChunk) => void) | undefined) => Promise<R>;

export interface TerminalOptions {
  json: boolean;
  timeoutMs: number;
  /** Print the run's audit (files touched, blocked attempts) on stderr after it ends. */
  audit?: boolean;
}

/** Signals that stop the program: the CLI then exits 128 + the signal number, as shells report it. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof STOP_SIGNALS)[number] | 'SIGPIPE';

/**
 * Runs `start` on `sandbox` as a terminal program and resolves with the exit code for the CLI:
 * the program's own, 124 on timeout, 128 + N when signal N stopped it (130 for Ctrl-C).
 */
export async function runInTerminal<R extends RunResult>(sandbox: Sandbox, start: StartRun<R>, options: TerminalOptions): Promise<number> {
  let stoppedBy: StopSignal | undefined;
  const stop = (signal: StopSignal): void => {
    // A second Ctrl-C does not wait for the sandbox to wind down.
    if (stoppedBy && signal !== 'SIGPIPE') process.exit(signalExitCode(signal));
    stoppedBy ??= signal;
    sandbox.interrupt();
  };
  const handlers = STOP_SIGNALS.map((signal) => [signal, () => stop(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  // `isobox run gen.py | head -1`: the reader went away; stop the program as SIGPIPE would.
  // The listener stays: later writes to the dead pipe must not crash the process either.
  const onPipeError = (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE') stop('SIGPIPE');
  };
  process.stdout.on('error', onPipeError);

  let lastChar = '\n';
  let streamedStderr = '';
  const write = (chunk: OutputChunk): void => {
    if (chunk.stream === 'stderr') streamedStderr += chunk.text;
    if (stoppedBy === 'SIGPIPE' || chunk.text === '') return;
    (chunk.stream === 'stdout' ? process.stdout : process.stderr).write(chunk.text);
    lastChar = chunk.text.slice(-1);
  };

  let result: R;
  try {
    result = await start(options.json ? undefined : write);
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }

  if (options.json) {
    process.stdout.write(`${resultJson(result)}\n`);
  } else {
    // The host appends its own notes (a worker that died, a file it could not save) to the
    // result's stderr without streaming them.
    const unstreamed = result.stderr.startsWith(streamedStderr) ? result.stderr.slice(streamedStderr.length).replace(/^\n/, '') : '';
    const note = unstreamed + (stoppedBy ? '' : noteFor(result, options.timeoutMs, sandbox.limits.outputCapBytes));
    if (note) process.stderr.write(`${lastChar === '\n' ? '' : '\n'}${note}`);
    if (options.audit) process.stderr.write(`${!note && lastChar !== '\n' ? '\n' : ''}${auditReport(result.audit)}`);
  }
  return stoppedBy ? signalExitCode(stoppedBy) : exitCodeOf(result);
}

/** The result as one JSON line, the fields in RunResult's order (an exec's `cwd` last). */
export function resultJson(result: RunResult): string {
  const { status, exitCode, stdout, stderr, truncated, durationMs, filesChanged, ...rest } = result;
  return JSON.stringify({ status, exitCode, stdout, stderr, truncated, durationMs, filesChanged, ...rest });
}

/** The audit as a few lines for a terminal: a summary, then each blocked attempt. */
export function auditReport(audit: RunAudit): string {
  const lines = [`isobox audit: ${summarizeAudit(audit)}`];
  for (const b of audit.blocked) lines.push(`isobox audit: blocked ${b.kind}: ${b.target} (${b.rule})`);
  if (audit.peakMemoryBytes > 0) lines.push(`isobox audit: peak Wasm memory ${formatBytes(audit.peakMemoryBytes)}`);
  return lines.map((line) => `${line}\n`).join('');
}

/** What the CLI adds on stderr after the program's own output, so a bare exit code is never the only clue. */
function noteFor(result: RunResult, timeoutMs: number, capBytes: number): string {
  const lines: string[] = [];
  if (result.truncated) lines.push(`isobox: output was cut at ${formatBytes(capBytes)} per stream; the rest was dropped`);
  if (result.status === 'timeout') lines.push(`isobox: timed out after ${timeoutMs / 1000} s (exit ${result.exitCode})`);
  if (result.status === 'oom') lines.push(`isobox: the program ran out of memory (exit ${result.exitCode})`);
  if (result.status === 'crashed' && !result.stderr.includes('isobox: the sandbox worker stopped')) {
    lines.push(`isobox: the sandbox crashed (exit ${result.exitCode})`);
  }
  return lines.map((line) => `${line}\n`).join('');
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

/** A process exit code (0-255) for a result; codes outside the range wrap as shells wrap them. */
export function exitCodeOf(result: RunResult): number {
  const code = result.exitCode & 0xff;
  // 256 wraps to 0: a failed run must not look like success.
  return code === 0 && result.status !== 'ok' ? 1 : code;
}

/** 128 + the signal number: what a shell reports for a program that a signal ended. */
export function signalExitCode(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}

/**
 * Everything on stdin, when stdin is not a terminal (`isobox run x.py < in.txt`, `echo hi | isobox …`);
 * empty otherwise. The sandbox takes stdin up front, so it is read to the end first.
 */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  } catch {
    return ''; // A closed or invalid stdin reads as empty, as /dev/null does.
  }
  return Buffer.concat(chunks).toString('utf8');
}
