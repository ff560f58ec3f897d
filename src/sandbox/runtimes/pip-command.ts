import type { FileTree } from '../worker/tree.ts';
import type { ProgramIo, ProgramResult } from './runtime.ts';

type RunPython = (tree: FileTree, io: ProgramIo, code: string, filename: string) => Promise<ProgramResult>;

const USAGE = 'usage: pip install NAME... (pure-Python wheels from the PyPI index, after you allow them)';

/**
 * `pip install NAME...` (also `pip3`, `%pip`) in the shell: a tiny Python program calling Isobox's
 * micropip, so the names go through the same path as `micropip.install` in user code: the host
 * asks, downloads and verifies the wheels, and the worker installs them. Nothing else of pip exists.
 */
export async function pipCommand(tool: string, tree: FileTree, io: ProgramIo, runPython: RunPython): Promise<ProgramResult> {
  const [command, ...rest] = io.args;
  const names = rest.filter((arg) => !['-q', '--quiet', '-U', '--upgrade', '--no-deps'].includes(arg));
  const fail = (text: string): ProgramResult => {
    io.stderr(new TextEncoder().encode(`${tool}: ${text}\n`));
    return { status: 'error', exitCode: 2 };
  };
  if (command !== 'install') return fail(command === undefined ? USAGE : `"${command}" is not supported here; ${USAGE}`);
  const option = names.find((name) => name.startsWith('-'));
  if (option !== undefined) return fail(`option ${option} is not supported here; ${USAGE}`);
  if (names.length === 0) return fail(`install needs a package name; ${USAGE}`);
  const list = JSON.stringify(names);
  const code = [
    'import micropip',
    `micropip.install(${list})`,
    'from importlib.metadata import distribution as _d',
    `print("Successfully installed " + " ".join(_d(n).metadata["Name"] + "-" + _d(n).version for n in ${list}))`,
    '',
  ].join('\n');
  return runPython(tree, { ...io, args: [] }, code, '<pip>');
}
