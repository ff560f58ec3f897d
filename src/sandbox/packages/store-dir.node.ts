import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PackageStore } from './store.ts';

/**
 * Keeps wheels and lock files under a directory (the CLI: the user's cache dir). Keys become
 * paths (`wheel/<sha256>/<file>`, `lock/<encoded index>`); writes land atomically (temp + rename).
 */
export function directoryPackageStore(dir: string): PackageStore {
  const path = (key: string): string => join(dir, ...key.split('/').map((part) => part.replace(/[^\w.%-]/g, '_')));
  return {
    async get(key) {
      try {
        return new Uint8Array(await readFile(path(key)));
      } catch {
        return undefined;
      }
    },
    async put(key, bytes) {
      const file = path(key);
      await mkdir(dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, bytes);
      await rename(temp, file);
    },
  };
}
