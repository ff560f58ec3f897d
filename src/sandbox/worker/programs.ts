import { resolvePath } from '../shell/paths.ts';
import type { Program, ProgramIo, ProgramResult } from '../runtimes/runtime.ts';
import type { Runtimes } from './runtimes.ts';
import type { FileTree } from './tree.ts';

const encoder = new TextEncoder();

function fail(io: ProgramIo, message: string, exitCode = 2): ProgramResult {
  io.stderr(encoder.encode(`${message}\n`));
  return { status: 'error', exitCode };
}

/** Reads a script named on a command line, relative to the working directory. */
function readScript(tree: FileTree, io: ProgramIo, tool: string, name: string): { path: string; code: string } | ProgramResult {
  const resolved = resolvePath(io.cwd, name);
  if (!resolved.ok) return fail(io, `${tool}: ${name}: ${resolved.error}`);
  if (!tree.isFile(resolved.path)) return fail(io, `${tool}: can't open file '${name}': No such file or directory`);
  return { path: resolved.path, code: tree.readText(resolved.path) };
}

/** `python FILE [ARGS…]` and `python -c CODE [ARGS…]`. */
function pythonProgram(runtimes: Runtimes): Program {
  return async (tree, io) => {
    const [first, ...rest] = io.args;
    if (first === undefined) return fail(io, 'python: no interactive prompt here; run a file (python main.py) or code (python -c "print(1)")');
    if (first === '-c') {
      const [code, ...args] = rest;
      if (code === undefined) return fail(io, 'python: -c needs code, e.g. python -c "print(1)"');
      return runtimes.python.run(tree, { ...io, args }, code, '<string>');
    }
    const script = readScript(tree, io, 'python', first);
    if ('status' in script) return script;
    return runtimes.python.run(tree, { ...io, args: rest }, script.code, script.path);
  };
}

/**
 * Finds the program a shell command names: a language tool (`python`, …) or a `.wasm` file.
 * Builtins (`ls`, `cat`, …) are the shell's own and never reach here.
 */
export function createProgramResolver(runtimes: Runtimes): (name: string, cwd: string, tree: FileTree) => Program | undefined {
  const python = pythonProgram(runtimes);
  const tools: Record<string, Program> = { python, python3: python };
  return (name) => tools[name];
}
