/**
 * Runs a shell line against the worker's FileTree: builtins directly, everything else as a
 * Program from `ctx.resolveProgram`. Pipelines run stage by stage (a stage's stdout is buffered
 * and becomes the next stage's stdin), which suits run-to-completion Wasm programs.
 */
import { NO_AUDIT, type AuditSink, type Program, type ProgramIo, type ProgramResult, type TerminalInput } from '../runtimes/runtime.ts';
import type { FileTree } from '../worker/tree.ts';
import { findBuiltin, runBuiltin } from './builtins.ts';
import { type CommandKind, concat, writeLine } from './command.ts';
import { parseEnvArgs } from './env-command.ts';
import { expandWord, expandWords } from './expand.ts';
import { parseLine, type Command, type Pipeline, type ShellAst } from './parser.ts';
import { describeError, resolvePath } from './paths.ts';
import { type Fds, type OpenedFile, applyRedirects } from './redirect.ts';
import { ShellVariables } from './variables.ts';

/** Everything one shell line runs with. */
export interface ShellContext {
  tree: FileTree;
  /** Workspace-relative working directory (`` is `/workspace`; `/workspace/x` is accepted too). */
  cwd: string;
  /** Exported variables: the environment programs get. */
  env: Record<string, string>;
  /** Shell variables that are not exported (set by an earlier `NAME=value` line). */
  vars?: Record<string, string>;
  /** The value of `$?` before the line's first command. */
  lastExitCode: number;
  /** Standard input of the first command of each pipeline (unless it reads a file with `<`). */
  stdin: Uint8Array;
  /** The user's terminal (interactive lines): the stdin of programs whose stdin is not piped or redirected. */
  terminal?: TerminalInput;
  stdout(bytes: Uint8Array): void;
  stderr(bytes: Uint8Array): void;
  /** Int32Array[1]; non-zero asks the line to stop. Checked before every pipeline stage. */
  interrupt: Int32Array;
  /** The program called `name` (`python`, `cc`, `./x.wasm`, ...), or undefined if there is none. */
  resolveProgram(name: string, cwd: string, tree: FileTree): Program | undefined;
  /** Where programs report what they do (default: nowhere). */
  audit?: AuditSink;
  /** Python's packages from the host (python-packages.ts), for `python main.py` as for Run. */
  packages?: ProgramIo['packages'];
}

/** How a line ended. `status` is the last program's when it stopped the line (interrupt, OOM, crash). */
export interface ShellOutcome {
  exitCode: number;
  status: ProgramResult['status'];
  /** The working directory after the line (changed by `cd`), workspace-relative. */
  cwd: string;
  /** Exported variables after the line (changed by `export`, `unset`, `NAME=value` of an exported name). */
  env: Record<string, string>;
  /** Shell variables that are not exported, after the line. */
  vars: Record<string, string>;
}

/** Exit code of an unknown command, a missing program file, and a syntax error (by product spec). */
export const EXIT_NOT_FOUND = 127;
/** Exit code when a path names something that exists but is not a program. */
export const EXIT_CANNOT_EXECUTE = 126;
/** Exit code of a line stopped by an interrupt between stages (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

type Outcome = ProgramResult;

/** What one command runs with besides its streams. */
interface ExecScope {
  /** False inside a pipeline and under `env`: `cd`, `export` and `unset` then change nothing after. */
  alone: boolean;
  /** The environment the command sees. */
  env: Record<string, string>;
  variables: ShellVariables;
}

/** Statuses after which nothing more of the line may run. */
const FATAL: ReadonlySet<Outcome['status']> = new Set(['interrupted', 'oom', 'crashed']);

/** Parses and runs one line. Never throws: failures come back as an exit code and status. */
export async function runLine(line: string, ctx: ShellContext): Promise<ShellOutcome> {
  const start = resolvePath('', ctx.cwd);
  if (!start.ok) {
    writeLine(ctx.stderr, `isobox: working directory ${ctx.cwd}: ${start.error}`);
    return { exitCode: 1, status: 'error', cwd: '', env: { ...ctx.env }, vars: { ...ctx.vars } };
  }
  const parsed = parseLine(line);
  if (!parsed.ok) {
    writeLine(ctx.stderr, parsed.error);
    return { exitCode: EXIT_NOT_FOUND, status: 'error', cwd: start.path, env: { ...ctx.env }, vars: { ...ctx.vars } };
  }
  const shell = new Shell(ctx, start.path);
  try {
    return await shell.run(parsed.ast);
  } catch (error) {
    // A bug in the shell itself must not take the worker down with an unhandled rejection.
    writeLine(ctx.stderr, `isobox: internal error: ${describeError(error)}`);
    return shell.outcome(1, 'crashed');
  }
}

