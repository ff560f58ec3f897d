/**
 * `printf FORMAT [ARG...]`, as bash's builtin: `\n`-style escapes in FORMAT, conversions
 * `%s %b %c %d %i %u %o %x %X %f %F %e %E %g %G %%` with flags, width and precision (`*` too).
 * The format is reused while arguments remain; a missing argument is empty (or 0).
 */
import { type Builtin, encode, writeLine } from './command.ts';

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/** Expands backslash escapes; `\c` stops all output. `octalNeedsZero`: `%b` writes octal as `\0NNN`. */
function escapes(text: string, octalNeedsZero: boolean): { out: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c !== '\\' || next === undefined) {
      out += c;
      continue;
    }
    if (next === 'c') return { out, stop: true };
    if (Object.hasOwn(ESCAPES, next)) {
      out += ESCAPES[next];
      i++;
      continue;
    }
    const octal = (octalNeedsZero ? /^0([0-7]{0,3})/ : /^([0-7]{1,3})/).exec(text.slice(i + 1));
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(text.slice(i + 1));
    if (octal) {
      out += String.fromCharCode(parseInt(octal[1] || '0', 8) & 0xff);
      i += octal[0].length;
    } else if (hex) {
      out += String.fromCharCode(parseInt(hex[1] as string, 16));
      i += hex[0].length;
    } else {
      out += c;
    }
  }
  return { out, stop: false };
}

