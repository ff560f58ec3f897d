/** Line filters over files or stdin: `head`, `tail`, `wc`, with GNU coreutils' output and messages. */
import { type Builtin, type BuiltinIo, concat, decode, encode, parseValueOptions, readInput, writeLine } from './command.ts';

const NEWLINE = 0x0a;

/** Offsets just past each `\n` in `data` (a last line without one is not counted). */
function lineEnds(data: Uint8Array): number[] {
  const ends: number[] = [];
  for (let i = data.indexOf(NEWLINE); i >= 0; i = data.indexOf(NEWLINE, i + 1)) ends.push(i + 1);
  return ends;
}

/** Byte offset where line `n` (0-based) starts. */
function lineStart(data: Uint8Array, ends: number[], n: number): number {
  if (n <= 0) return 0;
  return n - 1 < ends.length ? (ends[n - 1] as number) : data.length;
}

/** Lines counted the way head and tail do: a last line without `\n` is a line too. */
function lineCount(data: Uint8Array, ends: number[]): number {
  return ends.length + (data.length > (ends.at(-1) ?? 0) ? 1 : 0);
}

/** `-n N` for head/tail: a count and its sign (`+N` for tail, `-N` for head); undefined if not a number. */
function parseCount(text: string): { n: number; sign: '' | '+' | '-' } | undefined {
  const match = /^([+-]?)([0-9]+)$/.exec(text.trim());
  if (!match) return undefined;
  return { n: Number(match[2]), sign: match[1] as '' | '+' | '-' };
}

/** Runs a head/tail-like body over each operand, with `==> NAME <==` headers when there are several. */
function perFile(name: string, io: BuiltinIo, operands: string[], quiet: boolean, verbose: boolean, body: (data: Uint8Array) => Uint8Array): number {
  const inputs = operands.length > 0 ? operands : ['-'];
  const headers = verbose || (inputs.length > 1 && !quiet);
  let status = 0;
  let first = true;
  for (const operand of inputs) {
    const input = readInput(io, operand);
    if (!input.ok) {
      const reason = input.reason === 'Is a directory' ? `error reading '${operand}': Is a directory` : `cannot open '${operand}' for reading: ${input.reason}`;
      writeLine(io.stderr, `${name}: ${reason}`);
      status = 1;
      continue;
    }
    if (headers) io.stdout(encode(`${first ? '' : '\n'}==> ${operand === '-' ? 'standard input' : operand} <==\n`));
    first = false;
    io.stdout(body(input.data).slice());
  }
  return status;
}

/** `head [-n N|-N] [-c N] [-q] [-v] [FILE...]`: the first N lines (10); `-n -N` all but the last N. */
export const head: Builtin = (args, io) => {
  const opts = parseValueOptions('head', args, 'qv', 'nc', 'n');
  if (!opts.ok) return fail(io, opts.error);
  const bytes = opts.values.get('c');
  const countText = bytes ?? opts.values.get('n') ?? '10';
  const count = parseCount(countText);
  if (!count || count.sign === '+') {
    return fail(io, `head: invalid number of ${bytes !== undefined ? 'bytes' : 'lines'}: '${countText}'`);
  }
  return perFile('head', io, opts.operands, opts.flags.has('q'), opts.flags.has('v'), (data) => {
    if (bytes !== undefined) return data.subarray(0, count.sign === '-' ? Math.max(0, data.length - count.n) : count.n);
    const ends = lineEnds(data);
    if (count.sign === '-') return data.subarray(0, lineStart(data, ends, Math.max(0, lineCount(data, ends) - count.n)));
    return data.subarray(0, lineStart(data, ends, count.n));
  });
};

