/**
 * The `isobox` command line → a typed command. Options go before the operand (`run FILE`,
 * `exec LINE`, `agent TASK`); everything from the operand on belongs to it, so
 * `isobox run main.py --verbose` hands `--verbose` to the program, as `python main.py --verbose` does.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packageIndexUrl } from '../sandbox/packages/provider.ts';
import { pypiIndexUrl } from '../sandbox/packages/pypi.ts';
import type { Language } from '../sandbox/protocol.ts';

/** What the user asked for. */
export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; options: CommonOptions; file: string; args: string[]; language?: Language }
  | { kind: 'exec'; options: CommonOptions; line: string }
  | { kind: 'mcp'; options: CommonOptions }
  | { kind: 'agent'; options: CommonOptions; task: string; provider?: AgentProvider; maxSteps?: number };

/** Options every sandbox command shares. */
export interface CommonOptions {
  /** Absolute path of the workspace directory. */
  workspace: string;
  timeoutMs: number;
  /** Origins user code may reach: empty = none, [`ALLOW_ALL_NET`] = any. */
  allowNet: string[];
  json: boolean;
  audit: boolean;
  /** Python may download the packages its imports need (without asking: the flag is the consent). */
  allowPackages?: boolean;
  /** The package index folder (`--package-index URL`); default Pyodide's official one. */
  packageIndex?: string;
  /** The PyPI-style JSON index for `pip install` / `micropip.install` (`--pypi-index URL`); default PyPI. */
  pypiIndex?: string;
}

export type AgentProvider = 'openai-compatible' | 'openai' | 'anthropic' | 'demo';

/** What `--allow-net` without origins passes to the sandbox. */
export const ALLOW_ALL_NET = '*';

export const DEFAULT_TIMEOUT_SECONDS = 30;

/** setTimeout's ceiling (2^31-1 ms): beyond it Node fires the timer at once. */
const MAX_TIMEOUT_SECONDS = 2_147_483;

const LANGUAGES: readonly Language[] = ['python', 'ruby', 'c', 'cpp', 'wasm'];
const PROVIDERS: readonly AgentProvider[] = ['openai-compatible', 'openai', 'anthropic', 'demo'];
const COMMANDS = ['run', 'exec', 'mcp', 'agent'] as const;
type CommandName = (typeof COMMANDS)[number];

/** A mistake on the command line: the CLI prints the message and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const OPTIONS = {
  workspace: { type: 'string', short: 'w' },
  timeout: { type: 'string', short: 't' },
  lang: { type: 'string', short: 'l' },
  json: { type: 'boolean' },
  audit: { type: 'boolean' },
  'allow-packages': { type: 'boolean' },
  'package-index': { type: 'string' },
  'pypi-index': { type: 'string' },
  provider: { type: 'string' },
  'max-steps': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

type OptionName = keyof typeof OPTIONS | 'allow-net';

/** Options each command accepts (help and version go anywhere). */
const ACCEPTS: Record<CommandName, readonly OptionName[]> = {
  run: ['workspace', 'timeout', 'allow-net', 'json', 'audit', 'lang', 'allow-packages', 'package-index', 'pypi-index'],
  exec: ['workspace', 'timeout', 'allow-net', 'json', 'audit', 'allow-packages', 'package-index', 'pypi-index'],
  mcp: ['workspace', 'timeout', 'allow-net', 'allow-packages', 'package-index', 'pypi-index'],
  agent: ['workspace', 'timeout', 'allow-net', 'json', 'provider', 'max-steps'],
};

/** Options that take the next word as their value (needed to find where the operand starts). */
const TAKES_VALUE = new Set(
  Object.entries(OPTIONS).flatMap(([name, spec]) => (spec.type === 'string' ? [`--${name}`, ...('short' in spec ? [`-${spec.short}`] : [])] : [])),
);

/**
 * Parses `argv` (without `node` and the script). Throws `UsageError` for anything malformed.
 * `cwd` resolves a relative `--workspace` (and is the default workspace).
 */
export function parseCommandLine(argv: readonly string[], cwd: string = process.cwd()): Command {
  const { head, command, operands } = split(argv);
  const { allowNet, rest } = takeAllowNet(head);
  const values = parseOptions(rest);

  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  if (command === undefined) throw new UsageError('no command given; try `isobox run main.py` or `isobox --help`');
  if (command === 'help') return { kind: 'help' };
  if (!isCommandName(command)) throw new UsageError(`unknown command "${command}"; the commands are ${COMMANDS.join(', ')}`);

  const given: OptionName[] = [...(Object.keys(values) as OptionName[]), ...(allowNet ? (['allow-net'] as const) : [])];
  for (const name of given) {
    if (!ACCEPTS[command].includes(name)) throw new UsageError(`--${name} is not an option of \`isobox ${command}\``);
  }

  const options: CommonOptions = {
    workspace: resolve(cwd, values.workspace ?? '.'),
    timeoutMs: parseTimeout(values.timeout),
    allowNet: allowNet ?? [],
    json: values.json ?? false,
    audit: values.audit ?? false,
    allowPackages: values['allow-packages'] ?? false,
    ...(values['package-index'] === undefined ? {} : { packageIndex: parsePackageIndex(values['package-index']) }),
    ...(values['pypi-index'] === undefined ? {} : { pypiIndex: parsePypiIndex(values['pypi-index']) }),
  };

  switch (command) {
    case 'run': {
      const [file, ...args] = operands;
      if (file === undefined || file === '') throw new UsageError('`isobox run` needs a FILE, e.g. `isobox run main.py`');
      return { kind: 'run', options, file, args, ...(values.lang === undefined ? {} : { language: parseLanguage(values.lang) }) };
    }
    case 'exec': {
      // Several words are joined with spaces, as ssh does; one quoted argument keeps spacing exact.
      const line = operands.join(' ');
      if (line.trim() === '') throw new UsageError('`isobox exec` needs a shell line, e.g. `isobox exec "ls -l"`');
      return { kind: 'exec', options, line };
    }
    case 'mcp':
      if (operands.length > 0) throw new UsageError(`\`isobox mcp\` takes no arguments (got "${operands[0]}")`);
      return { kind: 'mcp', options };
    case 'agent': {
      const task = operands.join(' ');
      if (task.trim() === '') throw new UsageError('`isobox agent` needs a task, e.g. `isobox agent "write fizzbuzz in Python and run it"`');
      return {
        kind: 'agent',
        options,
        task,
        ...(values.provider === undefined ? {} : { provider: parseProvider(values.provider) }),
        ...(values['max-steps'] === undefined ? {} : { maxSteps: parsePositiveInteger('--max-steps', values['max-steps']) }),
      };
    }
  }
}

