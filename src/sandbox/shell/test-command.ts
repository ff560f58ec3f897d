/**
 * `test EXPR` and `[ EXPR ]`: exit 0 when EXPR is true, 1 when false, 2 when it is malformed.
 * Up to four arguments follow POSIX's rules by count (so `[ -n = ]` compares strings); longer
 * expressions are parsed with `!`, `-a`, `-o` and parentheses, as bash does.
 */
import { type Builtin, type BuiltinIo, writeLine } from './command.ts';
import { resolvePath } from './paths.ts';

/** Thrown for a malformed expression; becomes exit 2. */
class TestSyntaxError extends Error {}

const UNARY = new Set(['-e', '-f', '-d', '-s', '-r', '-w', '-x', '-z', '-n', '-L', '-h', '-a']);
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-gt', '-le', '-ge']);

function integer(text: string): number {
  if (!/^[ \t]*[+-]?[0-9]+[ \t]*$/.test(text)) throw new TestSyntaxError(`${text}: integer expression expected`);
  return Number(text);
}

function unary(op: string, operand: string, io: BuiltinIo): boolean {
  if (op === '-z') return operand === '';
  if (op === '-n') return operand !== '';
  const target = resolvePath(io.cwd, operand);
  if (!target.ok || operand === '') return false;
  const { tree } = io;
  switch (op) {
    case '-f':
      return tree.isFile(target.path);
    case '-d':
      return tree.isDir(target.path);
    case '-s':
      return tree.isFile(target.path) ? tree.readFile(target.path).byteLength > 0 : tree.isDir(target.path);
    case '-L':
    case '-h':
      // The workspace has no symbolic links.
      return false;
    default:
      // -e, -a (old -e), -r, -w, -x: everything in the workspace is readable, writable and searchable.
      return tree.exists(target.path);
  }
}

function binary(left: string, op: string, right: string): boolean {
  switch (op) {
    case '=':
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '>':
      return left > right;
  }
  const a = integer(left);
  const b = integer(right);
  switch (op) {
    case '-eq':
      return a === b;
    case '-ne':
      return a !== b;
    case '-lt':
      return a < b;
    case '-gt':
      return a > b;
    case '-le':
      return a <= b;
    default:
      return a >= b;
  }
}

/** POSIX's rules for up to four arguments. */
function byCount(args: string[], io: BuiltinIo): boolean {
  const [a = '', b = '', c = '', d = ''] = args;
  switch (args.length) {
    case 0:
      return false;
    case 1:
      return a !== '';
    case 2:
      if (a === '!') return b === '';
      if (UNARY.has(a)) return unary(a, b, io);
      throw new TestSyntaxError(`${a}: unary operator expected`);
    case 3:
      if (BINARY.has(b)) return binary(a, b, c);
      if (b === '-a') return a !== '' && c !== '';
      if (b === '-o') return a !== '' || c !== '';
      if (a === '!') return !byCount([b, c], io);
      if (a === '(' && c === ')') return b !== '';
      throw new TestSyntaxError(`${b}: binary operator expected`);
    case 4:
      if (a === '!') return !byCount([b, c, d], io);
      if (a === '(' && d === ')') return byCount([b, c], io);
      return parse(args, io);
    default:
      return parse(args, io);
  }
}

/** Recursive descent over `expr := and (-o and)*; and := not (-a not)*; not := ! not | ( expr ) | primary`. */
function parse(args: string[], io: BuiltinIo): boolean {
  let pos = 0;
  const next = (): string | undefined => args[pos];
  const orExpr = (): boolean => {
    let value = andExpr();
    while (next() === '-o') {
      pos++;
      value = andExpr() || value;
    }
    return value;
  };
  const andExpr = (): boolean => {
    let value = notExpr();
    while (next() === '-a') {
      pos++;
      value = notExpr() && value;
    }
    return value;
  };
  const notExpr = (): boolean => {
    const token = next();
    if (token === undefined) throw new TestSyntaxError('argument expected');
    if (token === '!') {
      pos++;
      return !notExpr();
    }
    if (token === '(') {
      pos++;
      const value = orExpr();
      if (next() !== ')') throw new TestSyntaxError(`')' expected`);
      pos++;
      return value;
    }
    const op = args[pos + 1];
    if (op !== undefined && BINARY.has(op) && args[pos + 2] !== undefined) {
      pos += 3;
      return binary(token, op, args[pos - 1] as string);
    }
    if (UNARY.has(token) && args[pos + 1] !== undefined) {
      pos += 2;
      return unary(token, args[pos - 1] as string, io);
    }
    pos++;
    return token !== '';
  };
  const value = orExpr();
  if (pos < args.length) throw new TestSyntaxError(`${args[pos] ?? ''}: too many arguments`);
  return value;
}

function evaluate(name: string, args: string[], io: BuiltinIo): number {
  try {
    return byCount(args, io) ? 0 : 1;
  } catch (error) {
    if (!(error instanceof TestSyntaxError)) throw error;
    writeLine(io.stderr, `${name}: ${error.message}`);
    return 2;
  }
}

/** `test EXPR`. */
export const test: Builtin = (args, io) => evaluate('test', args, io);

/** `[ EXPR ]`: test whose last argument must be `]`. */
export const bracketTest: Builtin = (args, io) => {
  if (args.at(-1) !== ']') {
    writeLine(io.stderr, "[: missing ']'");
    return 2;
  }
  return evaluate('[', args.slice(0, -1), io);
};
