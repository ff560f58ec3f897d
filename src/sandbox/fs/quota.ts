/** A storage quota in front of any workspace backend, so user code cannot fill the disk or OPFS. */

import type { Manifest } from '../protocol.ts';
import { WorkspaceError, normalizePath } from './paths.ts';
import type { DirEntry, Workspace } from './workspace.ts';

/** Storage limits of one workspace. */
export interface QuotaLimits {
  /** Total bytes of all files. */
  maxBytes: number;
  /** Number of files (directories are not counted). */
  maxFiles: number;
  /** Bytes of any single file. */
  maxFileBytes: number;
}

/** Default limits: 256 MiB in all, 10,000 files, 64 MiB per file. */
export const DEFAULT_QUOTA: Readonly<QuotaLimits> = Object.freeze({
  maxBytes: 256 * 1024 * 1024,
  maxFiles: 10_000,
  maxFileBytes: 64 * 1024 * 1024,
});

const encoder = new TextEncoder();

/** `1536` → `1.5 KiB`, for messages people read. */
function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} bytes` : `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

function isUnder(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

/**
 * Wraps `ws` so that writes which would push it over `limits` (missing ones from `DEFAULT_QUOTA`)
 * fail with `WorkspaceError('EDQUOT')` and change nothing. Usage is read from `ws.manifest()` on the
 * first write and then tracked per operation; before refusing, it is read again, so space freed
 * behind the wrapper's back (another tab, the user's editor) is seen. Writes that do not grow
 * usage always pass, even when the workspace is already over its limits. Mutations are checked
 * one at a time, so two concurrent writes cannot both squeeze under the limit; a write counts from
 * the moment it passed its check. Writes that passed go on to the inner workspace without waiting
 * for each other (several small files flow to it back to back), except two writes of one path;
 * anything else (mkdir, remove, rename, reading usage) first waits for the writes under way.
 */
export function withQuota(ws: Workspace, limits: Partial<QuotaLimits> = {}): Workspace {
  const max: QuotaLimits = { ...DEFAULT_QUOTA, ...limits };
  for (const [key, value] of Object.entries(max)) {
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) throw new RangeError(`quota ${key} must be a number >= 0, got ${String(value)}`);
  }

  /** Bytes per file path, or null until read (and again after anything unexpected). */
  let sizes: Map<string, number> | null = null;
  let total = 0;

  /** The refusal for writing `size` bytes to `path`, or null when it fits. */
  function overLimit(usage: Map<string, number>, path: string, size: number): string | null {
    const previous = usage.get(path);
    const after = total - (previous ?? 0) + size;
    if (after > total && after > max.maxBytes) {
      return `storage quota exceeded: writing ${path} (${formatBytes(size)}) would bring the workspace to ${formatBytes(after)}, over its limit of ${formatBytes(max.maxBytes)}`;
    }
    if (previous === undefined && usage.size + 1 > max.maxFiles) {
      return `storage quota exceeded: cannot create ${path}, the workspace already holds ${usage.size} files (limit ${max.maxFiles})`;
    }
    return null;
  }

  // Checks run one after another; a failed one does not block the next.
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  }

  /** Inner writes under way, the latest per path. */
  const writing = new Map<string, Promise<void>>();

  async function settled(): Promise<void> {
    await Promise.all([...writing.values()].map((write) => write.catch(() => undefined)));
  }

  async function load(): Promise<Map<string, number>> {
    await settled();
    const manifest = await ws.manifest();
    sizes = new Map(Object.entries(manifest.files).map(([path, stamp]) => [path, stamp.size]));
    total = 0;
    for (const size of sizes.values()) total += size;
    return sizes;
  }

  /** Runs a mutation of the inner workspace; when it fails, usage is read afresh next time. */
  async function mutate<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (err) {
      sizes = null;
      throw err;
    }
  }

  /** Runs a mutation other than a write once every write under way has settled. */
  function afterWrites<T>(task: () => Promise<T>): Promise<T> {
    return serial(async () => {
      await settled();
      return mutate(task);
    });
  }

  return {
    kind: ws.kind,

    manifest(): Promise<Manifest> {
      return ws.manifest();
    },
    readFile(path: string): Promise<Uint8Array> {
      return ws.readFile(path);
    },
    readText(path: string): Promise<string> {
      return ws.readText(path);
    },
    readdir(path: string): Promise<DirEntry[]> {
      return ws.readdir(path);
    },
    exists(path: string): Promise<boolean> {
      return ws.exists(path);
    },

    async writeFile(path: string, data: Uint8Array | string): Promise<void> {
      // The check is serial; the write it lets through is awaited outside the queue.
      const write = await serial(async () => {
        const p = normalizePath(path);
        const bytes = typeof data === 'string' ? encoder.encode(data) : data;
        if (bytes.length > max.maxFileBytes) {
          throw new WorkspaceError('EDQUOT', `storage quota exceeded: ${p || '.'} would be ${formatBytes(bytes.length)}, over the limit of ${formatBytes(max.maxFileBytes)} per file`);
        }
        let usage = sizes ?? (await load());
        if (overLimit(usage, p, bytes.length) !== null) {
          // Usage may be stale (files removed behind our back): look again before refusing.
          usage = await load();
          const refusal = overLimit(usage, p, bytes.length);
          if (refusal !== null) throw new WorkspaceError('EDQUOT', refusal);
        }
        total += bytes.length - (usage.get(p) ?? 0);
        usage.set(p, bytes.length);
        const before = writing.get(p)?.catch(() => undefined);
        const started = (before ?? Promise.resolve()).then(() => mutate(() => ws.writeFile(p, bytes)));
        writing.set(p, started);
        void started
          .catch(() => undefined)
          .then(() => {
            if (writing.get(p) === started) writing.delete(p);
          });
        return { started };
      });
      await write.started;
    },

    mkdir(path: string): Promise<void> {
      return afterWrites(() => ws.mkdir(path));
    },

    remove(path: string): Promise<void> {
      return afterWrites(async () => {
        const p = normalizePath(path);
        await ws.remove(p);
        if (!sizes) return;
        for (const [file, size] of sizes) {
          if (isUnder(file, p)) {
            total -= size;
            sizes.delete(file);
          }
        }
      });
    },

    rename(from: string, to: string): Promise<void> {
      return afterWrites(async () => {
        const src = normalizePath(from);
        const dst = normalizePath(to);
        await ws.rename(src, dst);
        if (!sizes || src === dst) return;
        // A file replaced at the destination stops counting; everything moved keeps its size.
        const replaced = sizes.get(dst);
        if (replaced !== undefined) {
          total -= replaced;
          sizes.delete(dst);
        }
        for (const [file, size] of [...sizes]) {
          if (isUnder(file, src)) {
            sizes.delete(file);
            sizes.set(dst + file.slice(src.length), size);
          }
        }
      });
    },
  };
}
