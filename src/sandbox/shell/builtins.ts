/**
 * The shell's builtin commands. They act on the FileTree directly, so they are instant and need
 * no runtime; languages (python, ruby, cc, .wasm) are Programs the interpreter gets elsewhere.
 */
import { COMMANDS } from './command-names.ts';
import { type Builtin, type BuiltinIo, encode, parseOptions, writeLine } from './command.ts';
import { cp, mkdir, mv, rm, touch } from './fileops.ts';
import { find } from './find.ts';
import { grep } from './grep.ts';
import { ls } from './ls.ts';
import { printf } from './printf.ts';
import { WORKSPACE_ROOT, describeError, displayPath, resolvePath } from './paths.ts';
import { sort, uniq } from './sort-commands.ts';
import { basename, dirname, seq } from './string-commands.ts';
import { bracketTest, test } from './test-command.ts';
import { head, tail, wc } from './text-commands.ts';
import { exportVariables, unset, which } from './variable-commands.ts';

export type { Builtin, BuiltinIo } from './command.ts';

/** `cat [FILE...]`: concatenates files; no operand or `-` reads stdin. */
const cat: Builtin = (args, io) => {
  const opts = parseOptions('cat', args, '');
  if (!opts.ok) {
    writeLine(io.stderr, opts.error);
    return 1;
  }
  let status = 0;
  for (const operand of opts.operands.length > 0 ? opts.operands : ['-']) {
    // Copies: the bytes may be the FileTree's own array, and a sink might transfer or keep it.
    if (operand === '-') {
      io.stdout(io.stdin.slice());
      continue;
    }
    const target = resolvePath(io.cwd, operand);
    try {
      if (!target.ok) throw new Error(target.error);
      io.stdout(io.tree.readFile(target.path).slice());
    } catch (error) {
      // describeError words WorkspaceErrors as coreutils does and passes other messages through.
      writeLine(io.stderr, `cat: ${operand}: ${describeError(error)}`);
      status = 1;
    }
  }
  return status;
};

/** `echo [-n] [-e] [ARG...]`: arguments joined by spaces; `-n` drops the newline, `-e` reads `\n`-style escapes (as bash's echo). */
const echo: Builtin = (args, io) => {
  let i = 0;
  let newline = true;
  let escapes = false;
  for (; i < args.length && /^-[neE]+$/.test(args[i] as string); i++) {
    for (const flag of (args[i] as string).slice(1)) {
      if (flag === 'n') newline = false;
      else escapes = flag === 'e';
    }
  }
  const text = args.slice(i).join(' ');
  if (!escapes) {
    io.stdout(encode(newline ? `${text}\n` : text));
    return 0;
  }
  const { out, stop } = readEscapes(text);
  io.stdout(encode(newline && !stop ? `${out}\n` : out));
  return 0;
};

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** bash `echo -e` escapes: `\n \t \\ \e ... \0NNN \xHH`; `\c` stops all output (and the newline). */
function readEscapes(text: string): { out: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c !== '\\' || next === undefined) {
      out += c;
    } else if (next === 'c') {
      return { out, stop: true };
    } else if (Object.hasOwn(ESCAPES, next)) {
      out += ESCAPES[next];
      i++;
    } else if (next === '0' || next === 'x') {
      const digits = (next === '0' ? /^[0-7]{0,3}/ : /^[0-9a-fA-F]{1,2}/).exec(text.slice(i + 2))?.[0] ?? '';
      if (next === 'x' && digits === '') out += '\\x';
      else out += String.fromCharCode(parseInt(digits || '0', next === '0' ? 8 : 16));
      i += 1 + digits.length;
    } else {
      out += c;
    }
  }
  return { out, stop: false };
}

/** `pwd`: the working directory as programs see it (`/workspace/...`). */
const pwd: Builtin = (_args, io) => {
  writeLine(io.stdout, displayPath(io.cwd));
  return 0;
};

/** `cd [DIR]`: no operand goes to the workspace root. */
const cd: Builtin = (args, io) => {
  if (args.length > 1) {
    writeLine(io.stderr, 'cd: too many arguments');
    return 1;
  }
  const operand = args[0] ?? WORKSPACE_ROOT;
  const target = resolvePath(io.cwd, operand);
  if (!target.ok || !io.tree.isDir(target.path)) {
    const reason = !target.ok ? target.error : io.tree.isFile(target.path) ? 'Not a directory' : 'No such file or directory';
    writeLine(io.stderr, `cd: ${operand}: ${reason}`);
    return 1;
  }
  io.chdir(target.path);
  return 0;
};

/** Width of the usage column of `help`. */
const USAGE_WIDTH = 30;

/** `help`: every command with its usage and a one-line description, then the syntax. */
function helpText(): string {
  // Usages are padded to one column; the rare longer one just gets two spaces, to fit 80 columns.
  const line = (usage: string, description: string): string => `  ${usage.padEnd(USAGE_WIDTH - 2)}  ${description}\n`;
  const list = (kind: 'builtin' | 'program'): string =>
    COMMANDS.filter((command) => command.kind === kind)
      .map((command) => line(command.usage, command.description))
      .join('');
  return `Isobox shell. Commands:
${list('builtin')}Languages:
${list('program')}${line('./prog.wasm [ARG...]', 'run a WASI program from the workspace').trimEnd()}
Syntax: CMD | CMD, CMD && CMD, CMD || CMD, CMD ; CMD,
  > FILE, >> FILE, < FILE, 2> FILE, 2>&1, 'literal', "with $VAR", # comment,
  NAME=value (a shell variable), NAME=value CMD (for CMD only),
  $NAME, \${NAME}, \${NAME:-default}, $? (last exit code), * ? [..] globs.
Files live under ${WORKSPACE_ROOT}; paths outside it are refused.
`;
}

/** Every builtin by name. The interpreter looks here before asking for a Program. */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['ls', ls],
  ['cat', cat],
  ['echo', echo],
  ['printf', printf],
  ['pwd', pwd],
  ['cd', cd],
  ['mkdir', mkdir],
  ['rm', rm],
  ['mv', mv],
  ['cp', cp],
  ['touch', touch],
  ['head', head],
  ['tail', tail],
  ['wc', wc],
  ['grep', grep],
  ['find', find],
  ['sort', sort],
  ['uniq', uniq],
  ['seq', seq],
  ['basename', basename],
  ['dirname', dirname],
  ['test', test],
  ['[', bracketTest],
  ['export', exportVariables],
  ['unset', unset],
  ['which', which],
  ['true', () => 0],
  ['false', () => 1],
  // Erase the screen and home the cursor; the terminal panel interprets ANSI.
  ['clear', (_args, io) => (io.stdout(encode('\x1b[2J\x1b[H')), 0)],
  ['help', (_args, io) => (io.stdout(encode(helpText())), 0)],
]);

/** The builtin called `name`, if there is one. */
export function findBuiltin(name: string): Builtin | undefined {
  return BUILTINS.get(name);
}

/** Runs a builtin, turning an unexpected throw into a message and exit 1 rather than a dead line. */
export function runBuiltin(name: string, builtin: Builtin, args: string[], io: BuiltinIo): number {
  try {
    return builtin(args, io);
  } catch (error) {
    writeLine(io.stderr, `${name}: ${describeError(error)}`);
    return 1;
  }
}
