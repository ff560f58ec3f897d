/** Builtins that change the workspace: `mkdir`, `rm`, `mv`, `cp`, with coreutils' messages. */
import { baseName, joinPath } from '../fs/paths.ts';
import type { FileTree } from '../worker/tree.ts';
import { type Builtin, type BuiltinIo, parentProblem, parseOptions, writeLine } from './command.ts';
import { describeError, resolvePath } from './paths.ts';

/** `mkdir [-p] DIR...`: without -p the parent must exist and DIR must not. */
export const mkdir: Builtin = (args, io) => {
  const opts = parseOptions('mkdir', args, 'p');
  if (!opts.ok) return usage(io, opts.error);
  if (opts.operands.length === 0) return usage(io, 'mkdir: missing operand');
  const parents = opts.flags.has('p');
  let status = 0;
  for (const operand of opts.operands) {
    const fail = (reason: string): void => {
      writeLine(io.stderr, `mkdir: cannot create directory '${operand}': ${reason}`);
      status = 1;
    };
    const target = resolvePath(io.cwd, operand);
    if (!target.ok) {
      fail(target.error);
      continue;
    }
    if (io.tree.isFile(target.path) || (io.tree.isDir(target.path) && !parents)) {
      fail('File exists');
      continue;
    }
    const problem = target.path === '' ? undefined : parentProblem(io.tree, target.path);
    if (problem === 'Not a directory' || (problem && !parents)) {
      fail(problem);
      continue;
    }
    io.tree.mkdir(target.path);
  }
  return status;
};

/** `rm [-r] [-f] PATH...`: directories need -r; -f silences missing paths. */
export const rm: Builtin = (args, io) => {
  const opts = parseOptions('rm', args, 'rRf');
  if (!opts.ok) return usage(io, opts.error);
  const force = opts.flags.has('f');
  const recursive = opts.flags.has('r') || opts.flags.has('R');
  if (opts.operands.length === 0) return force ? 0 : usage(io, 'rm: missing operand');
  let status = 0;
  for (const operand of opts.operands) {
    const fail = (reason: string): void => {
      writeLine(io.stderr, `rm: cannot remove '${operand}': ${reason}`);
      status = 1;
    };
    const target = resolvePath(io.cwd, operand);
    if (!target.ok) fail(target.error);
    else if (target.path === '') {
      writeLine(io.stderr, `rm: refusing to remove the workspace root: skipping '${operand}'`);
      status = 1;
    } else if (io.tree.isDir(target.path) && !recursive) fail('Is a directory');
    else if (io.tree.exists(target.path)) io.tree.remove(target.path);
    else if (!force) fail('No such file or directory');
  }
  return status;
};

/** `mv SRC... DEST`: into DEST when it is a directory, else renames SRC to DEST. */
export const mv: Builtin = (args, io) => transfer('mv', args, io);

/** `cp [-r] SRC... DEST`: like `mv` but copies; directories need -r. */
export const cp: Builtin = (args, io) => transfer('cp', args, io);

function usage(io: BuiltinIo, message: string): number {
  writeLine(io.stderr, message);
  return 1;
}

/** Shared by `mv` and `cp`: they differ only in flags, in `-r` for directories and in the last step. */
function transfer(name: 'mv' | 'cp', args: string[], io: BuiltinIo): number {
  const opts = parseOptions(name, args, name === 'cp' ? 'rRf' : 'f');
  if (!opts.ok) return usage(io, opts.error);
  const operands = opts.operands;
  const dest = operands.at(-1);
  if (dest === undefined) return usage(io, `${name}: missing file operand`);
  const sources = operands.slice(0, -1);
  if (sources.length === 0) return usage(io, `${name}: missing destination file operand after '${dest}'`);
  const destPath = resolvePath(io.cwd, dest);
  if (!destPath.ok) return usage(io, `${name}: target '${dest}': ${destPath.error}`);
  const intoDir = io.tree.isDir(destPath.path);
  if (sources.length > 1 && !intoDir) return usage(io, `${name}: target '${dest}' is not a directory`);
  const recursive = opts.flags.has('r') || opts.flags.has('R');
  let status = 0;
  for (const source of sources) {
    const error = transferOne(name, io.tree, io.cwd, source, dest, destPath.path, intoDir, recursive);
    if (error !== undefined) {
      writeLine(io.stderr, `${name}: ${error}`);
      status = 1;
    }
  }
  return status;
}

