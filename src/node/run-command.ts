/** `isobox run FILE [ARGS…]`: runs one workspace file as a program. */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { normalizePath, WorkspaceError } from '../sandbox/fs/paths.ts';
import type { Workspace } from '../sandbox/fs/workspace.ts';
import { languageOfPath } from '../sandbox/host/filenames.ts';
import type { Language } from '../sandbox/protocol.ts';
import { UsageError, type CommonOptions } from './args.ts';
import { openSandbox, openWorkspace, runtimeOf, warmUp } from './session.ts';
import { runInTerminal } from './terminal.ts';
import { cliStdin, withTerminalInput } from './tty-stdin.ts';

export interface RunCommand {
  options: CommonOptions;
  file: string;
  args: string[];
  language?: Language;
}

/** Runs the file and resolves with the CLI's exit code. */
export async function runCommand(command: RunCommand): Promise<number> {
  const { options } = command;
  const workspace = await openWorkspace(options.workspace);
  const path = workspacePathOf(command.file, options.workspace);
  const language = command.language ?? languageOfPath(path);
  if (!language) throw new UsageError(`cannot tell the language of ${command.file} from its extension; pass --lang (python, ruby, c, cpp or wasm)`);
  // A WASI binary runs from the workspace by path; every other language gets its source text.
  const code = language === 'wasm' ? await requireFile(workspace, path, command.file) : await readSource(workspace, path, command.file);
  const input = await cliStdin();

  const sandbox = openSandbox(workspace, options);
  try {
    await warmUp(sandbox, [runtimeOf(language)]);
    return await runInTerminal(
      sandbox,
      (onOutput) => withTerminalInput(sandbox, input, () => sandbox.run({ language, code, filename: path, args: command.args, ...input, timeoutMs: options.timeoutMs, onOutput })),
      options,
    );
  } finally {
    await sandbox.dispose();
  }
}

/**
 * FILE as a workspace path. A relative FILE is relative to the workspace; an absolute one must
 * lie inside it. `..` and links out of the workspace are refused (by the workspace itself).
 */
export function workspacePathOf(file: string, workspaceDir: string): string {
  let candidate = file;
  if (isAbsolute(file)) {
    candidate = relative(realOrSelf(workspaceDir), realOrSelf(file));
    if (candidate === '' || candidate.startsWith('..') || isAbsolute(candidate)) {
      throw new UsageError(`${file} is not inside the workspace ${workspaceDir}`);
    }
    candidate = candidate.split(sep).join('/');
  }
  try {
    const path = normalizePath(candidate);
    if (path === '') throw new UsageError(`${file} is the workspace itself, not a file`);
    return path;
  } catch (error) {
    if (error instanceof WorkspaceError) throw new UsageError(`cannot run ${file}: ${error.message}`);
    throw error;
  }
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

async function readSource(workspace: Workspace, path: string, shown: string): Promise<string> {
  try {
    return await workspace.readText(path);
  } catch (error) {
    throw cannotOpen(error, shown);
  }
}

async function requireFile(workspace: Workspace, path: string, shown: string): Promise<string> {
  let exists: boolean;
  try {
    exists = await workspace.exists(path);
  } catch (error) {
    throw cannotOpen(error, shown);
  }
  if (!exists) throw new UsageError(`cannot open ${shown}: no such file or directory`);
  return path;
}

function cannotOpen(error: unknown, shown: string): unknown {
  if (!(error instanceof WorkspaceError)) return error;
  // Workspace messages end in `: <path>`; the file is named once, as the user typed it.
  const reason = error.message.replace(/: [^:]*$/, '');
  return new UsageError(`cannot open ${shown}: ${reason}`);
}
