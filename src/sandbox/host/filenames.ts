import type { Language } from '../protocol.ts';

const DEFAULT_FILENAMES: Record<Language, string> = {
  python: 'main.py',
  ruby: 'main.rb',
  c: 'main.c',
  cpp: 'main.cpp',
  wasm: 'main.wasm',
};

/** The file name a program sees as its own when the caller names none. */
export function defaultFilename(language: Language): string {
  return DEFAULT_FILENAMES[language];
}

const EXTENSIONS: Record<string, Language> = {
  py: 'python',
  rb: 'ruby',
  c: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  wasm: 'wasm',
};

/** The language of a file from its extension, or undefined when it is not a program. */
export function languageOfPath(path: string): Language | undefined {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : EXTENSIONS[path.slice(dot + 1).toLowerCase()];
}
