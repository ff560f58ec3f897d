/** In-memory workspace: the backend for tests, and a scratch tree that needs no storage. */

import type { Manifest } from '../protocol.ts';
import { WorkspaceError, baseName, joinPath, normalizePath, parentOf } from './paths.ts';
import type { DirEntry, Workspace } from './workspace.ts';
import { pathRecord } from '../records.ts';

interface FileNode {
  kind: 'file';
  data: Uint8Array;
  mtime: number;
}

interface DirNode {
  kind: 'dir';
  children: Map<string, Node>;
}

type Node = FileNode | DirNode;

/**
 * Smallest step between two stamps: 2^-10 ms (about 1 µs). Exactly representable next to
 * Date.now() (whose float spacing is 2^-12 ms today), so a burst of writes drifts ahead of the
 * clock by about 1 ms per thousand writes at most.
 */
const STAMP_STEP = 1 / 1024;
let lastStamp = 0;

/**
 * A clock that strictly increases on every call, shared by every memory workspace of this module.
 * The sandbox syncs by (size, mtime), so each stored version must get a stamp no other version
 * ever had: then a rename can carry its stamp along without colliding with what the destination
 * path held before.
 */
function nextStamp(): number {
  lastStamp = Math.max(Date.now(), lastStamp + STAMP_STEP);
  return lastStamp;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A private copy of the caller's data, so neither side can change the other's bytes. */
function copyBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data.slice();
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Creates a workspace that lives in memory; `initial` files (path → text or bytes) are copied in,
 * their parent directories created.
 */
export function createMemoryWorkspace(initial: Record<string, string | Uint8Array> = {}): Workspace {
  const root: DirNode = { kind: 'dir', children: new Map() };

  /** The node at a normalized path, or undefined; ENOTDIR when a parent is a file. */
  function lookup(path: string): Node | undefined {
    if (path === '') return root;
    let node: Node = root;
    const parts = path.split('/');
    for (let i = 0; i < parts.length; i++) {
      if (node.kind !== 'dir') throw new WorkspaceError('ENOTDIR', `not a directory: ${parts.slice(0, i).join('/')}`);
      const child: Node | undefined = node.children.get(parts[i] as string);
      if (!child) return undefined;
      node = child;
    }
    return node;
  }

  function get(path: string): Node {
    const node = lookup(path);
    if (!node) throw new WorkspaceError('ENOENT', `no such file or directory: ${path}`);
    return node;
  }

  /** Creates `path` and its parents as directories (mkdir -p). */
  function ensureDir(path: string): DirNode {
    let node: DirNode = root;
    if (path === '') return node;
    const parts = path.split('/');
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i] as string;
      const child = node.children.get(name);
      if (!child) {
        const dir: DirNode = { kind: 'dir', children: new Map() };
        node.children.set(name, dir);
        node = dir;
      } else if (child.kind === 'dir') {
        node = child;
      } else {
        const at = parts.slice(0, i + 1).join('/');
        // The last segment being a file is "exists" (as mkdir -p says); an inner one is "not a dir".
        throw new WorkspaceError(i === parts.length - 1 ? 'EEXIST' : 'ENOTDIR', `${i === parts.length - 1 ? 'file exists' : 'not a directory'}: ${at}`);
      }
    }
    return node;
  }

  function write(path: string, data: Uint8Array | string): void {
    if (path === '') throw new WorkspaceError('EISDIR', 'is a directory: the workspace root');
    const existing = lookup(path);
    if (existing?.kind === 'dir') throw new WorkspaceError('EISDIR', `is a directory: ${path}`);
    const bytes = copyBytes(data);
    ensureDir(parentOf(path)).children.set(baseName(path), { kind: 'file', data: bytes, mtime: nextStamp() });
  }

  function read(path: string): Uint8Array {
    const p = normalizePath(path);
    const node = get(p);
    if (node.kind === 'dir') throw new WorkspaceError('EISDIR', `is a directory: ${p || '.'}`);
    return node.data.slice();
  }

  for (const [path, data] of Object.entries(initial)) write(normalizePath(path), data);

  return {
    kind: 'memory',

    async manifest(): Promise<Manifest> {
      const manifest: Manifest = { files: pathRecord(), dirs: [] };
      const walk = (dir: DirNode, path: string): void => {
        for (const name of [...dir.children.keys()].sort(byName)) {
          const node = dir.children.get(name) as Node;
          const child = path === '' ? name : `${path}/${name}`;
          if (node.kind === 'file') {
            manifest.files[child] = { size: node.data.length, mtime: node.mtime };
          } else {
            manifest.dirs.push(child);
            walk(node, child);
          }
        }
      };
      walk(root, '');
      return manifest;
    },

    async readFile(path: string): Promise<Uint8Array> {
      return read(path);
    },

    async readText(path: string): Promise<string> {
      return decoder.decode(read(path));
    },

    async writeFile(path: string, data: Uint8Array | string): Promise<void> {
      write(normalizePath(path), data);
    },

    async mkdir(path: string): Promise<void> {
      ensureDir(normalizePath(path));
    },

    async remove(path: string): Promise<void> {
      const p = normalizePath(path);
      if (p === '') throw new WorkspaceError('EINVAL', 'cannot remove the workspace root');
      get(p);
      (lookup(parentOf(p)) as DirNode).children.delete(baseName(p));
    },

    async rename(from: string, to: string): Promise<void> {
      const src = normalizePath(from);
      const dst = normalizePath(to);
      if (src === '' || dst === '') throw new WorkspaceError('EINVAL', 'cannot rename the workspace root');
      const node = get(src);
      if (src === dst) return;
      if (node.kind === 'dir' && dst.startsWith(`${src}/`)) throw new WorkspaceError('EINVAL', `cannot move a directory into itself: ${src} → ${dst}`);
      const target = lookup(dst);
      if (target) checkReplace(node.kind, target, dst);
      // The node keeps its stamp: stamps are unique per version, so it cannot match one `dst` had.
      const parent = ensureDir(parentOf(dst));
      (lookup(parentOf(src)) as DirNode).children.delete(baseName(src));
      parent.children.set(baseName(dst), node);
    },

    async readdir(path: string): Promise<DirEntry[]> {
      const p = normalizePath(path);
      const node = get(p);
      if (node.kind !== 'dir') throw new WorkspaceError('ENOTDIR', `not a directory: ${p}`);
      return [...node.children.keys()].sort(byName).map((name) => {
        const child = node.children.get(name) as Node;
        return { name, path: joinPath(p, name), kind: child.kind, size: child.kind === 'file' ? child.data.length : 0 };
      });
    },

    async exists(path: string): Promise<boolean> {
      const p = normalizePath(path);
      try {
        return lookup(p) !== undefined;
      } catch (err) {
        if (err instanceof WorkspaceError && err.code === 'ENOTDIR') return false;
        throw err;
      }
    },
  };
}

/** POSIX rename rules for an existing destination: file over file replaces, dir over empty dir too. */
function checkReplace(kind: 'file' | 'dir', target: Node, dst: string): void {
  if (kind === 'file' && target.kind === 'dir') throw new WorkspaceError('EISDIR', `is a directory: ${dst}`);
  if (kind === 'dir' && target.kind === 'file') throw new WorkspaceError('ENOTDIR', `not a directory: ${dst}`);
  if (target.kind === 'dir' && target.children.size > 0) throw new WorkspaceError('ENOTEMPTY', `directory not empty: ${dst}`);
}
