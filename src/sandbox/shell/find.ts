/**
 * `find [PATH...] [TEST...]`: walks the workspace and prints the paths every test accepts. Tests:
 * `-name PAT`, `-iname PAT`, `-path PAT`, `-type f|d`, `-maxdepth N`, `-mindepth N`, `! TEST`,
 * `-not TEST`, `-print`. Entries are listed in name order (GNU find uses the directory's order).
 */
import { baseName, joinPath } from '../fs/paths.ts';
import { type Builtin, type BuiltinIo, writeLine, writeLines } from './command.ts';
import { resolvePath } from './paths.ts';

interface Entry {
  /** The path as printed: the start operand, then names joined by `/`. */
  shown: string;
  path: string;
  kind: 'file' | 'dir';
  depth: number;
}

type Test = (entry: Entry) => boolean;

interface FindOptions {
  tests: Test[];
  maxDepth: number;
  minDepth: number;
}

/** A character that must match itself in a regex. */
function literal(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** A shell pattern (`*.py`, `data?.csv`, `[ab]*`) as a regex over a whole name. */
function patternRegex(pattern: string, ignoreCase: boolean): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '\\' && i + 1 < pattern.length) source += literal(pattern[++i] as string);
    else if (c === '[' && pattern.indexOf(']', i + 2) > 0) {
      const end = pattern.indexOf(']', i + 2);
      const body = pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
      source += `[${body}]`;
      i = end;
    } else source += literal(c);
  }
  try {
    return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
  } catch {
    return /(?!)/;
  }
}

/** Parses the tests after the start paths; a string is the error message. */
function parseTests(words: string[]): FindOptions | string {
  const options: FindOptions = { tests: [], maxDepth: Infinity, minDepth: 0 };
  let negate = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === '!' || word === '-not') {
      negate = !negate;
      continue;
    }
    if (word === '-print' || word === '-a' || word === '-and') continue;
    if (word === '-o' || word === '-or' || word === '(' || word === ')') return `find: '${word}' is not supported here (tests are joined by "and"; run find twice instead)`;
    const value = words[++i];
    if (value === undefined) return `find: missing argument to '${word}'`;
    let test: Test;
    switch (word) {
      case '-name':
      case '-iname': {
        const regex = patternRegex(value, word === '-iname');
        test = (entry) => regex.test(baseName(entry.shown.replace(/\/+$/, '')) || entry.shown);
        break;
      }
      case '-path':
      case '-ipath': {
        const regex = patternRegex(value, word === '-ipath');
        test = (entry) => regex.test(entry.shown);
        break;
      }
      case '-type':
        if (value !== 'f' && value !== 'd') return `find: unknown argument to -type: ${value} (the workspace has files (f) and directories (d))`;
        test = (entry) => entry.kind === (value === 'f' ? 'file' : 'dir');
        break;
      case '-maxdepth':
      case '-mindepth': {
        if (!/^[0-9]+$/.test(value)) return `find: invalid argument '${value}' to '${word}'`;
        if (word === '-maxdepth') options.maxDepth = Number(value);
        else options.minDepth = Number(value);
        continue;
      }
      default:
        return `find: unknown predicate '${word}'`;
    }
    const wanted = !negate;
    options.tests.push((entry) => test(entry) === wanted);
    negate = false;
  }
  return options;
}

/** The start entry and everything below it to `maxDepth`, parents before children. */
function walk(io: BuiltinIo, start: Entry, maxDepth: number): Entry[] {
  const out: Entry[] = [start];
  if (start.kind !== 'dir' || start.depth >= maxDepth) return out;
  for (const child of io.tree.list(start.path)) {
    const shown = start.shown.endsWith('/') ? `${start.shown}${child.name}` : `${start.shown}/${child.name}`;
    out.push(...walk(io, { shown, path: joinPath(start.path, child.name), kind: child.kind, depth: start.depth + 1 }, maxDepth));
  }
  return out;
}

export const find: Builtin = (args, io) => {
  const firstTest = args.findIndex((arg) => arg.startsWith('-') || arg === '!' || arg === '(');
  const starts = firstTest < 0 ? args : args.slice(0, firstTest);
  const options = parseTests(firstTest < 0 ? [] : args.slice(firstTest));
  if (typeof options === 'string') {
    writeLine(io.stderr, options);
    return 1;
  }
  let status = 0;
  const printed: string[] = [];
  for (const start of starts.length > 0 ? starts : ['.']) {
    const target = resolvePath(io.cwd, start);
    if (!target.ok || !io.tree.exists(target.path)) {
      writeLine(io.stderr, `find: '${start}': ${target.ok ? 'No such file or directory' : target.error}`);
      status = 1;
      continue;
    }
    const root: Entry = { shown: start, path: target.path, kind: io.tree.isDir(target.path) ? 'dir' : 'file', depth: 0 };
    for (const entry of walk(io, root, options.maxDepth)) {
      if (entry.depth >= options.minDepth && options.tests.every((test) => test(entry))) printed.push(entry.shown);
    }
  }
  writeLines(io.stdout, printed);
  return status;
};
