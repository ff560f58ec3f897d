/**
 * What a chat code block is: its language (label, Monaco id, how to run it, file extension) and
 * the file it names, read from the fence's info string (```python main.py) or a first-line
 * comment (`# main.py`). Pure functions: no DOM, no store.
 */
import type { Language } from '../../sandbox/protocol.ts';
import { closesFence, fenceOpener } from './blocks.ts';

/** How the block's Run button runs it: a program of a sandbox language, or a shell line. */
export type RunKind = { kind: 'program'; language: Exclude<Language, 'wasm'> } | { kind: 'shell' };

/** A code block's language, as far as the chat needs it. */
export interface CodeLanguage {
  /** Shown on the block, e.g. `python`; empty for a block with no language. */
  label: string;
  /** Monaco's language id for highlighting, when Monaco knows it. */
  monacoId?: string;
  /** Extension of a file made from the block (`py`); `txt` when unknown. */
  extension: string;
  run?: RunKind;
}

interface LanguageEntry {
  aliases: string[];
  monacoId?: string;
  extension: string;
  run?: RunKind;
}

const LANGUAGES: Record<string, LanguageEntry> = {
  python: { aliases: ['py', 'python3'], monacoId: 'python', extension: 'py', run: { kind: 'program', language: 'python' } },
  ruby: { aliases: ['rb'], monacoId: 'ruby', extension: 'rb', run: { kind: 'program', language: 'ruby' } },
  c: { aliases: ['h'], monacoId: 'c', extension: 'c', run: { kind: 'program', language: 'c' } },
  cpp: { aliases: ['c++', 'cc', 'cxx', 'hpp'], monacoId: 'cpp', extension: 'cpp', run: { kind: 'program', language: 'cpp' } },
  shell: { aliases: ['sh', 'bash', 'console', 'shell-session', 'zsh'], monacoId: 'shell', extension: 'sh', run: { kind: 'shell' } },
  javascript: { aliases: ['js', 'mjs', 'jsx'], monacoId: 'javascript', extension: 'js' },
  typescript: { aliases: ['ts', 'tsx'], monacoId: 'typescript', extension: 'ts' },
  json: { aliases: [], monacoId: 'json', extension: 'json' },
  html: { aliases: ['htm'], monacoId: 'html', extension: 'html' },
  css: { aliases: [], monacoId: 'css', extension: 'css' },
  markdown: { aliases: ['md'], monacoId: 'markdown', extension: 'md' },
  yaml: { aliases: ['yml'], monacoId: 'yaml', extension: 'yaml' },
  sql: { aliases: [], monacoId: 'sql', extension: 'sql' },
  rust: { aliases: ['rs'], monacoId: 'rust', extension: 'rs' },
  go: { aliases: ['golang'], monacoId: 'go', extension: 'go' },
  java: { aliases: [], monacoId: 'java', extension: 'java' },
  csv: { aliases: [], extension: 'csv' },
  text: { aliases: ['txt', 'plain', 'plaintext', 'output'], extension: 'txt' },
};

const BY_NAME = new Map<string, [string, LanguageEntry]>();
for (const [name, entry] of Object.entries(LANGUAGES)) {
  BY_NAME.set(name, [name, entry]);
  for (const alias of entry.aliases) BY_NAME.set(alias, [name, entry]);
}

/** The language of a fence info word (`py`, `Python`, `c++`); unknown words keep their label. */
export function codeLanguage(word: string): CodeLanguage {
  const key = word.trim().toLowerCase();
  const known = BY_NAME.get(key);
  if (!known) return { label: key, extension: 'txt' };
  const [label, entry] = known;
  return { label, extension: entry.extension, ...(entry.monacoId ? { monacoId: entry.monacoId } : {}), ...(entry.run ? { run: entry.run } : {}) };
}

/** A workspace-relative file path a block may name: no absolute path, no `..`, an extension. */
const SAFE_PATH = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[\w.-]+(?:\/[\w.-]+)*\.\w+$/;

/** A file name from the info string's other words: `main.py`, `title="main.py"`, `file=main.py`. */
function nameFromInfo(words: string[]): string | undefined {
  for (const word of words) {
    const value = word.replace(/^(?:title|file|filename|name)=/, '').replace(/^["']|["']$/g, '');
    if (SAFE_PATH.test(value)) return value;
  }
  return undefined;
}

/** A file name from a first-line comment: `# main.py`, `// main.c`, `/* file: x.c *\/`, `-- q.sql`. */
function nameFromComment(code: string): string | undefined {
  const first = code.split('\n', 1)[0] ?? '';
  const match = /^\s*(?:#|\/\/|\/\*|--|;)\s*(?:file(?:name)?:\s*)?(\S+?)\s*(?:\*\/)?\s*$/i.exec(first);
  const name = match?.[1];
  return name && SAFE_PATH.test(name) ? name : undefined;
}

/** The file a block names, from its info string or its first-line comment. */
export function namedFile(info: string, code: string): string | undefined {
  const words = info.trim().split(/\s+/).slice(1);
  return nameFromInfo(words) ?? nameFromComment(code);
}

/** A fenced code block as written in a message. */
export interface FencedCode {
  /** The info string after the opening fence (`python main.py`). */
  info: string;
  code: string;
  /** Whether the closing fence has arrived (a streamed block is open until then). */
  closed: boolean;
}

/** Reads a fence block's source (as {@link splitBlocks} cut it): info, code and whether it closed. */
export function parseFence(source: string): FencedCode {
  const lines = source.split('\n');
  const opener = fenceOpener(lines[0] ?? '');
  if (!opener) return { info: '', code: source, closed: true };
  const body: string[] = [];
  let closed = false;
  for (const line of lines.slice(1)) {
    if (closesFence(line, opener)) {
      closed = true;
      break;
    }
    // CommonMark: content lines lose up to as many leading spaces as the opener had.
    body.push(line.replace(new RegExp(`^ {0,${opener.indent}}`), ''));
  }
  // While streaming, the last line may be the start of the closing fence: not code yet.
  if (!closed && /^\s*(`+|~+)$/.test(body[body.length - 1] ?? '')) body.pop();
  while (!closed && body.length > 0 && body[body.length - 1] === '') body.pop();
  return { info: opener.info, code: body.join('\n'), closed };
}

/** The next free `snippet.EXT` (then `snippet-2.EXT`, …) among `taken` paths. */
export function freeSnippetName(extension: string, taken: ReadonlySet<string>): string {
  let name = `snippet.${extension}`;
  for (let i = 2; taken.has(name); i++) name = `snippet-${i}.${extension}`;
  return name;
}
