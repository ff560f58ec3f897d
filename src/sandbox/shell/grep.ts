/**
 * `grep`: GNU grep's common options over workspace files and stdin. Exit 0 when a line was
 * selected, 1 when none was, 2 on an error (unless `-q` found a match), as POSIX says.
 */
import { joinPath } from '../fs/paths.ts';
import { type Builtin, type BuiltinIo, decode, encode, parseValueOptions, readInput, splitLines, writeLine } from './command.ts';
import { escapeFixed, translateRegex } from './grep-regex.ts';
import { resolvePath } from './paths.ts';

interface GrepOptions {
  regex: RegExp;
  invert: boolean;
  count: boolean;
  filesWithMatches: boolean;
  filesWithout: boolean;
  lineNumbers: boolean;
  onlyMatching: boolean;
  quiet: boolean;
  names: boolean;
  maxCount: number;
}

/** One input to search: what to call it in output, and its bytes (or why they could not be read). */
type Input = { label: string; data: Uint8Array } | { label: string; error: string };

export const grep: Builtin = (args, io) => {
  const opts = parseValueOptions('grep', args, 'nivrRclLEFGwxoqshHI', 'em');
  if (!opts.ok) return usage(io, opts.error);
  const { flags, operands } = opts;
  const patterns = [...(opts.repeated.get('e') ?? [])];
  if (patterns.length === 0) {
    const first = operands.shift();
    if (first === undefined) return usage(io, 'grep: no pattern given (usage: grep [OPTION]... PATTERNS [FILE]...)');
    patterns.push(first);
  }
  const regex = compile(patterns.flatMap((pattern) => pattern.split('\n')), flags);
  if (typeof regex === 'string') return usage(io, `grep: ${regex}`);
  const maxText = opts.values.get('m');
  const maxCount = maxText === undefined ? Infinity : Number(maxText);
  if (!Number.isInteger(maxCount) && maxCount !== Infinity) return usage(io, `grep: invalid max count`);
  const recursive = flags.has('r') || flags.has('R');
  const inputs = collectInputs(io, operands, recursive);
  const options: GrepOptions = {
    regex,
    invert: flags.has('v'),
    count: flags.has('c'),
    filesWithMatches: flags.has('l'),
    filesWithout: flags.has('L'),
    lineNumbers: flags.has('n'),
    onlyMatching: flags.has('o'),
    quiet: flags.has('q'),
    names: flags.has('H') || (!flags.has('h') && (operands.length > 1 || recursive)),
    maxCount,
  };
  let matched = false;
  let errors = false;
  for (const input of inputs) {
    if ('error' in input) {
      if (!flags.has('s')) writeLine(io.stderr, `grep: ${input.label}: ${input.error}`);
      errors = true;
      continue;
    }
    if (searchOne(input.label, input.data, options, io)) matched = true;
    if (matched && options.quiet) return 0;
  }
  if (errors && !(options.quiet && matched)) return 2;
  return matched ? 0 : 1;
};

/** Builds one regex for all patterns (any may match); a string is the error. */
function compile(patterns: string[], flags: Set<string>): RegExp | string {
  const sources: string[] = [];
  for (const pattern of patterns) {
    if (flags.has('F')) {
      sources.push(escapeFixed(pattern));
      continue;
    }
    const translated = translateRegex(pattern, flags.has('E'));
    if (!translated.ok) return translated.error;
    sources.push(translated.source);
  }
  let source = sources.map((s) => `(?:${s})`).join('|');
  if (flags.has('x')) source = `^(?:${source})$`;
  else if (flags.has('w')) source = `(?<![A-Za-z0-9_])(?:${source})(?![A-Za-z0-9_])`;
  try {
    return new RegExp(source, flags.has('i') ? 'gi' : 'g');
  } catch (error) {
    return `invalid regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The files to search: operands (directories walked with -r), stdin when there are none. */
function collectInputs(io: BuiltinIo, operands: string[], recursive: boolean): Input[] {
  if (operands.length === 0) {
    if (!recursive) return [{ label: '(standard input)', data: io.stdin }];
    // `grep -r PATTERN` searches the working directory and names files without a `./` prefix.
    return walk(io, io.cwd, '');
  }
  const inputs: Input[] = [];
  for (const operand of operands) {
    const target = operand === '-' ? undefined : resolvePath(io.cwd, operand);
    if (target?.ok && io.tree.isDir(target.path)) {
      if (recursive) inputs.push(...walk(io, target.path, operand));
      else inputs.push({ label: operand, error: 'Is a directory' });
      continue;
    }
    const input = readInput(io, operand);
    const label = operand === '-' ? '(standard input)' : operand;
    inputs.push(input.ok ? { label, data: input.data } : { label, error: input.reason });
  }
  return inputs;
}

/** Every file below `dir`, sorted by name; labels start with `shown` (the operand as typed). */
function walk(io: BuiltinIo, dir: string, shown: string): Input[] {
  const out: Input[] = [];
  for (const entry of io.tree.list(dir)) {
    const label = shown === '' ? entry.name : `${shown.replace(/\/+$/, '')}/${entry.name}`;
    const path = joinPath(dir, entry.name);
    if (entry.kind === 'dir') out.push(...walk(io, path, label));
    else out.push({ label, data: io.tree.readFile(path) });
  }
  return out;
}

/** Searches one input, writing what the options ask for; returns whether any line was selected. */
function searchOne(label: string, data: Uint8Array, options: GrepOptions, io: BuiltinIo): boolean {
  const prefix = options.names ? `${label}:` : '';
  const binary = data.includes(0);
  let selected = 0;
  const out: string[] = [];
  for (const [index, line] of splitLines(decode(data)).entries()) {
    if (selected >= options.maxCount) break;
    options.regex.lastIndex = 0;
    const hit = options.regex.test(line);
    if (hit === options.invert) continue;
    selected++;
    if (options.quiet || options.count || options.filesWithMatches || options.filesWithout || binary) continue;
    const number = options.lineNumbers ? `${index + 1}:` : '';
    if (options.onlyMatching && !options.invert) {
      options.regex.lastIndex = 0;
      for (const match of line.matchAll(options.regex)) if (match[0] !== '') out.push(`${prefix}${number}${match[0]}`);
    } else {
      out.push(`${prefix}${number}${line}`);
    }
  }
  if (options.quiet) return selected > 0;
  if (options.count) out.push(`${prefix}${selected}`);
  else if (options.filesWithMatches && selected > 0) out.push(label);
  else if (options.filesWithout && selected === 0) out.push(label);
  else if (binary && selected > 0) writeLine(io.stderr, `grep: ${label}: binary file matches`);
  if (out.length > 0) io.stdout(encode(`${out.join('\n')}\n`));
  return selected > 0;
}

function usage(io: BuiltinIo, message: string): number {
  writeLine(io.stderr, message);
  return 2;
}
