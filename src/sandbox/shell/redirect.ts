/**
 * Redirections of one command, applied left to right as in sh, so `> f 2>&1` sends both streams
 * to `f` while `2>&1 > f` sends stderr where stdout pointed before. Output files are opened
 * (created or truncated) before the command runs and written to the FileTree once it ends.
 */
import type { FileTree } from '../worker/tree.ts';
import { concat, parentProblem, writeLine } from './command.ts';
import { type ExpansionScope, expandWord } from './expand.ts';
import type { Redirect } from './parser.ts';
import { describeError, resolvePath } from './paths.ts';

/** A sink for output bytes. */
export type Stream = (bytes: Uint8Array) => void;

/** The streams a command runs with. */
export interface Fds {
  stdin: Uint8Array;
  /** Set when stdin was redirected from a workspace file (`< f`): then it is a regular file, not a pipe. */
  stdinIsFile?: boolean;
  stdout: Stream;
  stderr: Stream;
}

/** An output file collecting a command's writes; `close` stores them and returns an error message, if any. */
export interface OpenedFile {
  close(): string | undefined;
}

/** sh programs write `2>/dev/null` out of habit; it is the one path outside the workspace we honour. */
const DEV_NULL = '/dev/null';

/**
 * Applies `redirects` on top of `base`. Files opened are pushed to `opened` (close them after the
 * command, even if it failed). On a bad target it writes `isobox: TARGET: reason` to the stderr in
 * effect at that point and returns undefined: the command must not run (exit 1).
 */
export function applyRedirects(
  redirects: Redirect[],
  base: Fds,
  scope: ExpansionScope,
  tree: FileTree,
  cwd: string,
  opened: OpenedFile[],
): Fds | undefined {
  const fds: Fds = { ...base };
  const fail = (target: string, reason: string): undefined => {
    writeLine(fds.stderr, `isobox: ${target}: ${reason}`);
    return undefined;
  };
  for (const redirect of redirects) {
    if (redirect.kind === 'dup') {
      const stream = redirect.to === 1 ? fds.stdout : fds.stderr;
      if (redirect.fd === 1) fds.stdout = stream;
      else fds.stderr = stream;
      continue;
    }
    const text = expandWord(redirect.target, scope);
    if (text === '') return fail("''", 'ambiguous redirect (empty file name)');
    if (text === DEV_NULL) {
      if (redirect.kind === 'read') {
        fds.stdin = new Uint8Array(0);
        fds.stdinIsFile = false;
      }
      else if (redirect.fd === 1) fds.stdout = () => {};
      else fds.stderr = () => {};
      continue;
    }
    const target = resolvePath(cwd, text);
    if (!target.ok) return fail(text, target.error);
    if (redirect.kind === 'read') {
      try {
        fds.stdin = tree.readFile(target.path);
        fds.stdinIsFile = true;
      } catch (error) {
        return fail(text, describeError(error));
      }
      continue;
    }
    const file = openOutput(tree, target.path, redirect.append);
    if (typeof file === 'string') return fail(text, file);
    opened.push(file);
    if (redirect.fd === 1) fds.stdout = file.write;
    else fds.stderr = file.write;
  }
  return fds;
}

/** Opens an output file like open(2) with O_CREAT (and O_TRUNC for `>`); returns the reason on failure. */
function openOutput(tree: FileTree, path: string, append: boolean): (OpenedFile & { write: Stream }) | string {
  if (tree.isDir(path)) return 'Is a directory';
  const problem = parentProblem(tree, path);
  if (problem !== undefined) return problem;
  try {
    if (!append || !tree.isFile(path)) tree.writeFile(path, new Uint8Array(0), false);
  } catch (error) {
    return describeError(error);
  }
  const chunks: Uint8Array[] = [];
  return {
    // Copy: a runtime may reuse the buffer it handed us.
    write: (bytes) => void chunks.push(bytes.slice()),
    close: () => {
      if (chunks.length === 0) return undefined;
      try {
        // Read at close, like O_APPEND: writes the program made to the file meanwhile are kept.
        const head = append && tree.isFile(path) ? [tree.readFile(path)] : [];
        tree.writeFile(path, concat([...head, ...chunks]), false);
        return undefined;
      } catch (error) {
        return `isobox: ${path}: ${describeError(error)}`;
      }
    },
  };
}