/** Moves or copies one source; returns the error message (without the command name), if any. */
function transferOne(
  name: 'mv' | 'cp',
  tree: FileTree,
  cwd: string,
  source: string,
  dest: string,
  destPath: string,
  intoDir: boolean,
  recursive: boolean,
): string | undefined {
  const from = resolvePath(cwd, source);
  if (!from.ok) return `cannot stat '${source}': ${from.error}`;
  if (!tree.exists(from.path)) return `cannot stat '${source}': No such file or directory`;
  if (from.path === '') return `cannot ${name === 'mv' ? 'move' : 'copy'} the workspace root '${source}'`;
  const isDir = tree.isDir(from.path);
  if (isDir && name === 'cp' && !recursive) return `-r not specified; omitting directory '${source}'`;
  const target = intoDir ? joinPath(destPath, baseName(from.path)) : destPath;
  const shown = intoDir ? `${dest.replace(/\/+$/, '')}/${baseName(from.path)}` : dest;
  if (target === from.path) return `'${source}' and '${shown}' are the same file`;
  if (isDir && target.startsWith(`${from.path}/`)) {
    return name === 'mv'
      ? `cannot move '${source}' to a subdirectory of itself, '${shown}'`
      : `cannot copy a directory, '${source}', into itself, '${shown}'`;
  }
  if (isDir && tree.isFile(target)) return `cannot overwrite non-directory '${shown}' with directory '${source}'`;
  if (!isDir && tree.isDir(target)) return `cannot overwrite directory '${shown}' with non-directory`;
  const problem = parentProblem(tree, target);
  if (problem) {
    return name === 'mv'
      ? `cannot move '${source}' to '${shown}': ${problem}`
      : `cannot create ${isDir ? 'directory' : 'regular file'} '${shown}': ${problem}`;
  }
  try {
    if (name === 'cp') return copy(tree, from.path, target, shown);
    if (isDir && tree.isDir(target)) {
      // Like rename(2): an empty directory may be replaced, a full one may not.
      if (tree.list(target).length > 0) return `cannot move '${source}' to '${shown}': Directory not empty`;
      tree.remove(target);
    }
    tree.rename(from.path, target);
    return undefined;
  } catch (error) {
    return `cannot ${name === 'mv' ? 'move' : 'copy'} '${source}' to '${shown}': ${describeError(error)}`;
  }
}

/** Copies a file, or a directory recursively (merging into an existing one, as `cp -r` does). */
function copy(tree: FileTree, from: string, to: string, shown: string): string | undefined {
  if (tree.isFile(from)) {
    // Sharing the array is safe: FileTree writers replace arrays, never mutate them.
    tree.writeFile(to, tree.readFile(from));
    return undefined;
  }
  const prefix = `${from}/`;
  // Snapshot first: the loop writes into the tree it reads.
  // Sorted so a parent is made (and checked for a file in the way) before its children.
  const dirs = [...tree.allDirs()].filter((dir) => dir.startsWith(prefix)).sort();
  const files = [...tree.allFiles()].filter(([path]) => path.startsWith(prefix));
  tree.mkdir(to);
  for (const dir of dirs) {
    const path = to + dir.slice(from.length);
    if (tree.isFile(path)) return `cannot overwrite non-directory '${shown}${dir.slice(from.length)}' with directory`;
    tree.mkdir(path);
  }
  for (const [file, data] of files) {
    const path = to + file.slice(from.length);
    if (tree.isDir(path)) return `cannot overwrite directory '${shown}${file.slice(from.length)}' with non-directory`;
    tree.writeFile(path, data);
  }
  return undefined;
}

/** `touch [-c] FILE...`: creates missing files empty; existing files and directories are left as they are. */
export const touch: Builtin = (args, io) => {
  const opts = parseOptions('touch', args, 'cam');
  if (!opts.ok) return usage(io, opts.error);
  if (opts.operands.length === 0) return usage(io, 'touch: missing file operand');
  let status = 0;
  for (const operand of opts.operands) {
    const target = resolvePath(io.cwd, operand);
    const problem = !target.ok ? target.error : target.path === '' || io.tree.exists(target.path) ? undefined : parentProblem(io.tree, target.path);
    if (problem !== undefined) {
      writeLine(io.stderr, `touch: cannot touch '${operand}': ${problem}`);
      status = 1;
    } else if (target.ok && !io.tree.exists(target.path) && !opts.flags.has('c')) {
      io.tree.writeFile(target.path, new Uint8Array(0), false);
    }
  }
  return status;
};
