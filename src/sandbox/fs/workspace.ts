import type { Manifest } from '../protocol.ts';

/** One entry of a directory listing. */
export interface DirEntry {
  name: string;
  /** Workspace-relative path of the entry. */
  path: string;
  kind: 'file' | 'dir';
  size: number;
}

/**
 * The workspace: one tree of files that every runtime and the UI share.
 * Backends: OPFS (browser), a directory (Node), memory (tests). All paths are workspace-relative
 * (see `normalizePath`); a backend never reaches outside its root.
 * Errors are `WorkspaceError`s with an errno-like code.
 */
export interface Workspace {
  readonly kind: 'opfs' | 'directory' | 'memory';
  /** Every file (with size and mtime) and directory, recursively. */
  manifest(): Promise<Manifest>;
  readFile(path: string): Promise<Uint8Array>;
  readText(path: string): Promise<string>;
  /** Writes a file, creating parent directories. */
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  /** Creates a directory and its parents; no error if it exists. */
  mkdir(path: string): Promise<void>;
  /** Removes a file or a directory with everything in it. */
  remove(path: string): Promise<void>;
  /** Moves a file or directory; the destination's parents are created. */
  rename(from: string, to: string): Promise<void>;
  readdir(path: string): Promise<DirEntry[]>;
  exists(path: string): Promise<boolean>;
}
