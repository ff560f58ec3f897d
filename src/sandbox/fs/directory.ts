/**
 * Workspace over a real directory (Node): the CLI's and MCP server's `--workspace DIR`.
 *
 * Confinement: every workspace path is walked from the real root one component at a time; each
 * symlink met on the way is read and followed only when its target lies inside the root, so a
 * link to `/etc` (or to `..`) gives EACCES instead of reaching out. Links inside the root work as
 * links do. What is left is a time-of-check/time-of-use race with another process that swaps a
 * directory for a link between the check and the call; the last component is opened with
 * O_NOFOLLOW to narrow it. Sandboxed code cannot create links, so this guards against links that
 * were already in the folder (a cloned repo, an unpacked archive).
 */

import { constants, type Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as nodePath from 'node:path';
import type { FileStamp, Manifest } from '../protocol.ts';
import { WorkspaceError, baseName, errorGuard, joinPath, normalizePath, parentOf } from './paths.ts';
import type { DirEntry, Workspace } from './workspace.ts';
import { pathRecord } from '../records.ts';

/** Symlinks followed for one path before giving up, as the kernel's ELOOP limit does. */
const MAX_LINKS = 40;

/** Steps (ms) tried when a write must move a file's mtime forward: sub-ms first, then FAT's 2 s. */
const STAMP_STEPS = [0.01, 1, 1000, 2000];

/** O_NOFOLLOW where the platform has it (not on Windows, where links are rare and this is 0). */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

const decoder = new TextDecoder();

type Kind = 'file' | 'dir';

/** A directory entry the workspace shows: a regular file or directory, links resolved. */
interface Resolved {
  name: string;
  path: string;
  real: string;
  kind: Kind;
  stats: Stats;
  /** Reached through a symlink. */
  link: boolean;
}

const MESSAGES: Record<WorkspaceError['code'], string> = {
  EINVAL: 'invalid argument',
  ENOENT: 'no such file or directory',
  EEXIST: 'file exists',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ENOTEMPTY: 'directory not empty',
  EDQUOT: 'storage quota exceeded',
  EACCES: 'permission denied',
};

function fail(code: WorkspaceError['code'], path: string, detail?: string): WorkspaceError {
  return new WorkspaceError(code, `${detail ?? MESSAGES[code]}: ${path === '' ? '.' : path}`);
}

function nodeCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/**
 * A WorkspaceError for a Node fs error. Messages name the workspace path, never the host path, so
 * nothing about the host's layout leaks to sandboxed code.
 */
function toWorkspaceError(err: unknown, path: string): WorkspaceError {
  if (err instanceof WorkspaceError) return err;
  const code = nodeCode(err);
  let mapped: WorkspaceError;
  switch (code) {
    case 'ENOENT':
    case 'EEXIST':
    case 'ENOTDIR':
    case 'EISDIR':
    case 'ENOTEMPTY':
    case 'EACCES':
    case 'EINVAL':
      mapped = fail(code, path);
      break;
    case 'EPERM':
    case 'EROFS':
    case 'ELOOP':
      mapped = fail('EACCES', path, `permission denied (${code})`);
      break;
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
      mapped = fail('EDQUOT', path, `storage quota exceeded: no space left on the device (${code})`);
      break;
    case 'ENAMETOOLONG':
      mapped = fail('EINVAL', path, 'file name too long');
      break;
    default:
      mapped = fail('EINVAL', path, `file system error (${code ?? (err instanceof Error ? err.message : String(err))})`);
  }
  mapped.cause = err;
  return mapped;
}

/** Runs an fs call, turning its errors into WorkspaceErrors about `path`. */
const guard = errorGuard(toWorkspaceError);

async function lstatOrNull(real: string, path: string): Promise<Stats | null> {
  try {
    return await fs.lstat(real);
  } catch (err) {
    if (nodeCode(err) === 'ENOENT') return null;
    throw toWorkspaceError(err, path);
  }
}

function kindOf(stats: Stats): Kind | null {
  return stats.isFile() ? 'file' : stats.isDirectory() ? 'dir' : null;
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Opens the directory `root` (created when missing) as a workspace confined to it.
 * Stamps are the files' real mtimes; see `settleStamp` for how every write is made to change one.
 */
export async function createDirectoryWorkspace(root: string): Promise<Workspace> {
  const absRoot = nodePath.resolve(root);
  const existing = await fs.stat(absRoot).catch((err: unknown) => {
    if (nodeCode(err) === 'ENOENT') return null;
    throw toWorkspaceError(err, root);
  });
  if (existing && !existing.isDirectory()) throw fail('ENOTDIR', root);
  if (!existing) await guard(root, () => fs.mkdir(absRoot, { recursive: true }));
  const realRoot = await guard(root, () => fs.realpath(absRoot));
  const rootPrefix = realRoot.endsWith(nodePath.sep) ? realRoot : realRoot + nodePath.sep;

  function isInside(abs: string): boolean {
    return abs === realRoot || abs.startsWith(rootPrefix);
  }

  /**
   * The host path of workspace path `path` (normalized), walked from the real root with every
   * symlink on the way checked and resolved. The result has no symlink among its existing
   * components; components that do not exist yet are appended as they are.
   * With `followLast` false the last component is left as it is (for remove and rename, which
   * act on a link itself, never on what it points to).
   */
  async function resolve(path: string, followLast = true): Promise<string> {
    if (!isInside(nodePath.resolve(realRoot, path))) throw fail('EACCES', path, 'path leaves the workspace');
    const pending = path === '' ? [] : path.split('/');
    let current = realRoot;
    let links = 0;
    while (pending.length > 0) {
      const name = pending.shift() as string;
      const next = nodePath.join(current, name);
      if (pending.length === 0 && !followLast) return next;
      const stats = await lstatOrNull(next, path);
      if (!stats) return nodePath.join(next, ...pending);
      if (stats.isSymbolicLink()) {
        if (++links > MAX_LINKS) throw fail('EACCES', path, 'too many levels of symbolic links');
        const target = nodePath.resolve(current, await guard(path, () => fs.readlink(next)));
        if (!isInside(target)) throw fail('EACCES', path, 'symbolic link leads out of the workspace');
        // Walk the target again from the root: it may pass through more links.
        pending.unshift(...nodePath.relative(realRoot, target).split(nodePath.sep).filter((part) => part !== ''));
        current = realRoot;
        continue;
      }
      if (pending.length > 0 && !stats.isDirectory()) throw fail('ENOTDIR', path);
      current = next;
    }
    return current;
  }

  /** Resolves `path` and requires a regular file or directory there. */
  async function resolveExisting(path: string): Promise<{ real: string; kind: Kind; stats: Stats }> {
    const real = await resolve(path);
    const stats = await lstatOrNull(real, path);
    if (!stats) throw fail('ENOENT', path);
    const kind = kindOf(stats);
    if (!kind) throw fail('EACCES', path, 'not a regular file or directory');
    return { real, kind, stats };
  }

  /** The entries of a directory that the workspace shows, sorted; see `manifest` for what is left out. */
  async function list(dir: string, realDir: string): Promise<Resolved[]> {
    const dirents = await guard(dir, () => fs.readdir(realDir, { withFileTypes: true }));
    const entries = await Promise.all(
      dirents.map(async (dirent): Promise<Resolved | null> => {
        let path: string;
        try {
          path = joinPath(dir, dirent.name);
        } catch {
          return null; // A name no workspace path can spell (a backslash, a newline).
        }
        if (baseName(path) !== dirent.name) return null;
        try {
          const real = dirent.isSymbolicLink() ? await resolve(path) : nodePath.join(realDir, dirent.name);
          const stats = await fs.lstat(real);
          const kind = kindOf(stats);
          return kind ? { name: dirent.name, path, real, kind, stats, link: dirent.isSymbolicLink() } : null;
        } catch {
          return null; // A link out of the workspace, a dangling link, or gone meanwhile.
        }
      }),
    );
    return entries.filter((entry): entry is Resolved => entry !== null).sort(byName);
  }

  /**
   * Highest mtime this workspace has written or seen per path, kept after removal. A write (or a
   * rename onto the path) must leave a newer mtime, so a stamp never comes back for new content:
   * not after a same-millisecond rewrite, not after remove + recreate, not after a same-sized
   * file is renamed over it.
   */
  const highWater = new Map<string, number>();

  function sawStamp(path: string, mtime: number): void {
    if (mtime > (highWater.get(path) ?? -Infinity)) highWater.set(path, mtime);
  }

  function stampOf(path: string, stats: Stats): FileStamp {
    sawStamp(path, stats.mtimeMs);
    return { size: stats.size, mtime: stats.mtimeMs };
  }

  /**
   * Makes the file's mtime exceed `floor` (and every mtime seen at `path`). File systems keep
   * mtimes at a granularity (a kernel tick of a few ms on many Linux systems, 1 s or 2 s on some),
   * so two quick writes can leave the same mtime; then the mtime is set forward with utimes by the
   * smallest step the file system keeps. The new mtime is on disk, so every workspace over this
   * folder (another process, a second instance) sees the change, not only this one. The price is
   * an mtime slightly ahead of the clock during a burst of writes to one path: 10 µs per write
   * where mtimes keep sub-ms precision (ext4, APFS, NTFS...), 1-2 s on FAT/HFS+. If the file is not
   * ours to stamp (EPERM), it is left as it is.
   */
  async function settleStamp(path: string, real: string, floor: number): Promise<void> {
    const limit = Math.max(floor, highWater.get(path) ?? -Infinity);
    let stats = await guard(path, () => fs.stat(real));
    for (const step of STAMP_STEPS) {
      if (stats.mtimeMs > limit) break;
      try {
        await fs.utimes(real, stats.atime, (limit + step) / 1000);
      } catch {
        break;
      }
      stats = await guard(path, () => fs.stat(real));
    }
    sawStamp(path, stats.mtimeMs);
  }

  async function readBytes(path: string): Promise<Uint8Array> {
    const p = normalizePath(path);
    const { real, kind } = await resolveExisting(p);
    if (kind === 'dir') throw fail('EISDIR', p);
    const buffer = await guard(p, () => fs.readFile(real, { flag: constants.O_RDONLY | NOFOLLOW }));
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  return {
    kind: 'directory',

    /**
     * Everything in the folder (dotfiles, node_modules, ...) except what the workspace cannot
     * address: links out of the root or dangling, FIFOs, sockets and devices, and names no
     * workspace path can spell.
     */
    async manifest(): Promise<Manifest> {
      const manifest: Manifest = { files: pathRecord(), dirs: [] };
      // Real paths of the directories walked so far. A link to one of them is listed but not
      // entered: `ln -s . loop` would never end, and links between directories could make the
      // walk exponential. A link to a directory not walked yet is entered once, so what sits
      // behind an in-workspace link is there for sandboxed code too.
      const walked = new Set([realRoot]);
      const walk = async (dir: string, realDir: string): Promise<void> => {
        let entries: Resolved[];
        try {
          entries = await list(dir, realDir);
        } catch {
          return; // Unreadable (permissions) or removed meanwhile: show it empty.
        }
        for (const entry of entries) {
          if (entry.kind === 'file') {
            manifest.files[entry.path] = stampOf(entry.path, entry.stats);
          } else {
            manifest.dirs.push(entry.path);
            if (entry.link && walked.has(entry.real)) continue;
            walked.add(entry.real);
            await walk(entry.path, entry.real);
          }
        }
      };
      await walk('', realRoot);
      return manifest;
    },

    readFile: readBytes,

    async readText(path: string): Promise<string> {
      return decoder.decode(await readBytes(path));
    },

    async writeFile(path: string, data: Uint8Array | string): Promise<void> {
      const p = normalizePath(path);
      if (p === '') throw fail('EISDIR', p);
      const real = await resolve(p);
      const before = await lstatOrNull(real, p);
      if (before?.isDirectory()) throw fail('EISDIR', p);
      if (before && !before.isFile()) throw fail('EACCES', p, 'not a regular file');
      await guard(p, async () => {
        await fs.mkdir(nodePath.dirname(real), { recursive: true });
        await fs.writeFile(real, data, { flag: constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | NOFOLLOW });
      });
      await settleStamp(p, real, before ? before.mtimeMs : -Infinity);
    },

    async mkdir(path: string): Promise<void> {
      const p = normalizePath(path);
      const real = await resolve(p);
      await guard(p, () => fs.mkdir(real, { recursive: true }));
    },

    async remove(path: string): Promise<void> {
      const p = normalizePath(path);
      if (p === '') throw fail('EINVAL', p, 'cannot remove the workspace root');
      const real = await resolve(p, false);
      if (!(await lstatOrNull(real, p))) throw fail('ENOENT', p);
      // rm does not follow links: a link is removed, never what it points to.
      await guard(p, () => fs.rm(real, { recursive: true }));
    },

    async rename(from: string, to: string): Promise<void> {
      const src = normalizePath(from);
      const dst = normalizePath(to);
      if (src === '' || dst === '') throw fail('EINVAL', src === '' ? src : dst, 'cannot rename the workspace root');
      const srcReal = await resolve(src, false);
      const srcStats = await lstatOrNull(srcReal, src);
      if (!srcStats) throw fail('ENOENT', src);
      if (src === dst) return;
      const srcIsDir = srcStats.isDirectory();
      if (srcIsDir && dst.startsWith(`${src}/`)) throw fail('EINVAL', dst, `cannot move ${src} into itself`);
      const dstParent = await resolve(parentOf(dst));
      const dstReal = nodePath.join(dstParent, baseName(dst));
      if (dstReal === srcReal) return;
      if (srcIsDir && dstReal.startsWith(srcReal + nodePath.sep)) throw fail('EINVAL', dst, `cannot move ${src} into itself`);
      const dstStats = await lstatOrNull(dstReal, dst);
      if (dstStats) {
        if (!srcIsDir && dstStats.isDirectory()) throw fail('EISDIR', dst);
        if (srcIsDir && !dstStats.isDirectory()) throw fail('ENOTDIR', dst);
        if (srcIsDir && (await guard(dst, () => fs.readdir(dstReal))).length > 0) throw fail('ENOTEMPTY', dst);
      }
      await guard(dst, async () => {
        await fs.mkdir(dstParent, { recursive: true });
        try {
          await fs.rename(srcReal, dstReal);
        } catch (err) {
          // A mount point inside the workspace: copy, then remove the original.
          if (nodeCode(err) !== 'EXDEV') throw err;
          await fs.cp(srcReal, dstReal, { recursive: true, force: true, preserveTimestamps: true, verbatimSymlinks: true });
          await fs.rm(srcReal, { recursive: true });
        }
      });
      // rename keeps mtimes: make sure no moved file shows a stamp its new path already had.
      if (srcStats.isFile()) {
        await settleStamp(dst, dstReal, dstStats?.isFile() ? dstStats.mtimeMs : -Infinity);
      } else if (srcIsDir) {
        for (const path of [...highWater.keys()]) {
          if (!path.startsWith(`${dst}/`)) continue;
          const real = nodePath.join(dstReal, ...path.slice(dst.length + 1).split('/'));
          const stats = await lstatOrNull(real, path);
          if (stats?.isFile()) await settleStamp(path, real, -Infinity);
        }
      }
    },

    async readdir(path: string): Promise<DirEntry[]> {
      const p = normalizePath(path);
      const { real, kind } = await resolveExisting(p);
      if (kind !== 'dir') throw fail('ENOTDIR', p);
      return (await list(p, real)).map((entry) => ({
        name: entry.name,
        path: entry.path,
        kind: entry.kind,
        size: entry.kind === 'file' ? entry.stats.size : 0,
      }));
    },

    async exists(path: string): Promise<boolean> {
      const p = normalizePath(path);
      let real: string;
      try {
        real = await resolve(p);
      } catch (err) {
        if (err instanceof WorkspaceError && err.code === 'ENOTDIR') return false;
        throw err;
      }
      const stats = await lstatOrNull(real, p);
      // FIFOs, sockets and devices are left out of listings, so they do not "exist" either.
      return stats !== null && kindOf(stats) !== null;
    },
  };
}