/** Splits argv into the options before the operand, the command word, and the operand onwards. */
function split(argv: readonly string[]): { head: string[]; command: string | undefined; operands: string[] } {
  const head: string[] = [];
  let command: string | undefined;
  let afterDashes = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!afterDashes && arg === '--') {
      afterDashes = true;
      continue;
    }
    if (!afterDashes && arg.startsWith('-') && arg !== '-') {
      head.push(arg);
      if (TAKES_VALUE.has(arg) && i + 1 < argv.length) head.push(argv[++i] as string);
      continue;
    }
    if (command === undefined) {
      command = arg;
      continue;
    }
    return { head, command, operands: argv.slice(i) };
  }
  return { head, command, operands: [] };
}

/**
 * `--allow-net` has an optional value (`--allow-net` = any origin, `--allow-net=https://a.example,…`
 * = those), which parseArgs cannot express, so it is taken out first.
 */
function takeAllowNet(head: string[]): { allowNet: string[] | undefined; rest: string[] } {
  let all = false;
  let origins: string[] | undefined;
  const rest: string[] = [];
  for (const arg of head) {
    if (arg === '--allow-net') {
      all = true;
    } else if (arg.startsWith('--allow-net=')) {
      origins = [...(origins ?? []), ...arg.slice('--allow-net='.length).split(',').map(parseOrigin)];
    } else {
      rest.push(arg);
    }
  }
  if (all) return { allowNet: [ALLOW_ALL_NET], rest };
  return { allowNet: origins && [...new Set(origins)], rest };
}

function parseOrigin(raw: string): string {
  const value = raw.trim();
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
    throw new UsageError(`--allow-net: "${value}" is not an origin; write it as https://example.com (or use --allow-net alone to allow any)`);
  }
  return url.origin;
}

type OptionValues = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean };

function parseOptions(args: string[]): OptionValues {
  try {
    return parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }).values as OptionValues;
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
}

/** parseArgs' messages are long and talk about its own API; say what went wrong in our words. */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  const option = /'([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}; see \`isobox --help\``;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    const long = /--[\w-]+/.exec(option)?.[0] ?? option;
    if (/does not take/.test(message)) return `${long} takes no value`;
    if (/ambiguous/.test(message)) return `${long} needs a value (write ${long}=VALUE for a value that starts with "-")`;
    return `${long} needs a value`;
  }
  return message;
}

function parseTimeout(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = /^\d+(\.\d+)?$|^\.\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!(seconds > 0) || seconds > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(`--timeout takes a number of seconds greater than 0 (got "${raw}")`);
  }
  return Math.max(1, Math.round(seconds * 1000));
}

function parsePositiveInteger(name: string, raw: string): number {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!(value >= 1) || !Number.isSafeInteger(value)) throw new UsageError(`${name} takes a whole number of at least 1 (got "${raw}")`);
  return value;
}

function parseLanguage(raw: string): Language {
  const value = raw.trim().toLowerCase();
  const alias: Record<string, Language> = { py: 'python', python3: 'python', rb: 'ruby', 'c++': 'cpp', cxx: 'cpp' };
  const language = alias[value] ?? LANGUAGES.find((name) => name === value);
  if (!language) throw new UsageError(`--lang: unknown language "${raw}"; one of ${LANGUAGES.join(', ')}`);
  return language;
}

function parseProvider(raw: string): AgentProvider {
  const provider = PROVIDERS.find((name) => name === raw.trim());
  if (!provider) throw new UsageError(`--provider: unknown provider "${raw}"; one of ${PROVIDERS.join(', ')}`);
  return provider;
}

function isCommandName(name: string): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name);
}

/** `--pypi-index URL`: a PyPI-style JSON index (`URL/NAME/json`). */
function parsePypiIndex(value: string): string {
  try {
    return pypiIndexUrl(value);
  } catch (error) {
    throw new UsageError(`--pypi-index: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `--package-index URL`: a folder URL holding pyodide-lock.json and its wheels. */
function parsePackageIndex(value: string): string {
  try {
    return packageIndexUrl(value);
  } catch (error) {
    throw new UsageError(`--package-index: ${error instanceof Error ? error.message : String(error)}`);
  }
}
