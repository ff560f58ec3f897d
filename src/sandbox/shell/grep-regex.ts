/**
 * POSIX regular expressions (GNU grep's basic and extended syntax) translated to JavaScript
 * ones. BRE: `\( \) \{ \} \| \+ \?` are operators and their bare forms are literal; `*` first is
 * literal; `^`/`$` anchor only at the ends. Bracket expressions take `[:alpha:]`-style classes
 * and treat `\` as a literal, as POSIX says.
 */

/** A translated pattern, or why it is not a valid expression (grep's wording where it has one). */
export type Translated = { ok: true; source: string } | { ok: false; error: string };

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f',
  word: '\\w',
};

/** Characters with a meaning in a JavaScript regex outside a class, escaped when POSIX means them literally. */
const JS_SPECIAL = /[\\^$.*+?()[\]{}|/]/;

function literal(ch: string): string {
  return JS_SPECIAL.test(ch) ? `\\${ch}` : ch;
}

/** Translates a bracket expression starting at `start` (the `[`); returns the class and the index after `]`. */
function bracket(pattern: string, start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  let body = '';
  if (pattern[i] === '^') {
    body += '^';
    i++;
  }
  // A `]` right after `[` or `[^` is a member.
  if (pattern[i] === ']') {
    body += '\\]';
    i++;
  }
  for (; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === ']') return { source: `[${body}]`, end: i + 1 };
    if (c === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      const name = close < 0 ? undefined : pattern.slice(i + 2, close);
      if (name === undefined || !Object.hasOwn(CLASSES, name)) return undefined;
      body += CLASSES[name];
      i = close + 1;
    } else if (c === '\\' || c === '[' || c === ']') {
      body += `\\${c}`;
    } else {
      body += c;
    }
  }
  return undefined;
}

/** Translates one POSIX pattern (`extended`: ERE, as `grep -E`) to a JavaScript regex source. */
export function translateRegex(pattern: string, extended: boolean): Translated {
  let out = '';
  // Where `*` is literal and (in a BRE) `^` is an anchor: the start of the pattern or of a group/branch.
  let atStart = true;
  let depth = 0;
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i] as string;
    const wasStart: boolean = atStart;
    atStart = false;
    if (c === '[') {
      const cls = bracket(pattern, i);
      if (!cls) return { ok: false, error: 'Unmatched [, [^, [:, [., or [=' };
      out += cls.source;
      i = cls.end;
      continue;
    }
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return { ok: false, error: 'Trailing backslash' };
      i += 2;
      if ('(){}|+?'.includes(next)) {
        if (extended) {
          out += `\\${next}`;
          continue;
        }
        if (next === '(') depth++;
        if (next === ')' && --depth < 0) return { ok: false, error: 'Unmatched ) or \\)' };
        // The operator itself: capturing groups, so `\1` back-references work.
        out += next;
        atStart = next === '(' || next === '|';
      } else if ('wWsSbB'.includes(next) || /[1-9]/.test(next)) {
        out += `\\${next}`;
      } else if (next === '<') {
        out += '\\b(?=\\w)';
      } else if (next === '>') {
        out += '\\b(?<=\\w)';
      } else {
        out += literal(next);
      }
      continue;
    }
    i++;
    if (c === '*') {
      out += wasStart ? '\\*' : '*';
    } else if (c === '^') {
      out += extended || wasStart ? '^' : '\\^';
      atStart = wasStart;
    } else if (c === '$') {
      const rest = pattern.slice(i);
      const anchor = extended || rest === '' || rest.startsWith('\\)') || rest.startsWith('\\|');
      out += anchor ? '$' : '\\$';
    } else if (!extended && '(){}|+?'.includes(c)) {
      out += `\\${c}`;
    } else if (extended && c === '{') {
      // GNU ERE: a `{` that does not start a valid interval is a literal brace.
      const interval = wasStart ? null : /^[0-9]+(,[0-9]*)?\}/.exec(pattern.slice(i));
      out += interval ? `{${interval[0]}` : '\\{';
      i += interval ? interval[0].length : 0;
    } else if (extended && (c === '(' || c === '|')) {
      out += c;
      if (c === '(') depth++;
      atStart = true;
    } else if (extended && c === ')') {
      if (--depth < 0) return { ok: false, error: 'Unmatched ) or \\)' };
      out += ')';
    } else if (extended && (c === '+' || c === '?')) {
      out += wasStart ? `\\${c}` : c;
    } else {
      out += c === '.' ? '.' : literal(c);
    }
  }
  if (depth > 0) return { ok: false, error: 'Unmatched ( or \\(' };
  return { ok: true, source: out };
}

/** Escapes text to match itself (`grep -F`). */
export function escapeFixed(text: string): string {
  return [...text].map(literal).join('');
}
