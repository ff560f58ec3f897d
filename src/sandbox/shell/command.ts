/**
 * The shape of a shell builtin and the small helpers builtins share (options, output, paths).
 * Builtins are synchronous: every FileTree operation is, and it keeps them trivially testable.
 */
import { parentOf } from '../fs/paths.ts';
import type { FileTree } from '../worker/tree.ts';

/** What a builtin runs with: the workspace, the shell's cwd, and its (possibly redirected) streams. */
export interface BuiltinIo {
  tree: FileTree;
  /** Workspace-relative working directory (`` is `/workspace`). */
  cwd: string;
  stdin: Uint8Array;
  stdout(bytes: Uint8Array): void;
  stderr(bytes: Uint8Array): void;
  /** Changes the shell's working directory; only `cd` calls it. */
  chdir(cwd: string): void;
}

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
