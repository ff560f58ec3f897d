/**
 * `isobox debug FILE --break LINE [--break LINE…] [--watch EXPR…] [--json]`: runs a Python file with
 * breakpoints that record and go on, and prints where it stopped (the agent's `debug_run` records).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { debugRun, formatDebugReport } from '../sandbox/host/debug-run.ts';
import { languageOfPath } from '../sandbox/host/filenames.ts';
import { parseCommandLine, UsageError, type CommonOptions } from './args.ts';
import { workspacePathOf } from './run-command.ts';
import { openSandbox, openWorkspace, warmUp } from './session.ts';
import { exitCodeOf, readStdin } from './terminal.ts';

/** Usage of `isobox debug`, for the help text. */
export const DEBUG_USAGE = '  isobox debug FILE --break LINE [--break LINE...] [--watch EXPR...] [--json]\n                                        run a Python file, print each breakpoint hit (stack, watched values)\n';

/** Options of `isobox debug` that take the next word as their value. */
const TAKES_VALUE = new Set(['--break', '-b', '--watch', '--max-hits', '--workspace', '-w', '--timeout', '-t']);

/** Whether the command line's command word is `debug` (its options may come before or after FILE). */
export function isDebugCommand(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') return argv[i + 1] === 'debug';
    if (!arg.startsWith('-')) return arg === 'debug';
    if (TAKES_VALUE.has(arg)) i++;
  }
  return false;
}

interface DebugCommand {
  options: CommonOptions;
  file: string;
  breakpoints: number[];
  watch: string[];
  maxHits?: number;
}

/** Parses `isobox debug …` (the whole argv); throws UsageError for anything malformed. */
export function parseDebugCommand(argv: readonly string[], cwd: string = process.cwd()): DebugCommand {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        break: { type: 'string', short: 'b', multiple: true },
        watch: { type: 'string', multiple: true },
        'max-hits': { type: 'string' },
        workspace: { type: 'string', short: 'w' },
        timeout: { type: 'string', short: 't' },
        json: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError(`debug: ${error instanceof Error ? error.message : String(error)}`);
  }
  const [word, file, ...extra] = positionals;
  if (word !== 'debug') throw new UsageError('expected `isobox debug FILE --break LINE`');
  if (!file) throw new UsageError('`isobox debug` needs a FILE, e.g. `isobox debug main.py --break 3`');
  if (extra.length > 0) throw new UsageError(`\`isobox debug\` takes one FILE (got also "${extra[0]}")`);
  const breakpoints = (values.break ?? []).flatMap((text) => text.split(',')).map((text) => lineNumber(text));
  if (breakpoints.length === 0) throw new UsageError('`isobox debug` needs at least one --break LINE');
  const seconds = values.timeout === undefined ? 30 : Number(values.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout needs a positive number of seconds (got "${values.timeout}")`);
  // The shared options come from the CLI's own parser, so they get every default it gives.
  const common = parseCommandLine(['exec', '--workspace', resolve(cwd, values.workspace ?? '.'), '--timeout', String(seconds), ':'], cwd);
  if (common.kind !== 'exec') throw new UsageError('debug: could not read the options');
  return {
    options: { ...common.options, json: values.json ?? false },
    file,
    breakpoints,
    watch: values.watch ?? [],
    ...(values['max-hits'] === undefined ? {} : { maxHits: lineNumber(values['max-hits'], '--max-hits') }),
  };
}

function lineNumber(text: string, what = '--break'): number {
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${what} needs a whole number from 1 (got "${text}")`);
  return n;
}

/** Runs `isobox debug`; resolves with the program's exit code. */
export async function debugCommand(argv: readonly string[]): Promise<number> {
  const command = parseDebugCommand(argv);
  const { options } = command;
  const workspace = await openWorkspace(options.workspace);
  const path = workspacePathOf(command.file, options.workspace);
  if (languageOfPath(path) !== 'python') throw new UsageError(`the debugger runs Python files (got ${command.file})`);
  let code: string;
  try {
    code = await workspace.readText(path);
  } catch {
    throw new UsageError(`cannot open ${command.file}: no such file in the workspace`);
  }
  const stdin = await readStdin();
  const sandbox = openSandbox(workspace, options);
  try {
    await warmUp(sandbox, ['python']);
    const report = await debugRun(sandbox, {
      code,
      filename: path,
      breakpoints: command.breakpoints,
      watch: command.watch,
      stdin,
      timeoutMs: options.timeoutMs,
      ...(command.maxHits !== undefined ? { maxHits: command.maxHits } : {}),
      // With --json stdout holds one JSON line; the program's output goes to stderr then.
      onOutput: (chunk) => (options.json ? process.stderr : chunk.stream === 'stdout' ? process.stdout : process.stderr).write(chunk.text),
    });
    if (options.json) {
      const { result, ...records } = report;
      process.stdout.write(`${JSON.stringify({ status: result.status, exitCode: result.exitCode, ...records })}\n`);
    } else {
      process.stdout.write(`${formatDebugReport(report)}\n`);
    }
    return exitCodeOf(report.result);
  } finally {
    await sandbox.dispose();
  }
}