/** A numeric argument as printf reads it: decimal, 0x hex, 0 octal, or `'c` (the character's code). */
function number(arg: string, errors: string[], integer: boolean): number {
  const text = arg.trim();
  if (text === '') return 0;
  if (/^['"]/.test(text)) return text.codePointAt(1) ?? 0;
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(text)) return (text.startsWith('-') ? -1 : 1) * parseInt(text.replace(/^[+-]/, ''), 16);
  if (/^[+-]?0[0-7]+$/.test(text)) return (text.startsWith('-') ? -1 : 1) * parseInt(text.replace(/^[+-]/, ''), 8);
  if ((integer ? /^[+-]?[0-9]+$/ : /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/).test(text)) return Number(text);
  errors.push(`printf: ${arg}: invalid number`);
  const lead = /^[+-]?[0-9]+/.exec(text);
  return lead ? Number(lead[0]) : 0;
}

/** C's `%e` exponent: at least two digits. */
function exponential(value: number, precision: number, upper: boolean): string {
  const [mantissa = '', exp = '0'] = value.toExponential(precision).split('e');
  const sign = exp.startsWith('-') ? '-' : '+';
  const text = `${mantissa}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
  return upper ? text.toUpperCase() : text;
}

/** C's `%g`: the shorter of %e and %f for the precision, without trailing zeros (unless `#`). */
function general(value: number, precision: number, alt: boolean, upper: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (value === 0) return alt ? (0).toFixed(p - 1) : '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(p)))));
  let text = exp < -4 || exp >= p ? exponential(value, p - 1, upper) : value.toFixed(Math.max(0, p - 1 - exp));
  if (!alt) text = text.replace(/\.?0+(e|E|$)/, '$1').replace(/(\.[0-9]*?)0+(e|E)/, '$1$2');
  return text;
}

interface Spec {
  flags: string;
  width: number | undefined;
  precision: number | undefined;
  conversion: string;
}

/** Formats one conversion of `arg`; numbers get sign, zero-padding and precision as in C. */
function convert(spec: Spec, arg: string | undefined, errors: string[]): { text: string; stop: boolean } {
  const { flags, precision, conversion } = spec;
  let body: string;
  let stop = false;
  let numeric = true;
  let value = 0;
  switch (conversion) {
    case 's':
    case 'b': {
      numeric = false;
      const raw = arg ?? '';
      const expanded = conversion === 'b' ? escapes(raw, true) : { out: raw, stop: false };
      stop = expanded.stop;
      body = precision === undefined ? expanded.out : expanded.out.slice(0, precision);
      break;
    }
    case 'c':
      numeric = false;
      body = [...(arg ?? '')][0] ?? '';
      break;
    case 'd':
    case 'i':
    case 'u':
      value = Math.trunc(number(arg ?? '', errors, true));
      body = String(Math.abs(value)).padStart(precision ?? 1, '0');
      break;
    case 'o':
    case 'x':
    case 'X': {
      value = Math.trunc(number(arg ?? '', errors, true));
      const unsigned = BigInt.asUintN(64, BigInt(value));
      body = unsigned.toString(conversion === 'o' ? 8 : 16).padStart(precision ?? 1, '0');
      if (conversion === 'X') body = body.toUpperCase();
      if (flags.includes('#') && unsigned !== 0n) body = conversion === 'o' ? `0${body}` : `0${conversion}${body}`;
      value = 0;
      break;
    }
    default: {
      value = number(arg ?? '', errors, false);
      const p = precision ?? 6;
      const abs = Math.abs(value);
      if (conversion === 'e' || conversion === 'E') body = exponential(abs, p, conversion === 'E');
      else if (conversion === 'g' || conversion === 'G') body = general(abs, p, flags.includes('#'), conversion === 'G');
      else body = abs.toFixed(p);
    }
  }
  const sign = numeric ? (value < 0 || Object.is(value, -0) ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') : '';
  const width = spec.width ?? 0;
  const length = sign.length + [...body].length;
  if (length >= width) return { text: sign + body, stop };
  const pad = width - length;
  if (flags.includes('-')) return { text: sign + body + ' '.repeat(pad), stop };
  // Zero padding is for numbers without a precision (for integers), as in C.
  const zero = numeric && flags.includes('0') && !(precision !== undefined && 'diuoxX'.includes(conversion));
  return { text: zero ? sign + '0'.repeat(pad) + body : ' '.repeat(pad) + sign + body, stop };
}

const SPEC = /^%([-+ #0]*)(\*|[0-9]+)?(?:\.(\*|[0-9]*))?([sbcdiuoxXfFeEgG%])/;

/** `printf FORMAT [ARG...]`. Exit 1 when an argument was not a number (the output is still written). */
export const printf: Builtin = (args, io) => {
  const [format, ...rest] = args[0] === '--' ? args.slice(1) : args;
  if (format === undefined) {
    writeLine(io.stderr, 'printf: usage: printf FORMAT [ARGUMENTS...]');
    return 2;
  }
  const errors: string[] = [];
  let out = '';
  let next = 0;
  const take = (): string | undefined => rest[next++];
  for (;;) {
    const start = next;
    for (let i = 0; i < format.length; ) {
      const c = format[i] as string;
      if (c === '\\') {
        const chunk = /^\\(?:[0-7]{1,3}|x[0-9a-fA-F]{1,2}|[\s\S]?)/.exec(format.slice(i))?.[0] ?? '\\';
        const { out: text, stop } = escapes(chunk, false);
        out += text;
        if (stop) return finish(out, errors);
        i += chunk.length;
        continue;
      }
      if (c !== '%') {
        out += c;
        i++;
        continue;
      }
      const match = SPEC.exec(format.slice(i));
      if (!match) {
        writeLine(io.stderr, `printf: ${format.slice(i, i + 2)}: invalid directive`);
        io.stdout(encode(out));
        return 1;
      }
      i += match[0].length;
      if (match[4] === '%') {
        out += '%';
        continue;
      }
      const star = (text: string | undefined): number | undefined => (text === '*' ? Number.parseInt(take() ?? '0', 10) || 0 : text === undefined || text === '' ? (text === '' ? 0 : undefined) : Number(text));
      let width = star(match[2]);
      let flags = match[1] ?? '';
      if (width !== undefined && width < 0) {
        flags += '-';
        width = -width;
      }
      const precision = star(match[3]);
      const { text, stop } = convert({ flags, width, precision, conversion: match[4] as string }, take(), errors);
      out += text;
      if (stop) return finish(out, errors);
    }
    // Reuse the format while arguments remain, but only if it consumed some.
    if (next >= rest.length || next === start) break;
  }
  return finish(out, errors);

  function finish(text: string, problems: string[]): number {
    io.stdout(encode(text));
    for (const problem of problems) writeLine(io.stderr, problem);
    return problems.length > 0 ? 1 : 0;
  }
};
