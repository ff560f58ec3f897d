/** `sort` and `uniq`, byte order as in the C locale (what scripts expect everywhere). */
import { type Builtin, type BuiltinIo, decode, parseValueOptions, readInput, splitLines, writeLine, writeLines } from './command.ts';
import { readAll } from './text-commands.ts';

/** The leading number of a line as `sort -n` reads it (blanks, sign, digits, a decimal part); 0 when there is none. */
function leadingNumber(line: string): number {
  const match = /^[ \t]*(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))/.exec(line);
  return match ? Number(match[1]) : 0;
}

/** Plain byte-order comparison (UTF-16 order equals UTF-8 byte order outside surrogates). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The part of a line a `-k N` key selects: from field N (fields split by `sep`, or by blank runs) to the end. */
function keyOf(line: string, field: number | undefined, sep: string | undefined): string {
  if (field === undefined) return line;
  if (sep !== undefined) return line.split(sep).slice(field - 1).join(sep);
  // Without -t a field includes the blanks before it, as in GNU sort.
  const fields = line.match(/[ \t]*[^ \t]+/g) ?? [];
  return fields.slice(field - 1).join('');
}

/** `sort [-n] [-r] [-u] [-f] [-k N] [-t SEP] [FILE...]`: equal keys fall back to comparing whole lines. */
export const sort: Builtin = (args, io) => {
  const opts = parseValueOptions('sort', args, 'nrufsb', 'kt');
  if (!opts.ok) return usage(io, opts.error, 2);
  const keyText = opts.values.get('k');
  const field = keyText === undefined ? undefined : Number(/^[0-9]+/.exec(keyText)?.[0] ?? NaN);
  if (field !== undefined && !(field >= 1)) return usage(io, `sort: invalid number at field start: invalid count at start of '${keyText ?? ''}'`, 2);
  const sep = opts.values.get('t');
  if (sep !== undefined && [...sep].length !== 1) return usage(io, `sort: multi-character tab '${sep}'`, 2);
  const numeric = opts.flags.has('n') || /n/.test(keyText ?? '');
  const fold = opts.flags.has('f');
  const reverse = opts.flags.has('r') || /^[0-9]+[a-z]*r/.test(keyText ?? '');
  const { data, failed } = readAll('sort', io, opts.operands, (operand, reason) => `cannot read: ${operand}: ${reason}`);
  if (failed) return 2;
  const keyCompare = (a: string, b: string): number => {
    const ka = keyOf(a, field, sep);
    const kb = keyOf(b, field, sep);
    if (numeric) return leadingNumber(ka) - leadingNumber(kb);
    return fold ? compareText(ka.toUpperCase(), kb.toUpperCase()) : compareText(ka, kb);
  };
  const lastResort = !opts.flags.has('s') && !opts.flags.has('u');
  const sign = reverse ? -1 : 1;
  const lines = splitLines(decode(data)).sort((a, b) => sign * (keyCompare(a, b) || (lastResort ? compareText(a, b) : 0)));
  // -u keeps the first of each run of lines whose keys compare equal.
  const out = opts.flags.has('u') ? lines.filter((line, i) => i === 0 || keyCompare(lines[i - 1] as string, line) !== 0) : lines;
  writeLines(io.stdout, out);
  return 0;
};

/** `uniq [-c] [-d] [-u] [-i] [INPUT]`: one line of each run of equal adjacent lines. */
export const uniq: Builtin = (args, io) => {
  const opts = parseValueOptions('uniq', args, 'cdui', '');
  if (!opts.ok) return usage(io, opts.error);
  if (opts.operands.length > 1) return usage(io, `uniq: extra operand '${opts.operands[1] ?? ''}' (writing to a file: uniq IN > OUT)`);
  const operand = opts.operands[0] ?? '-';
  const input = readInput(io, operand);
  if (!input.ok) return usage(io, `uniq: ${operand}: ${input.reason}`);
  const same = opts.flags.has('i') ? (a: string, b: string) => a.toLowerCase() === b.toLowerCase() : (a: string, b: string) => a === b;
  const runs: { line: string; count: number }[] = [];
  for (const line of splitLines(decode(input.data))) {
    const last = runs.at(-1);
    if (last && same(last.line, line)) last.count++;
    else runs.push({ line, count: 1 });
  }
  const kept = runs.filter((run) => (!opts.flags.has('d') || run.count > 1) && (!opts.flags.has('u') || run.count === 1));
  writeLines(io.stdout, kept.map((run) => (opts.flags.has('c') ? `${String(run.count).padStart(7)} ${run.line}` : run.line)));
  return 0;
};

/** Reports a usage or input error; sort exits 2 for those (as GNU sort), uniq 1. */
function usage(io: BuiltinIo, message: string, exitCode = 1): number {
  writeLine(io.stderr, message);
  return exitCode;
}
