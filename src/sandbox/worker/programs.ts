import { resolvePath } from '../shell/paths.ts';
import { pipCommand } from '../runtimes/pip-command.ts';
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

/** A script runner as a shell program: `TOOL FILE [ARGS…]` or `TOOL FLAG CODE [ARGS…]` (python -c, ruby -e). */
function scriptProgram(tool: string, flag: string, example: { file: string; code: string }, run: (tree: FileTree, io: ProgramIo, code: string, filename: string) => Promise<ProgramResult>): Program {
  return async (tree, io) => {
    const [first, ...rest] = io.args;
    if (first === undefined) return fail(io, `${tool}: no interactive prompt here; run a file (${tool} ${example.file}) or code (${tool} ${flag} ${JSON.stringify(example.code)})`);
    if (first === flag) {
      const [code, ...args] = rest;
      if (code === undefined) return fail(io, `${tool}: ${flag} needs code, e.g. ${tool} ${flag} ${JSON.stringify(example.code)}`);
      return run(tree, { ...io, args }, code, flag === '-c' ? '<string>' : flag);
    }
    const script = readScript(tree, io, tool, first);
    if ('status' in script) return script;
    return run(tree, { ...io, args: rest }, script.code, script.path);
  };
}

/** `cc`/`c++` with clang's arguments: compiles to a WASI binary in the workspace. */
function compilerProgram(runtimes: Runtimes, cxx: boolean): Program {
  return (tree, io) => {
    if (io.args.length === 0) return Promise.resolve(fail(io, `${cxx ? 'c++' : 'cc'}: no input files (e.g. ${cxx ? 'c++ main.cpp -o main.wasm' : 'cc main.c -o main.wasm'})`, 1));
    return runtimes.clang.compile(tree, io, io.args, cxx);
  };
}

/** `./prog.wasm ARGS…`: a WASI binary from the workspace. */
function wasmProgram(runtimes: Runtimes, path: string, argv0: string): Program {
  return (tree, io) => runtimes.wasi(tree, io, tree.readFile(path), argv0);
}

/**
 * Finds the program a shell command names: a language tool (`python`, `ruby`, `cc`, …) or a
 * WebAssembly file given by path. Builtins (`ls`, `cat`, …) are the shell's own and never reach here.
 */
export function createProgramResolver(runtimes: Runtimes): (name: string, cwd: string, tree: FileTree) => Program | undefined {
  const python = scriptProgram('python', '-c', { file: 'main.py', code: 'print(1)' }, (...a) => runtimes.python.run(...a));
  const ruby = scriptProgram('ruby', '-e', { file: 'main.rb', code: 'puts 1' }, (...a) => runtimes.ruby.run(...a));
  const cc = compilerProgram(runtimes, false);
  const cxx = compilerProgram(runtimes, true);
  const pip = (tool: string): Program => (tree, io) => pipCommand(tool, tree, io, (...a) => runtimes.python.run(...a));
  const tools: Record<string, Program> = { python, python3: python, ruby, cc, gcc: cc, clang: cc, 'c++': cxx, 'g++': cxx, 'clang++': cxx, pip: pip('pip'), pip3: pip('pip3'), '%pip': pip('%pip') };
  return (name, cwd, tree) => {
    if (Object.hasOwn(tools, name)) return tools[name];
    if (!name.includes('/')) return undefined;
    const resolved = resolvePath(cwd, name);
    if (!resolved.ok || !tree.isFile(resolved.path)) return undefined;
    const bytes = tree.readFile(resolved.path);
    // Only WebAssembly binaries (magic "\0asm") are programs.
    if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) return undefined;
    return wasmProgram(runtimes, resolved.path, name);
  };
}
