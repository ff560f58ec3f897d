/**
 * The `isobox` command (bin/isobox.mjs loads this through tsx): parses the command line, runs the
 * command, and sets the exit code. Usage errors exit 2, isobox's own failures 125 (as timeout(1)
 * and docker do), so neither is mistaken for the program's exit code.
 */
import { parseCommandLine, UsageError, type Command } from './args.ts';
import { debugCommand, isDebugCommand } from './debug-command.ts';
import { execCommand } from './exec-command.ts';
import { USAGE } from './help.ts';
import { runCommand } from './run-command.ts';
import { describeError } from './session.ts';
import { packageVersion } from './version.ts';

/** Exit code for a mistake on the command line. */
export const EXIT_USAGE = 2;
/** Exit code when isobox itself fails (not the program). */
export const EXIT_INTERNAL = 125;

/** Runs the CLI with `argv` (without `node` and the script) and exits with the command's code. */
export async function main(argv: string[]): Promise<never> {
  const code = await dispatchSafely(argv);
  // Exit explicitly once output is flushed: a timer left behind in a library (or a worker still
  // winding down) must not keep a script waiting after the run is over.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

/** Resolves when everything written to `stream` so far has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.write('', () => resolve());
  });
}

async function dispatchSafely(argv: string[]): Promise<number> {
  try {
    // `isobox debug FILE --break LINE` takes options after FILE, so it parses its own line.
    if (isDebugCommand(argv)) return await debugCommand(argv);
    return await dispatch(parseCommandLine(argv));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`isobox: ${error.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`isobox: ${describeError(error)}\n`);
    return EXIT_INTERNAL;
  }
}

async function dispatch(command: Command): Promise<number> {
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command.kind === 'version') {
    process.stdout.write(`isobox ${packageVersion()}\n`);
    return 0;
  }
  switch (command.kind) {
    case 'run':
      return runCommand(command);
    case 'exec':
      return execCommand(command);
    case 'mcp': {
      const { serveMcp } = await import('./mcp.ts');
      return serveMcp(command.options);
    }
    case 'agent': {
      const { agentCommand } = await import('./agent-command.ts');
      return agentCommand(command);
    }
  }
}
