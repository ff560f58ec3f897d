import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SnapshotStore } from '../protocol.ts';

/**
 * Where the CLI keeps its Python start-up snapshot: `$ISOBOX_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/isobox`, else `~/.cache/isobox`. `ISOBOX_CACHE_DIR=off` keeps none.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const set = env.ISOBOX_CACHE_DIR?.trim();
  if (set === 'off') return undefined;
  if (set) return set;
  return join(env.XDG_CACHE_HOME?.trim() || join(homedir(), '.cache'), 'isobox');
}

/** The installed Pyodide's version: snapshots of another version are never even read. */
function pyodideVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('pyodide/package.json') as { version: string }).version;
}

/**
 * Keeps the Python start-up snapshot in a file, so each CLI process starts Python in a fraction
 * of the time. Writes are synchronous and atomic (a temporary file renamed into place): the CLI
 * exits right after its run, and a half-written snapshot must never be read.
 */
export function fileSnapshotStore(dir: string): SnapshotStore {
  const file = join(dir, `python-${pyodideVersion()}.snapshot`);
  return {
    async load() {
      try {
        return new Uint8Array(readFileSync(file));
      } catch {
        return undefined;
      }
    },
    async save(snapshot) {
      try {
        mkdirSync(dir, { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, snapshot);
        renameSync(temporary, file);
      } catch {
        // No cache (read-only home, full disk): Python just starts from scratch next time.
      }
    },
    async discard() {
      rmSync(file, { force: true });
    },
  };
}
