/**
 * The shell line language of DESIGN.md, parsed to an AST without running anything:
 * `list := pipeline ((&& | || | ; | newline) pipeline)*`, `pipeline := command (| command)*`,
 * `command := assignment* (word | redirection)+`. Expansions (`$NAME`, `${NAME}`, `${NAME:-word}`,
 * `${#NAME}`, `$?`) stay in the AST as parts, so the interpreter expands them with the variables
 * and exit code current when a command runs.
 */

/** One piece of a word. `quoted` parts are never glob patterns and never dropped when empty. */
export type WordPart =
  | { kind: 'text'; text: string; quoted: boolean }
  | { kind: 'var'; name: string; quoted: boolean; alternative?: VarAlternative }
  | { kind: 'length'; name: string; quoted: boolean }
  | { kind: 'exitCode'; quoted: boolean };

/**
 * `${NAME-word}` / `${NAME:-word}` (`use`: word when NAME is unset, or also when empty with the
 * colon) and `${NAME+word}` / `${NAME:+word}` (`alternate`: word when NAME is set, or set and non-empty).
 */
export interface VarAlternative {
  op: 'use' | 'alternate';
  colon: boolean;
  word: WordPart[];
}

/** `NAME=value` before a command's name: for that command only, or a shell variable when alone. */
export interface Assignment {
  name: string;
  value: Word;
}

/** A shell word: its parts are concatenated after expansion (`a"$B"'c'` is one word). */
export interface Word {
  parts: WordPart[];
}

/** `>`, `>>`, `2>`, `2>>` (write), `<` (read) and `2>&1`, `>&2` (dup: fd becomes a copy of `to`). */
export type Redirect =
  | { kind: 'write'; fd: 1 | 2; append: boolean; target: Word }
  | { kind: 'read'; target: Word }
  | { kind: 'dup'; fd: 1 | 2; to: 1 | 2 };

/** A simple command: assignments, words (name first) and redirections applied left to right. */
export interface Command {
  assignments: Assignment[];
  words: Word[];
  redirects: Redirect[];
}

/** Commands joined by `|`. */
export interface Pipeline {
  commands: Command[];
}

/** How a pipeline joins the one before it; the first pipeline of a line has `;`. */
export type Connector = ';' | '&&' | '||';

/** One pipeline of a line and how it joins the one before. */
export interface ListItem {
  connector: Connector;
  pipeline: Pipeline;
}

/** A parsed line: pipelines run in order, `&&`/`||` decided by the previous exit code. */
export interface ShellAst {
  items: ListItem[];
}

/** Parse outcome as a value: callers branch on `ok`, the parser never throws. */
export type ParseResult = { ok: true; ast: ShellAst } | { ok: false; error: string };

type Operator = '|' | '&&' | '||' | ';';

type Token =
  | { type: 'word'; word: Word }
  | { type: 'op'; op: Operator }
  | { type: 'newline' }
  | { type: 'redirect'; text: string; redirect: PendingRedirect };

/** A redirection whose target word has not been read yet (dups need none). */
type PendingRedirect =
  | { kind: 'write'; fd: 1 | 2; append: boolean }
  | { kind: 'read' }
  | { kind: 'dup'; fd: 1 | 2; to: 1 | 2 };

/** Thrown inside the parser only, turned into `{ ok: false }` by `parseLine`. */
class ShellSyntaxError extends Error {}

