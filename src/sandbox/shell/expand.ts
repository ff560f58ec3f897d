/**
 * Word expansion at the moment a command runs: `$NAME`, `${NAME}`, `${NAME:-word}`, `$?`, then globs
 * (`*`, `?`, `[...]`) against the workspace. Like zsh, unquoted expansions are not split on
 * spaces (a value with spaces stays one argument) and an unquoted expansion that comes out empty
 * drops the word (`echo $UNSET x` prints `x`).
 */
import type { FileTree } from '../worker/tree.ts';
import type { Word, WordPart } from './parser.ts';
import { resolvePath } from './paths.ts';

/** What expansions read: the variables (shell and exported alike) and the exit code of the previous pipeline. */
export interface ExpansionScope {
  env: Readonly<Record<string, string>>;
  lastExitCode: number;
}

/** Where globs are matched. */
export interface GlobScope {
  tree: FileTree;
  cwd: string;
}

/** One character of a glob pattern; `magic` only for unquoted `*`, `?`, `[`, `]`, `!`, `^`, `-`. */
interface PatternChar {
  ch: string;
  magic: boolean;
}

const GLOB_MAGIC = new Set(['*', '?', '[', ']', '!', '^', '-']);

/** Expands a word to one string, without globbing (redirection targets, command lookups). */
export function expandWord(word: Word, scope: ExpansionScope): string {
  let out = '';
  for (const part of word.parts) out += partValue(part, scope);
  return out;
}

/** Expands command words to arguments: variables, `$?`, empty-word removal, then globs. */
export function expandWords(words: Word[], scope: ExpansionScope, glob?: GlobScope): string[] {
  const args: string[] = [];
  for (const word of words) {
    const pattern: PatternChar[] = [];
    let text = '';
    for (const part of word.parts) {
      const value = partValue(part, scope);
      text += value;
      const magic = part.kind === 'text' && !part.quoted;
      for (const ch of value) pattern.push({ ch, magic: magic && GLOB_MAGIC.has(ch) });
    }
    if (text === '' && word.parts.every((part) => !part.quoted)) continue;
    const matches = glob ? expandGlob(pattern, glob) : undefined;
    if (matches) args.push(...matches);
    else args.push(text);
  }
  return args;
}

function partValue(part: WordPart, scope: ExpansionScope): string {
  if (part.kind === 'text') return part.text;
  if (part.kind === 'exitCode') return String(scope.lastExitCode);
  const value = lookup(scope, part.name);
  if (part.kind === 'length') return String([...(value ?? '')].length);
  const alt = part.alternative;
  if (!alt) return value ?? '';
  const set = value !== undefined && (!alt.colon || value !== '');
  const useWord = alt.op === 'use' ? !set : set;
  if (!useWord) return alt.op === 'use' ? (value ?? '') : '';
  return alt.word.map((inner) => partValue(inner, scope)).join('');
}

function lookup(scope: ExpansionScope, name: string): string | undefined {
  // `Object.hasOwn` so `$constructor` and friends are unset, not Object.prototype members.
  return Object.hasOwn(scope.env, name) ? scope.env[name] : undefined;
}

/**
 * Matches a pattern against the workspace, segment by segment. Returns the matching paths as the
 * user would write them (`src/*.py` → `src/a.py`), sorted, or undefined when the word has no glob
 * or nothing matches (then the word stays literal, as in sh without `nullglob`).
 */
function expandGlob(pattern: PatternChar[], scope: GlobScope): string[] | undefined {
  const segments = splitSegments(pattern);
  if (!segments.some(hasGlob)) return undefined;
  let candidates = [''];
  segments.forEach((segment, index) => {
    const sep = index === 0 ? '' : '/';
    if (!hasGlob(segment)) {
      const literal = segment.map((c) => c.ch).join('');
      candidates = candidates.map((prefix) => prefix + sep + literal);
      return;
    }
    const regex = segmentRegex(segment);
    const hiddenOk = segment[0]?.ch === '.' && !segment[0].magic;
    candidates = candidates.flatMap((prefix) => {
      // Index 0 lists the cwd; a later empty prefix means the pattern began with `/`.
      const dir = resolvePath(scope.cwd, index === 0 ? '.' : prefix === '' ? '/' : prefix);
      if (!dir.ok || !scope.tree.isDir(dir.path)) return [];
      return scope.tree
        .list(dir.path)
        .filter((entry) => (hiddenOk || !entry.name.startsWith('.')) && regex.test(entry.name))
        .map((entry) => prefix + sep + entry.name);
    });
  });
  const found = candidates.filter((candidate) => {
    const resolved = resolvePath(scope.cwd, candidate);
    // A trailing slash (`*/`) asks for directories only.
    return resolved.ok && (candidate.endsWith('/') ? scope.tree.isDir(resolved.path) : scope.tree.exists(resolved.path));
  });
  return found.length > 0 ? found : undefined;
}

function splitSegments(pattern: PatternChar[]): PatternChar[][] {
  const segments: PatternChar[][] = [[]];
  for (const c of pattern) {
    if (c.ch === '/') segments.push([]);
    else segments.at(-1)?.push(c);
  }
  return segments;
}

function hasGlob(segment: PatternChar[]): boolean {
  return segment.some((c, i) => c.magic && (c.ch === '*' || c.ch === '?' || (c.ch === '[' && classEnd(segment, i) > 0)));
}

/** Index of the `]` closing a bracket expression opened at `start`, or -1 (then `[` is literal). */
function classEnd(segment: PatternChar[], start: number): number {
  let i = start + 1;
  if (segment[i]?.magic && (segment[i]?.ch === '!' || segment[i]?.ch === '^')) i++;
  // A `]` right after `[` or `[!` is a member, not the end.
  if (segment[i]?.ch === ']') i++;
  for (; i < segment.length; i++) if (segment[i]?.magic && segment[i]?.ch === ']') return i;
  return -1;
}

function segmentRegex(segment: PatternChar[]): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as PatternChar;
    if (c.magic && c.ch === '*') source += '.*';
    else if (c.magic && c.ch === '?') source += '.';
    else if (c.magic && c.ch === '[' && classEnd(segment, i) > 0) {
      const end = classEnd(segment, i);
      let body = '';
      let j = i + 1;
      const first = segment[j];
      if (first?.magic && (first.ch === '!' || first.ch === '^')) {
        body += '^';
        j++;
      }
      for (; j < end; j++) {
        const m = segment[j] as PatternChar;
        body += m.magic && m.ch === '-' ? '-' : escapeClassChar(m.ch);
      }
      source += `[${body}]`;
      i = end;
    } else source += escapeRegex(c.ch);
  }
  try {
    return new RegExp(`^${source}$`, 'su');
  } catch {
    // A reversed range such as `[z-a]` matches nothing rather than failing the command.
    return /(?!)/;
  }
}

/** Escapes a regex syntax character (only those may be escaped in a `u` regex). */
function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** Escapes a character inside `[...]`, where `-` is special too. */
function escapeClassChar(ch: string): string {
  return /[\\^\][-]/.test(ch) ? `\\${ch}` : ch;
}
