/** Commands that compute text from their arguments alone: `seq`, `basename`, `dirname`. */
import { type Builtin, type BuiltinIo, parseValueOptions, writeLine, writeLines } from './command.ts';

const NUMBER = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** Digits after the decimal point, as seq uses them to format its output. */
function decimals(text: string): number {
  if (/[eE]/.test(text)) return 0;
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** The most numbers one `seq` makes: its output is held in memory, and the output cap would drop the rest anyway. */
const SEQ_LIMIT = 1_000_000;

/** `seq [-s SEP] [-w] [FIRST [STEP]] LAST`: numbers from FIRST (1) by STEP (1) up to LAST. */
export const seq: Builtin = (args, io) => {
  // Negative numbers are operands, not options: `seq -3 -1`.
  const words = args.map((arg) => (NUMBER.test(arg) ? ` ${arg}` : arg));
  const opts = parseValueOptions('seq', words, 'w', 's');
  if (!opts.ok) return fail(io, opts.error);
  const operands = opts.operands.map((operand) => operand.trim());
  if (operands.length === 0) return fail(io, 'seq: missing operand');
  if (operands.length > 3) return fail(io, `seq: extra operand '${operands[3] ?? ''}'`);
  for (const operand of operands) if (!NUMBER.test(operand)) return fail(io, `seq: invalid floating point argument: '${operand}'`);
  const [firstText, stepText, lastText] = operands.length === 1 ? ['1', '1', operands[0] as string] : operands.length === 2 ? [operands[0] as string, '1', operands[1] as string] : (operands as [string, string, string]);
  const step = Number(stepText);
  if (step === 0) return fail(io, `seq: invalid Zero increment value: '${stepText}'`);
  const places = Math.max(decimals(firstText), decimals(stepText));
  const first = Number(firstText);
  const last = Number(lastText);
  const count = Math.floor((last - first) / step + 1e-10) + 1;
  if (count > SEQ_LIMIT) return fail(io, `seq: ${count} numbers is more than this shell makes at once (${SEQ_LIMIT}); write a program for that`);
  const out: string[] = [];
  // Computed as first + i*step, so decimal steps do not accumulate rounding errors.
  for (let i = 0; i < count; i++) out.push((first + i * step).toFixed(places));
  if (opts.flags.has('w')) {
    const width = Math.max(...out.map((n) => n.replace('-', '').length));
    for (const [i, n] of out.entries()) out[i] = n.startsWith('-') ? `-${n.slice(1).padStart(width, '0')}` : n.padStart(width, '0');
  }
  const sep = opts.values.get('s');
  if (sep === undefined) writeLines(io.stdout, out);
  else if (out.length > 0) writeLines(io.stdout, [out.join(sep)]);
  return 0;
};

/** `basename NAME [SUFFIX]`, `basename -a NAME...`, `basename -s SUFFIX NAME...`: the last path component. */
export const basename: Builtin = (args, io) => {
  const opts = parseValueOptions('basename', args, 'az', 's');
  if (!opts.ok) return fail(io, opts.error);
  const { operands } = opts;
  if (operands.length === 0) return fail(io, 'basename: missing operand');
  const many = opts.flags.has('a') || opts.values.has('s');
  if (!many && operands.length > 2) return fail(io, `basename: extra operand '${operands[2] ?? ''}'`);
  const suffix = opts.values.get('s') ?? (many ? undefined : operands[1]);
  const names = many ? operands : operands.slice(0, 1);
  writeLines(io.stdout, names.map((name) => baseOf(name, suffix)));
  return 0;
};

function baseOf(name: string, suffix: string | undefined): string {
  const trimmed = name.replace(/\/+$/, '');
  if (trimmed === '') return name === '' ? '' : '/';
  const base = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  // The suffix is removed only when something is left.
  return suffix && base.endsWith(suffix) && base !== suffix ? base.slice(0, -suffix.length) : base;
}

/** `dirname NAME...`: each path without its last component (`.` when there is none). */
export const dirname: Builtin = (args, io) => {
  const opts = parseValueOptions('dirname', args, 'z', '');
  if (!opts.ok) return fail(io, opts.error);
  if (opts.operands.length === 0) return fail(io, 'dirname: missing operand');
  writeLines(io.stdout, opts.operands.map(dirOf));
  return 0;
};

function dirOf(name: string): string {
  const trimmed = name.replace(/\/+$/, '');
  if (trimmed === '') return name.startsWith('/') ? '/' : '.';
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return '.';
  const dir = trimmed.slice(0, slash).replace(/\/+$/, '');
  return dir === '' ? '/' : dir;
}

function fail(io: BuiltinIo, message: string): number {
  writeLine(io.stderr, message);
  return 1;
}