function fail(message: string): never {
  throw new ShellSyntaxError(`isobox: syntax error: ${message}`);
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const BLANK = new Set([' ', '\t', '\r']);
/** What `~` at the start of a word means. */
const WORKSPACE_HOME = '/workspace';
/** A file descriptor number written right before `>` or `<` (`2>`), matched at the lexer's position. */
const FD_PREFIX = /[0-9]+(?=[<>])/y;
/** Characters that end an unquoted word. */
const WORD_END = new Set([' ', '\t', '\r', '\n', '|', '&', ';', '<', '>', '(', ')']);

/** Parses one shell line (or several, separated by newlines) into an AST, or a one-line error. */
export function parseLine(line: string): ParseResult {
  try {
    return { ok: true, ast: parseTokens(new Lexer(line).tokens()) };
  } catch (error) {
    if (error instanceof ShellSyntaxError) return { ok: false, error: error.message };
    throw error;
  }
}

class Lexer {
  private i = 0;
  private parts: WordPart[] = [];

  constructor(private readonly src: string) {}

  tokens(): Token[] {
    const out: Token[] = [];
    while (this.i < this.src.length) {
      const c = this.src[this.i] as string;
      if (BLANK.has(c)) {
        this.i++;
      } else if (c === '\\' && this.src[this.i + 1] === '\n') {
        // Backslash-newline between words continues the line, as in sh.
        this.i += 2;
      } else if (c === '\n') {
        out.push({ type: 'newline' });
        this.i++;
      } else if (c === '#') {
        // A comment runs to the end of its line; `#` inside a word (`a#b`) is literal.
        while (this.i < this.src.length && this.src[this.i] !== '\n') this.i++;
      } else if (c === '|') {
        const double = this.src[this.i + 1] === '|';
        out.push({ type: 'op', op: double ? '||' : '|' });
        this.i += double ? 2 : 1;
      } else if (c === '&') {
        if (this.src[this.i + 1] === '&') {
          out.push({ type: 'op', op: '&&' });
          this.i += 2;
        } else if (this.src[this.i + 1] === '>') {
          fail("'&>' is not supported (use '> FILE 2>&1')");
        } else {
          fail("background jobs ('&') are not supported");
        }
      } else if (c === ';') {
        out.push({ type: 'op', op: ';' });
        this.i++;
      } else if (c === '(' || c === ')') {
        fail("subshells and grouping ('(' ')') are not supported");
      } else if (c === '<' || c === '>') {
        out.push(this.redirect(c === '<' ? 0 : 1, ''));
      } else {
        FD_PREFIX.lastIndex = this.i;
        const fd = FD_PREFIX.exec(this.src);
        if (fd) {
          this.i += fd[0].length;
          out.push(this.redirect(Number(fd[0]), fd[0]));
        } else {
          out.push({ type: 'word', word: this.word() });
        }
      }
    }
    return out;
  }

  /** Reads a redirection operator at `<` or `>`; `fdText` is an explicit fd already consumed. */
  private redirect(fd: number, fdText: string): Token {
    const s = this.src;
    const c = s[this.i];
    if (c === '<') {
      if (s[this.i + 1] === '<') fail("here-documents ('<<') are not supported");
      if (s[this.i + 1] === '(') fail("process substitution ('<(...)') is not supported");
      if (s[this.i + 1] === '>') fail("'<>' is not supported");
      if (fd !== 0) fail(`'${fdText}<' is not supported: only standard input can be read from a file`);
      this.i++;
      return { type: 'redirect', text: `${fdText}<`, redirect: { kind: 'read' } };
    }
    const out = checkOutputFd(fd);
    if (s[this.i + 1] === '(') fail("process substitution ('>(...)') is not supported");
    if (s[this.i + 1] === '&') {
      const to = s[this.i + 2];
      if (to !== '1' && to !== '2') fail(`'${fdText}>&' must be followed by 1 or 2`);
      if (s[this.i + 3] !== undefined && !WORD_END.has(s[this.i + 3] as string)) fail(`'${fdText}>&' must be followed by 1 or 2`);
      this.i += 3;
      return { type: 'redirect', text: `${fdText}>&${to}`, redirect: { kind: 'dup', fd: out, to: to === '1' ? 1 : 2 } };
    }
    const append = s[this.i + 1] === '>';
    // `>|` (write even with noclobber) means plain `>` here: there is no noclobber.
    this.i += append || s[this.i + 1] === '|' ? 2 : 1;
    return { type: 'redirect', text: `${fdText}${append ? '>>' : '>'}`, redirect: { kind: 'write', fd: out, append } };
  }

  /** Reads one word, handling quotes, escapes and `$` expansions, up to an unquoted word end. */
  private word(): Word {
    this.parts = [];
    const s = this.src;
    const afterTilde = s[this.i + 1];
    if (s[this.i] === '~' && (afterTilde === undefined || afterTilde === '/' || WORD_END.has(afterTilde))) {
      // The sandbox has one home, the workspace; quoted so the path is never taken as a glob.
      this.text(WORKSPACE_HOME, true);
      this.i++;
    }
    while (this.i < s.length) {
      const c = s[this.i] as string;
      if (WORD_END.has(c)) break;
      if (c === "'") {
        const end = s.indexOf("'", this.i + 1);
        if (end < 0) fail('unterminated quote');
        this.text(s.slice(this.i + 1, end), true);
        this.i = end + 1;
      } else if (c === '"') {
        this.doubleQuoted();
      } else if (c === '\\') {
        const next = s[this.i + 1];
        if (next === undefined) fail('unfinished escape: the line ends with a backslash');
        // Backslash-newline joins lines, as in sh.
        if (next !== '\n') this.text(next as string, true);
        this.i += 2;
      } else if (c === '$') {
        this.dollar(false);
      } else if (c === '`') {
        fail('command substitution (`...`) is not supported');
      } else {
        this.text(c, false);
        this.i++;
      }
    }
    return { parts: this.parts };
  }

  private doubleQuoted(): void {
    const s = this.src;
    this.i++;
    // Even `""` yields a part, so the word survives as an empty argument.
    this.text('', true);
    for (;;) {
      const c = s[this.i];
      if (c === undefined) fail('unterminated quote');
      if (c === '"') {
        this.i++;
        return;
      }
      if (c === '\\') {
        const next = s[this.i + 1];
        if (next === '"' || next === '\\' || next === '$' || next === '`') this.text(next, true);
        else if (next !== '\n') this.text(`\\${next ?? ''}`, true);
        this.i += next === undefined ? 1 : 2;
      } else if (c === '$') {
        this.dollar(true);
      } else if (c === '`') {
        fail('command substitution (`...`) is not supported');
      } else {
        this.text(c, true);
        this.i++;
      }
    }
  }

  /** At a `$`: `$?`, `$NAME`, `${NAME}`; `$(` is refused; any other `$` is a literal dollar. */
  private dollar(quoted: boolean): void {
    const s = this.src;
    const next = s[this.i + 1];
    if (next === '?') {
      this.parts.push({ kind: 'exitCode', quoted });
      this.i += 2;
    } else if (next === '(') {
      if (s[this.i + 2] === '(') fail("arithmetic expansion ('$((...))') is not supported");
      fail("command substitution ('$(...)') is not supported");
    } else if (next === '{') {
      const end = closingBrace(s, this.i + 2, quoted);
      if (end < 0) fail("unterminated '${'");
      this.parts.push(braced(s.slice(this.i + 2, end), quoted));
      this.i = end + 1;
    } else if (next !== undefined && NAME_START.test(next)) {
      let end = this.i + 2;
      while (end < s.length && NAME_CHAR.test(s[end] as string)) end++;
      this.parts.push({ kind: 'var', name: s.slice(this.i + 1, end), quoted });
      this.i = end;
    } else {
      this.text('$', quoted);
      this.i++;
    }
  }

  /**
   * The word inside `${NAME:-word}`: quotes, escapes and expansions as in a word, but blanks and
   * operators are plain text there. Inside double quotes every part is quoted.
   */
  inner(quoted: boolean): WordPart[] {
    this.parts = [];
    const s = this.src;
    while (this.i < s.length) {
      const c = s[this.i] as string;
      if (c === "'" && !quoted) {
        const end = s.indexOf("'", this.i + 1);
        if (end < 0) fail('unterminated quote');
        this.text(s.slice(this.i + 1, end), true);
        this.i = end + 1;
      } else if (c === '"' && !quoted) {
        this.doubleQuoted();
      } else if (c === '\\' && s[this.i + 1] !== undefined) {
        this.text(s[this.i + 1] as string, true);
        this.i += 2;
      } else if (c === '$') {
        this.dollar(quoted);
      } else {
        this.text(c, quoted);
        this.i++;
      }
    }
    return this.parts;
  }

  /** Appends text, merging with the previous part when it has the same quoting. */
  private text(text: string, quoted: boolean): void {
    const last = this.parts.at(-1);
    if (last?.kind === 'text' && last.quoted === quoted) last.text += text;
    else this.parts.push({ kind: 'text', text, quoted });
  }
}

/**
 * Index of the `}` closing a `${` whose body starts at `start`, skipping quotes and nested `${...}`;
 * -1 if none. Inside double quotes (`quoted`) a single quote is an ordinary character, as in sh.
 */
function closingBrace(s: string, start: number, quoted: boolean): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === "'" && !quoted) {
      const end = s.indexOf("'", i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (c === '"') {
      for (i++; i < s.length && s[i] !== '"'; i++) if (s[i] === '\\') i++;
      if (i >= s.length) return -1;
    } else if (c === '$' && s[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

const BRACED = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-+])([\s\S]*))?$/;

/** The part for `${inner}`: `?`, `NAME`, `#NAME`, `NAME:-word`, `NAME-word`, `NAME:+word`, `NAME+word`. */
function braced(inner: string, quoted: boolean): WordPart {
  if (inner === '?') return { kind: 'exitCode', quoted };
  if (/^#[A-Za-z_][A-Za-z0-9_]*$/.test(inner)) return { kind: 'length', name: inner.slice(1), quoted };
  const match = BRACED.exec(inner);
  if (!match) fail(`unsupported parameter expansion '\${${inner}}' (supported: \${NAME}, \${NAME:-default}, \${NAME:+alt}, \${#NAME}, \${?})`);
  const [, name = '', colon, op, rest = ''] = match;
  if (op === undefined) return { kind: 'var', name, quoted };
  const word = new Lexer(rest).inner(quoted);
  return { kind: 'var', name, quoted, alternative: { op: op === '-' ? 'use' : 'alternate', colon: colon === ':', word } };
}

/** `NAME=...` as the start of a word (the name unquoted), split into name and value; else undefined. */
function assignmentOf(word: Word): Assignment | undefined {
  const [first, ...rest] = word.parts;
  if (first?.kind !== 'text' || first.quoted) return undefined;
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text);
  if (!match) return undefined;
  const head = first.text.slice(match[0].length);
  const parts: WordPart[] = head === '' ? rest : [{ kind: 'text', text: head, quoted: false }, ...rest];
  // An empty value (`A=`) still sets A, to the empty string: a quoted empty part keeps the word.
  return { name: match[1] as string, value: { parts: parts.length > 0 ? parts : [{ kind: 'text', text: '', quoted: true }] } };
}

function checkOutputFd(fd: number): 1 | 2 {
  if (fd === 1 || fd === 2) return fd;
  return fail(`file descriptor ${fd} is not supported (only 1 and 2 can be redirected to a file)`);
}

/** Turns tokens into the list/pipeline/command structure, with messages that name the operator. */
function parseTokens(tokens: Token[]): ShellAst {
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const peekOp = (): Operator | undefined => {
    const tok = tokens[pos];
    return tok?.type === 'op' ? tok.op : undefined;
  };
  const skipNewlines = (): void => {
    while (peek()?.type === 'newline') pos++;
  };

  /** A command is expected here; `after` is the operator that led to it, for the message. */
  const command = (after: string | undefined): Command => {
    const cmd: Command = { assignments: [], words: [], redirects: [] };
    for (let tok = peek(); tok && (tok.type === 'word' || tok.type === 'redirect'); tok = peek()) {
      pos++;
      if (tok.type === 'word') {
        const assignment = cmd.words.length === 0 ? assignmentOf(tok.word) : undefined;
        if (assignment) cmd.assignments.push(assignment);
        else cmd.words.push(tok.word);
        continue;
      }
      if (tok.redirect.kind === 'dup') {
        cmd.redirects.push(tok.redirect);
        continue;
      }
      const target = peek();
      if (target?.type !== 'word') fail(`'${tok.text}' needs a file name`);
      pos++;
      cmd.redirects.push(
        tok.redirect.kind === 'read' ? { kind: 'read', target: target.word } : { ...tok.redirect, target: target.word },
      );
    }
    if (cmd.words.length === 0 && cmd.redirects.length === 0 && cmd.assignments.length === 0) {
      const here = peekOp();
      if (here === undefined) fail(`nothing after '${after ?? ''}'`);
      if (after === undefined) fail(`nothing before '${here}'`);
      fail(`nothing between '${after}' and '${here}'`);
    }
    return cmd;
  };

  const pipeline = (after: string | undefined): Pipeline => {
    const commands = [command(after)];
    while (peekOp() === '|') {
      pos++;
      // A newline after `|` continues the pipeline, as in sh.
      skipNewlines();
      commands.push(command('|'));
    }
    return { commands };
  };

  const items: ListItem[] = [];
  skipNewlines();
  if (pos >= tokens.length) return { items };
  let connector: Connector = ';';
  let after: string | undefined;
  for (;;) {
    items.push({ connector, pipeline: pipeline(after) });
    const tok = peek();
    if (tok === undefined) break;
    pos++;
    if (tok.type === 'newline' || (tok.type === 'op' && tok.op === ';')) {
      // `;` or a newline may end the line; empty lines between commands are fine.
      skipNewlines();
      if (peek() === undefined) break;
      connector = ';';
      after = tok.type === 'op' ? ';' : undefined;
      const op = peekOp();
      if (tok.type === 'newline' && op !== undefined) fail(`nothing before '${op}'`);
    } else if (tok.type === 'op' && (tok.op === '&&' || tok.op === '||')) {
      skipNewlines();
      connector = tok.op;
      after = tok.op;
    } else {
      // Only `|` can land here, after a pipeline already consumed its own `|`s: unreachable.
      fail(`unexpected '${tok.type === 'op' ? tok.op : 'token'}'`);
    }
  }
  return { items };
}
