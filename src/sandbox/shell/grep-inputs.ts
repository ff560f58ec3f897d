/**
 * What `grep` searches: its operands (directories walked with -r, in name order), stdin when
 * there are none, filtered by `--include`, `--exclude` and `--exclude-dir` (GNU long options
 * agents type; `--color` is accepted and ignored).
 */
import { joinPath } from '../fs/paths.ts';
import { type BuiltinIo, readInput } from './command.ts';
import { escapeFixed } from './grep-regex.ts';
import { resolvePath } from './paths.ts';

/** One input to search: what to call it in output, and its bytes (or why they could not be read). */
export type Input = { label: string; data: Uint8Array } | { label: string; error: string };

/** GNU long options agents type, taken out before the short ones are parsed. */
export interface LongOptions {
  args: string[];
  include: RegExp[];
  exclude: RegExp[];
  excludeDir: RegExp[];
}

/** A file-name glob (`*.py`) as a regex over a base name. */
function globRegex(glob: string): RegExp {
  const source = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeFixed(c))).join('');
  return new RegExp(`^${source}$`, 's');
}

/** Takes `--include=GLOB`, `--exclude=GLOB`, `--exclude-dir=GLOB` and `--color[=WHEN]` (ignored) out of `args`. */
export function longOptions(args: string[]): LongOptions {
  const out: LongOptions = { args: [], include: [], exclude: [], excludeDir: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      out.args.push(...args.slice(i));
      break;
    }
    const match = /^--(include|exclude|exclude-dir)(?:=(.*))?$/s.exec(arg);
    if (match) {
      const value = match[2] ?? args[++i] ?? '';
      const list = match[1] === 'include' ? out.include : match[1] === 'exclude' ? out.exclude : out.excludeDir;
      list.push(globRegex(value));
    } else if (!/^--colou?r(=.*)?$/s.test(arg)) {
      out.args.push(arg);
    }
  }
  return out;
}

/** Which files and directories `--include`, `--exclude` and `--exclude-dir` let through, by base name. */
export interface NameFilter {
  wanted(name: string): boolean;
  dirWanted(name: string): boolean;
}

/** The files to search: operands (directories walked with -r), stdin when there are none. */
export function collectInputs(io: BuiltinIo, operands: string[], recursive: boolean, filter: NameFilter): Input[] {
  if (operands.length === 0) {
    if (!recursive) return [{ label: '(standard input)', data: io.stdin }];
    // `grep -r PATTERN` searches the working directory and names files without a `./` prefix.
    return walk(io, io.cwd, '', filter);
  }
  const inputs: Input[] = [];
  for (const operand of operands) {
    const target = operand === '-' ? undefined : resolvePath(io.cwd, operand);
    if (target?.ok && io.tree.isDir(target.path)) {
      if (recursive) inputs.push(...walk(io, target.path, operand, filter));
      else inputs.push({ label: operand, error: 'Is a directory' });
      continue;
    }
    if (operand !== '-' && !filter.wanted(operand.slice(operand.lastIndexOf('/') + 1))) continue;
    const input = readInput(io, operand);
    const label = operand === '-' ? '(standard input)' : operand;
    inputs.push(input.ok ? { label, data: input.data } : { label, error: input.reason });
  }
  return inputs;
}

/** Every file below `dir`, sorted by name; labels start with `shown` (the operand as typed). */
function walk(io: BuiltinIo, dir: string, shown: string, filter: NameFilter): Input[] {
  const out: Input[] = [];
  for (const entry of io.tree.list(dir)) {
    const label = shown === '' ? entry.name : `${shown.replace(/\/+$/, '')}/${entry.name}`;
    const path = joinPath(dir, entry.name);
    if (entry.kind === 'dir') {
      if (filter.dirWanted(entry.name)) out.push(...walk(io, path, label, filter));
    } else if (filter.wanted(entry.name)) {
      out.push({ label, data: io.tree.readFile(path) });
    }
  }
  return out;
}
