/**
 * Tab completion for the shell prompt: the first word of a command completes to a command name,
 * any other word (or one holding a `/`) to a workspace path. The directory listing is a parameter,
 * so this runs (and is tested) without a sandbox.
 */

/** One entry of a workspace directory. */
export interface CompletionEntry {
  name: string;
  kind: 'file' | 'dir';
}

/** What completion may look at. */
export interface CompletionContext {
  /** The shell's working directory, workspace-relative ('' is /workspace). */
  cwd: string;
  commands: readonly string[];
  /** Lists a workspace-relative directory; rejects (or returns []) when there is none. */
  listDir(path: string): Promise<CompletionEntry[]>;
}

/** The line after completion, and the candidates to show when the word stays ambiguous. */
export interface CompletionResult {
  line: string;
  cursor: number;
  candidates: string[];
}

/** Characters the shell would read as syntax; completed names escape them. */
const SPECIAL = /[\s'"\\$`|&;<>()*?[\]#]/g;
/** Where a word starts: after unescaped whitespace or a shell operator. */
const WORD_BREAK = /(?<!\\)[\s|&;<>()]/g;

/** Completes the word before `cursor` in `line`. */
export async function complete(line: string, cursor: number, context: CompletionContext): Promise<CompletionResult> {
  const before = line.slice(0, cursor);
  const start = wordStart(before);
  const word = before.slice(start).replace(/\\(.)/g, '$1');
  const commandPosition = /(?:^|[|&;(])\s*$/.test(before.slice(0, start));
  const options = commandPosition && !word.includes('/') ? commandOptions(word, context.commands) : await pathOptions(word, context);
  const unchanged = { line, cursor, candidates: [] };
  if (options.length === 0) return unchanged;
  const finished = options.length === 1 ? options[0] : undefined;
  const body = finished ? finished.text : commonPrefix(options.map((o) => o.text));
  // A finished command or file name gets its separating space, as in bash.
  const suffix = finished && !finished.dir ? ' ' : '';
  if (body.length <= word.length && suffix === '') return { ...unchanged, candidates: options.length > 1 ? options.map((o) => o.label) : [] };
  const fixed = body.replace(SPECIAL, (c) => `\\${c}`) + suffix;
  return { line: line.slice(0, start) + fixed + line.slice(cursor), cursor: start + fixed.length, candidates: [] };
}

interface Option {
  /** The whole word once completed (for a path: with its directory part). */
  text: string;
  /** What a listing shows. */
  label: string;
  dir: boolean;
}

function wordStart(before: string): number {
  let start = 0;
  for (const match of before.matchAll(WORD_BREAK)) start = match.index + 1;
  return start;
}

function commandOptions(word: string, commands: readonly string[]): Option[] {
  return [...new Set(commands)].filter((name) => name.startsWith(word)).sort().map((name) => ({ text: name, label: name, dir: false }));
}

async function pathOptions(word: string, context: CompletionContext): Promise<Option[]> {
  const slash = word.lastIndexOf('/');
  const dirPart = word.slice(0, slash + 1);
  const base = word.slice(slash + 1);
  const dir = resolveDir(context.cwd, dirPart);
  if (dir === undefined) return [];
  let entries: CompletionEntry[];
  try {
    entries = await context.listDir(dir);
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((e) => ({ text: dirPart + e.name + (e.kind === 'dir' ? '/' : ''), label: e.name + (e.kind === 'dir' ? '/' : ''), dir: e.kind === 'dir' }));
}

/** The workspace-relative directory a typed directory part names, or undefined outside the workspace. */
export function resolveDir(cwd: string, dirPart: string): string | undefined {
  let rest = dirPart;
  let parts = cwd.split('/').filter(Boolean);
  if (rest.startsWith('/')) {
    if (rest !== '/workspace' && !rest.startsWith('/workspace/')) return undefined;
    rest = rest.slice('/workspace'.length);
    parts = [];
  }
  for (const part of rest.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

function commonPrefix(words: string[]): string {
  let prefix = words[0] ?? '';
  for (const word of words) while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
