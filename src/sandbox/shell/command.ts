/**
 * The shape of a shell builtin and the small helpers builtins share (options, output, paths).
 * Builtins are synchronous: every FileTree operation is, and it keeps them trivially testable.
 */
import { parentOf } from '../fs/paths.ts';
import type { FileTree } from '../worker/tree.ts';
import { resolvePath } from './paths.ts';
import type { ShellVariables } from './variables.ts';

/** What a builtin runs with: the workspace, the shell's cwd, and its (possibly redirected) streams. */
export interface BuiltinIo {
  tree: FileTree;
  /** Workspace-relative working directory (`` is `/workspace`). */
  cwd: string;
  stdin: Uint8Array;
  /** Whether stdin is a regular file (`< f`) rather than a pipe or the terminal; `wc` sizes its columns by it. */
  stdinIsFile?: boolean;
  stdout(bytes: Uint8Array): void;
  stderr(bytes: Uint8Array): void;
  /** Changes the shell's working directory; only `cd` calls it. */
  chdir(cwd: string): void;
  /** The environment this command sees: exported variables plus its own `NAME=value` prefixes. */
  env: Record<string, string>;
  /** The shell's variables, for `export` and `unset` (a throwaway copy inside a pipeline, as in a subshell). */
  variables: ShellVariables;
  /** What a command name runs: a shell builtin, a program, or nothing the shell knows. */
  commandKind(name: string): CommandKind | undefined;
}

/** What a command name runs. */
export type CommandKind = 'builtin' | 'program';

/** A builtin command: arguments without its own name in, exit code out. */
export type Builtin = (args: string[], io: BuiltinIo) => number;

/** Options (single letters, combinable: `-rf`) and operands, in any order; `--` ends options. */
export type ParsedOptions = { ok: true; flags: Set<string>; operands: string[] } | { ok: false; error: string };

const encoder = new TextEncoder();

/** Encodes text for a stream. */
export function encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Writes one line of text (a newline is added) to a stream. */
export function writeLine(stream: (bytes: Uint8Array) => void, text: string): void {
  stream(encoder.encode(`${text}\n`));
}

/** Parses GNU-style short options; `allowed` lists the letters the command accepts. */
export function parseOptions(name: string, args: string[], allowed: string): ParsedOptions {
  const flags = new Set<string>();
  const operands: string[] = [];
  let optionsDone = false;
  for (const arg of args) {
    if (optionsDone || arg === '-' || !arg.startsWith('-')) {
      operands.push(arg);
    } else if (arg === '--') {
      optionsDone = true;
    } else if (arg.startsWith('--')) {
      return { ok: false, error: `${name}: unrecognized option '${arg}'` };
    } else {
      for (const letter of arg.slice(1)) {
        if (!allowed.includes(letter)) return { ok: false, error: `${name}: invalid option -- '${letter}'` };
        flags.add(letter);
      }
    }
  }
  return { ok: true, flags, operands };
}

/**
 * Why a file cannot be created at `path`: its parent is missing, or some ancestor is a file.
 * FileTree creates parents on its own and does not check ancestors, so builtins ask first.
 */
export function parentProblem(tree: FileTree, path: string): string | undefined {
  for (let dir = parentOf(path); dir !== ''; dir = parentOf(dir)) {
    if (tree.isFile(dir)) return 'Not a directory';
  }
  return tree.isDir(parentOf(path)) ? undefined : 'No such file or directory';
}

/** Joins byte chunks into one array (the only chunk itself when there is one). */
export function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(chunks.reduce((n, chunk) => n + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Options that take a value (`-n 5`, `-n5`) besides single-letter flags, GNU-style. */
export type ParsedValueOptions =
  | { ok: true; flags: Set<string>; values: Map<string, string>; repeated: Map<string, string[]>; operands: string[] }
  | { ok: false; error: string };

/**
 * Like `parseOptions`, plus letters in `valued` that take the rest of the word or the next word
 * as their value (the last one given wins). A bare number `-N` is returned as the value of
 * `numberAs` when given (`head -5` is `head -n 5`). `repeated` keeps every value (`grep -e A -e B`).
 */
export function parseValueOptions(name: string, args: string[], allowed: string, valued: string, numberAs?: string): ParsedValueOptions {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const repeated = new Map<string, string[]>();
  const operands: string[] = [];
  let optionsDone = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (optionsDone || arg === '-' || !arg.startsWith('-')) {
      operands.push(arg);
      continue;
    }
    if (arg === '--') {
      optionsDone = true;
      continue;
    }
    if (arg.startsWith('--')) return { ok: false, error: `${name}: unrecognized option '${arg}'` };
    if (numberAs !== undefined && /^-[0-9]+$/.test(arg)) {
      values.set(numberAs, arg.slice(1));
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j] as string;
      if (valued.includes(letter)) {
        const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
        if (value === undefined) return { ok: false, error: `${name}: option requires an argument -- '${letter}'` };
        values.set(letter, value);
        repeated.set(letter, [...(repeated.get(letter) ?? []), value]);
        break;
      }
      if (!allowed.includes(letter)) return { ok: false, error: `${name}: invalid option -- '${letter}'` };
      flags.add(letter);
    }
  }
  return { ok: true, flags, values, repeated, operands };
}

/** The bytes an operand names: `-` is stdin, anything else a workspace file; or why it cannot be read. */
export function readInput(io: BuiltinIo, operand: string): { ok: true; data: Uint8Array } | { ok: false; reason: string } {
  if (operand === '-') return { ok: true, data: io.stdin };
  const target = resolvePath(io.cwd, operand);
  if (!target.ok) return { ok: false, reason: target.error };
  if (io.tree.isDir(target.path)) return { ok: false, reason: 'Is a directory' };
  if (!io.tree.isFile(target.path)) return { ok: false, reason: 'No such file or directory' };
  return { ok: true, data: io.tree.readFile(target.path) };
}

const decoder = new TextDecoder();

/** Decodes bytes as UTF-8 text (invalid sequences become U+FFFD). */
export function decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Splits text into lines without their `\n`; a last line without one still counts. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

/** Writes lines, each ending with `\n`. */
export function writeLines(stream: (bytes: Uint8Array) => void, lines: readonly string[]): void {
  if (lines.length > 0) stream(encoder.encode(`${lines.join('\n')}\n`));
}