/** The state of one line being run: working directory, variables and `$?`. */
class Shell {
  private lastExitCode: number;
  private readonly variables: ShellVariables;
  /** Set by `exit N` outside a pipeline: the line ends after the current pipeline with N. */
  private exitRequested: number | undefined;

  constructor(
    private readonly ctx: ShellContext,
    public cwd: string,
  ) {
    this.lastExitCode = ctx.lastExitCode;
    this.variables = new ShellVariables(ctx.env, ctx.vars);
  }

  async run(ast: ShellAst): Promise<ShellOutcome> {
    let exitCode = 0;
    for (const { connector, pipeline } of ast.items) {
      if (connector === '&&' && this.lastExitCode !== 0) continue;
      if (connector === '||' && this.lastExitCode === 0) continue;
      const result = await this.pipeline(pipeline);
      if (FATAL.has(result.status)) return this.outcome(result.exitCode, result.status);
      exitCode = result.exitCode;
      this.lastExitCode = exitCode;
      if (this.exitRequested !== undefined) return this.outcome(exitCode, exitCode === 0 ? 'ok' : 'error');
    }
    return this.outcome(exitCode, exitCode === 0 ? 'ok' : 'error');
  }

  /** How the line ended, with the shell state it leaves behind. */
  outcome(exitCode: number, status: ShellOutcome['status']): ShellOutcome {
    return { exitCode, status, cwd: this.cwd, env: this.variables.exported(), vars: this.variables.shellOnly() };
  }

  private async pipeline(pipeline: Pipeline): Promise<Outcome> {
    const { commands } = pipeline;
    let stdin = this.ctx.stdin;
    let result: Outcome = { status: 'ok', exitCode: 0 };
    for (const [i, command] of commands.entries()) {
      if (Atomics.load(this.ctx.interrupt, 0) !== 0) return { status: 'interrupted', exitCode: EXIT_INTERRUPTED };
      const last = i === commands.length - 1;
      const piped: Uint8Array[] = [];
      // Copy: a runtime may hand us a view of memory it reuses for its next write.
      const stdout = last ? this.ctx.stdout : (bytes: Uint8Array) => void piped.push(bytes.slice());
      result = await this.command(command, { stdin, stdout, stderr: this.ctx.stderr }, commands.length === 1);
      if (FATAL.has(result.status)) return result;
      stdin = concat(piped);
    }
    return result;
  }

  /**
   * Expands, redirects and runs one command; `alone` is false inside a pipeline, where `cd`,
   * `export` and assignments have no effect on the shell (a subshell's, in sh).
   */
  private async command(command: Command, base: Fds, alone: boolean): Promise<Outcome> {
    // Assignments apply left to right (`A=1 B=$A`); words expand with the variables before them.
    const scope = { env: this.variables.all(), lastExitCode: this.lastExitCode };
    const args = expandWords(command.words, scope, { tree: this.ctx.tree, cwd: this.cwd });
    const assigned: Record<string, string> = {};
    const assignScope = { env: { ...scope.env }, lastExitCode: this.lastExitCode };
    for (const { name, value } of command.assignments) {
      assigned[name] = expandWord(value, assignScope);
      assignScope.env[name] = assigned[name];
    }
    const opened: OpenedFile[] = [];
    try {
      const fds = applyRedirects(command.redirects, base, scope, this.ctx.tree, this.cwd, opened);
      if (fds === undefined) return { status: 'error', exitCode: 1 };
      const [name, ...rest] = args;
      if (name === undefined) {
        // `NAME=value` alone sets a shell variable; only redirections (`> out.txt`) create or truncate files.
        if (alone) for (const [key, value] of Object.entries(assigned)) this.variables.set(key, value);
        return { status: 'ok', exitCode: 0 };
      }
      const variables = alone ? this.variables : this.variables.clone();
      const env = { ...variables.exported(), ...assigned };
      return await this.exec(name, rest, fds, { alone, env, variables });
    } finally {
      for (const file of opened) {
        const error = file.close();
        if (error !== undefined) writeLine(this.ctx.stderr, error);
      }
    }
  }