/** `tail [-n N|-N|-n +N] [-c N] [-q] [-v] [FILE...]`: the last N lines (10); `+N` starts at line N. */
export const tail: Builtin = (args, io) => {
  const opts = parseValueOptions('tail', args, 'qv', 'nc', 'n');
  if (!opts.ok) return fail(io, opts.error);
  const bytes = opts.values.get('c');
  const countText = bytes ?? opts.values.get('n') ?? '10';
  const count = parseCount(countText);
  if (!count) return fail(io, `tail: invalid number of ${bytes !== undefined ? 'bytes' : 'lines'}: '${countText}'`);
  return perFile('tail', io, opts.operands, opts.flags.has('q'), opts.flags.has('v'), (data) => {
    if (bytes !== undefined) return data.subarray(count.sign === '+' ? Math.max(0, count.n - 1) : Math.max(0, data.length - count.n));
    const ends = lineEnds(data);
    if (count.sign === '+') return data.subarray(lineStart(data, ends, count.n - 1));
    return data.subarray(lineStart(data, ends, lineCount(data, ends) - count.n));
  });
};

interface Counts {
  lines: number;
  words: number;
  chars: number;
  bytes: number;
}

function countOf(data: Uint8Array): Counts {
  const text = decode(data);
  const words = text.split(/[ \t\n\v\f\r]+/).filter((word) => word !== '').length;
  return { lines: lineEnds(data).length, words, chars: [...text].length, bytes: data.length };
}

/** `wc [-l] [-w] [-m] [-c] [FILE...]`: counts in the order lines, words, chars, bytes; all but chars by default. */
export const wc: Builtin = (args, io) => {
  const opts = parseValueOptions('wc', args, 'lwmc', '');
  if (!opts.ok) return fail(io, opts.error);
  const chosen = (['l', 'w', 'm', 'c'] as const).filter((flag) => opts.flags.has(flag));
  const fields = chosen.length > 0 ? chosen : (['l', 'w', 'c'] as const);
  const inputs = opts.operands.length > 0 ? opts.operands : ['-'];
  const rows: { counts: Counts; label: string }[] = [];
  let status = 0;
  // GNU wc pads every number to the width of the total bytes of regular files, at least 7 when stdin is read.
  let regularBytes = 0;
  let minWidth = 1;
  let firstFailed = false;
  for (const [i, operand] of inputs.entries()) {
    const input = readInput(io, operand);
    if (!input.ok) {
      firstFailed ||= i === 0;
      writeLine(io.stderr, `wc: ${operand}: ${input.reason}`);
      status = 1;
      continue;
    }
    if (operand === '-' && !io.stdinIsFile) minWidth = 7;
    else regularBytes += input.data.length;
    rows.push({ counts: countOf(input.data), label: opts.operands.length > 0 ? operand : '' });
  }
  if (inputs.length > 1) {
    const total = rows.reduce((sum, row) => ({ lines: sum.lines + row.counts.lines, words: sum.words + row.counts.words, chars: sum.chars + row.counts.chars, bytes: sum.bytes + row.counts.bytes }), { lines: 0, words: 0, chars: 0, bytes: 0 });
    rows.push({ counts: total, label: 'total' });
  }
  const width = (fields.length === 1 && inputs.length === 1) || firstFailed ? 1 : Math.max(minWidth, String(regularBytes).length);
  const key = { l: 'lines', w: 'words', m: 'chars', c: 'bytes' } as const;
  const text = rows
    .map(({ counts, label }) => {
      const numbers = fields.map((field) => String(counts[key[field]]).padStart(width)).join(' ');
      return label === '' ? `${numbers}\n` : `${numbers} ${label}\n`;
    })
    .join('');
  io.stdout(encode(text));
  return status;
};

function fail(io: BuiltinIo, message: string): number {
  writeLine(io.stderr, message);
  return 1;
}

/** Joins several inputs for filters that read them as one stream (`sort a b`). */
export function readAll(name: string, io: BuiltinIo, operands: string[], describe: (operand: string, reason: string) => string): { data: Uint8Array; failed: boolean } {
  const chunks: Uint8Array[] = [];
  let failed = false;
  for (const operand of operands.length > 0 ? operands : ['-']) {
    const input = readInput(io, operand);
    if (input.ok) chunks.push(input.data);
    else {
      writeLine(io.stderr, `${name}: ${describe(operand, input.reason)}`);
      failed = true;
    }
  }
  return { data: concat(chunks.length > 0 ? chunks : [new Uint8Array(0)]), failed };
}
