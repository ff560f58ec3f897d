/**
 * `grep`: GNU grep's common options over workspace files and stdin. Exit 0 when a line was
 * selected, 1 when none was, 2 on an error (unless `-q` found a match), as POSIX says.
 */
import { type Builtin, type BuiltinIo, decode, encode, parseValueOptions, splitLines, writeLine } from './command.ts';
import { collectInputs, longOptions } from './grep-inputs.ts';
import { escapeFixed, translateRegex } from './grep-regex.ts';

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
  /** Lines of context before and after each selected line (-B, -A, -C). */
  before: number;
  after: number;
  /** Whether a context group was printed already (in any file): the next one is preceded by `--`. */
  groupPrinted: boolean;
}

/** A context count (-A, -B, -C); undefined when the text is not one. */
function contextCount(text: string | undefined): number | undefined {
  return text !== undefined && /^[0-9]+$/.test(text) ? Number(text) : undefined;
}

export const grep: Builtin = (args, io) => {
  const long = longOptions(args);
  const opts = parseValueOptions('grep', long.args, 'nivrRclLEFGwxoqshHI', 'emABC');
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
  const context = ['A', 'B', 'C'].map((letter) => opts.values.get(letter));
  const [after, before, both] = context.map(contextCount);
  const badContext = context.find((text, i) => text !== undefined && [after, before, both][i] === undefined);
  if (badContext !== undefined) return usage(io, `grep: ${badContext}: invalid context length argument`);
  const recursive = flags.has('r') || flags.has('R');
  const wanted = (name: string): boolean => (long.include.length === 0 || long.include.some((glob) => glob.test(name))) && !long.exclude.some((glob) => glob.test(name));
  const inputs = collectInputs(io, operands, recursive, { wanted, dirWanted: (name) => !long.excludeDir.some((glob) => glob.test(name)) });
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
    before: before ?? both ?? 0,
    after: after ?? both ?? 0,
    groupPrinted: false,
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

/** Searches one input, writing what the options ask for; returns whether any line was selected. */
function searchOne(label: string, data: Uint8Array, options: GrepOptions, io: BuiltinIo): boolean {
  const binary = data.includes(0);
  // Selected lines use `:` between name, number and text; context lines use `-`, as GNU grep.
  const format = (index: number, text: string, sep: ':' | '-'): string => `${options.names ? `${label}${sep}` : ''}${options.lineNumbers ? `${index + 1}${sep}` : ''}${text}`;
  const lines = splitLines(decode(data));
  const printLines = !(options.quiet || options.count || options.filesWithMatches || options.filesWithout || binary);
  let selected = 0;
  let lastPrinted = -1;
  let afterLeft = 0;
  const out: string[] = [];
  for (const [index, line] of lines.entries()) {
    if (selected >= options.maxCount) break;
    options.regex.lastIndex = 0;
    const hit = options.regex.test(line) !== options.invert;
    if (!hit) {
      if (printLines && afterLeft > 0) {
        out.push(format(index, line, '-'));
        lastPrinted = index;
        afterLeft--;
      }
      continue;
    }
    selected++;
    if (!printLines) continue;
    const from = Math.max(lastPrinted + 1, index - options.before);
    if ((options.before > 0 || options.after > 0) && options.groupPrinted && (lastPrinted < 0 || from > lastPrinted + 1)) out.push('--');
    for (let j = from; j < index; j++) out.push(format(j, lines[j] as string, '-'));
    if (options.onlyMatching && !options.invert) {
      options.regex.lastIndex = 0;
      for (const match of line.matchAll(options.regex)) if (match[0] !== '') out.push(format(index, match[0], ':'));
    } else {
      out.push(format(index, line, ':'));
    }
    lastPrinted = index;
    afterLeft = options.after;
    options.groupPrinted = true;
  }
  const prefix = options.names ? `${label}:` : '';
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