  private async exec(name: string, args: string[], fds: Fds, run: ExecScope): Promise<Outcome> {
    if (name === 'exit') return this.exit(args, fds, run.alone);
    if (name === 'env') {
      // `env [-i] [-u NAME] [NAME=VALUE...] [CMD ARG...]` runs CMD with that environment, like a new process.
      const parsed = parseEnvArgs(args, run.env);
      if (!parsed.ok) {
        writeLine(fds.stderr, parsed.error);
        return { status: 'error', exitCode: 125 };
      }
      if (parsed.command !== undefined) {
        const [cmd = '', ...cmdArgs] = parsed.command;
        return this.exec(cmd, cmdArgs, fds, { alone: false, env: parsed.env, variables: run.variables.clone() });
      }
      fds.stdout(new TextEncoder().encode(Object.entries(parsed.env).map(([key, value]) => `${key}=${value}\n`).join('')));
      return { status: 'ok', exitCode: 0 };
    }
    // A name with a slash (`./ls`) is a path, never a builtin.
    const builtin = name.includes('/') ? undefined : findBuiltin(name);
    if (builtin) {
      const exitCode = runBuiltin(name, builtin, args, {
        tree: this.ctx.tree,
        cwd: this.cwd,
        ...fds,
        chdir: (cwd) => {
          if (run.alone) this.cwd = cwd;
        },
        env: run.env,
        variables: run.variables,
        commandKind: (other) => this.commandKind(other),
      });
      return { status: exitCode === 0 ? 'ok' : 'error', exitCode };
    }
    try {
      const program = this.ctx.resolveProgram(name, this.cwd, this.ctx.tree);
      if (!program) return this.notFound(name, fds);
      return await program(this.ctx.tree, {
        args,
        // A copy, so a program cannot change the environment of the commands after it.
        env: { ...run.env },
        stdin: fds.stdin,
        // Still the line's own stdin: neither piped nor redirected, so it reads the terminal.
        ...(this.ctx.terminal && fds.stdin === this.ctx.stdin ? { terminal: this.ctx.terminal } : {}),
        cwd: this.cwd,
        stdout: fds.stdout,
        stderr: fds.stderr,
        audit: this.ctx.audit ?? NO_AUDIT,
        interrupt: this.ctx.interrupt,
        ...(this.ctx.packages ? { packages: this.ctx.packages } : {}),
      });
    } catch (error) {
      // Runtimes report their failures as results; a throw means the runtime itself broke.
      writeLine(fds.stderr, `isobox: ${name}: ${describeError(error)}`);
      return { status: 'crashed', exitCode: 1 };
    }
  }

  /** `exit [N]`: ends the line with N (default `$?`); inside a pipeline it ends only that stage, as a subshell. */
  private exit(args: string[], fds: Fds, alone: boolean): Outcome {
    const [arg, extra] = args;
    let code = this.lastExitCode;
    if (extra !== undefined) {
      writeLine(fds.stderr, 'exit: too many arguments');
      return { status: 'error', exitCode: 1 };
    }
    if (arg !== undefined) {
      if (!/^[+-]?[0-9]+$/.test(arg.trim())) {
        writeLine(fds.stderr, `exit: ${arg}: numeric argument required`);
        code = 2;
      } else {
        // Exit codes are 8 bits: `exit 256` is 0 and `exit -1` is 255, as in sh.
        code = ((Number(arg) % 256) + 256) % 256;
      }
    }
    if (alone) this.exitRequested = code;
    return { status: code === 0 ? 'ok' : 'error', exitCode: code };
  }

  /** What `name` would run, for `which`; the program resolver only looks, it does not start anything. */
  private commandKind(name: string): CommandKind | undefined {
    if (name === 'env' || name === 'exit' || (!name.includes('/') && findBuiltin(name))) return 'builtin';
    return this.ctx.resolveProgram(name, this.cwd, this.ctx.tree) ? 'program' : undefined;
  }

  /** sh's answers: unknown names are "command not found"; paths say what is wrong with the file. */
  private notFound(name: string, fds: Fds): Outcome {
    if (!name.includes('/')) {
      writeLine(fds.stderr, `isobox: command not found: ${name}`);
      return { status: 'error', exitCode: EXIT_NOT_FOUND };
    }
    const target = resolvePath(this.cwd, name);
    if (!target.ok || !this.ctx.tree.exists(target.path)) {
      writeLine(fds.stderr, `isobox: ${name}: ${target.ok ? 'No such file or directory' : target.error}`);
      return { status: 'error', exitCode: EXIT_NOT_FOUND };
    }
    const why = this.ctx.tree.isDir(target.path) ? 'Is a directory' : 'cannot execute: not a program (run .wasm files)';
    writeLine(fds.stderr, `isobox: ${name}: ${why}`);
    return { status: 'error', exitCode: EXIT_CANNOT_EXECUTE };
  }
}
