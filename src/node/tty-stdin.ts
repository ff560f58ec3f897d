/**
 * The stdin of a CLI run: a pipe or file is read to the end up front (the sandbox takes it whole);
 * a terminal is the program's interactive stdin. The terminal stays in cooked mode, so the OS
 * echoes and edits each line (Backspace, Ctrl-U), Enter sends it, Ctrl-D ends the input and
 * Ctrl-C reaches this process as SIGINT (which stops the run: see terminal.ts).
 */
import type { Sandbox } from '../sandbox/host/api.ts';
import type { TerminalSize } from '../sandbox/protocol.ts';
import { readStdin } from './terminal.ts';

/** The stdin fields of a run or shell line (RunOptions/ExecOptions). */
export type CliStdin = { stdin: string } | { interactive: true; terminalSize?: TerminalSize };

/** How this process's stdin reaches the program: interactively when it is a terminal. */
export async function cliStdin(): Promise<CliStdin> {
  if (!process.stdin.isTTY) return { stdin: await readStdin() };
  const { columns, rows } = process.stdout;
  return { interactive: true, ...(process.stdout.isTTY && columns > 0 && rows > 0 ? { terminalSize: { columns, rows } } : {}) };
}

/**
 * Starts a run with `start`, then forwards what is typed at the terminal to it until it ends
 * (type-ahead included: the run is queued before the first line is read).
 */
export async function withTerminalInput<R>(sandbox: Sandbox, input: CliStdin, start: () => Promise<R>): Promise<R> {
  const running = start();
  if (!('interactive' in input)) return running;
  const stdin = process.stdin;
  const onData = (text: string): void => {
    sandbox.writeStdin(text);
  };
  const onEnd = (): void => {
    sandbox.endStdin();
  };
  stdin.setEncoding('utf8');
  stdin.on('data', onData);
  stdin.on('end', onEnd);
  try {
    return await running;
  } finally {
    stdin.off('data', onData);
    stdin.off('end', onEnd);
    // Stop reading, so the terminal no longer keeps this process alive.
    stdin.pause();
  }
}
