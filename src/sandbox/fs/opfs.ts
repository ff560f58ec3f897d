/**
 * Workspace over an Origin Private File System directory (browser): one project's folder.
 * The work happens in a dedicated file system worker (opfs-worker.ts, opfs-store.ts), where
 * synchronous access handles read and write files several times faster than the asynchronous
 * API the page has; this module is the page's side of it. No DOM globals.
 */

import * as Comlink from 'comlink';
import type { Manifest } from '../protocol.ts';
import type { OpResult, OpfsWorkerApi, WorkspaceOps } from './opfs-worker.ts';
import opfsWorkerUrl from './opfs-worker.ts?worker&url';
import { WorkspaceError } from './paths.ts';
import type { DirEntry, Workspace } from './workspace.ts';

interface Link {
  api: Comlink.Remote<OpfsWorkerApi>;
  /** Rejects when the worker fails (its script did not load, or it crashed), so no call waits forever. */
  failed: Promise<never>;
}

/** The page's one file system worker, started on first use and again after it failed. */
let shared: Link | undefined;

function fsWorker(): Link {
  if (shared) return shared;
  const worker = new Worker(new URL(opfsWorkerUrl, import.meta.url), { type: 'module', name: 'isobox-fs' });
  const link: Link = {
    api: Comlink.wrap<OpfsWorkerApi>(worker),
    failed: new Promise<never>((_, reject) =>
      worker.addEventListener(
        'error',
        (event) => {
          if (shared === link) shared = undefined;
          worker.terminate();
          reject(new WorkspaceError('EINVAL', `the file system worker failed: ${event.message || 'it did not start'}`));
        },
        { once: true },
      ),
    ),
  };
  link.failed.catch(() => undefined);
  shared = link;
  return link;
}

/**
 * Opens an OPFS directory (e.g. a project folder under `navigator.storage.getDirectory()`) as a
 * workspace. Quota errors from the browser surface as `WorkspaceError('EDQUOT')`.
 * Stamps change on every write through any workspace of the page over this folder, even within
 * one millisecond (see StampKeeper in opfs-store.ts).
 */
export function createOpfsWorkspace(dir: FileSystemDirectoryHandle): Workspace {
  let session: { link: Link; id: Promise<number> } | undefined;

  async function call<K extends keyof WorkspaceOps>(op: K, args: Parameters<WorkspaceOps[K]>, transfer: Transferable[] = []): Promise<OpResult<K>> {
    const link = fsWorker();
    if (session?.link !== link) session = { link, id: link.api.open(dir) };
    const id = await Promise.race([session.id, link.failed]);
    const reply = await Promise.race([link.api.call(id, op, Comlink.transfer(args, transfer)), link.failed]);
    if (!reply.ok) throw new WorkspaceError(reply.code, reply.message);
    // Comlink's Remote type drops the generic; the worker answered call `op`.
    return reply.value as OpResult<K>;
  }

  return {
    kind: 'opfs',
    manifest: (): Promise<Manifest> => call('manifest', []),
    readFile: (path: string): Promise<Uint8Array> => call('readFile', [path]),
    readText: async (path: string): Promise<string> => new TextDecoder().decode(await call('readFile', [path])),
    writeFile(path: string, data: Uint8Array | string): Promise<void> {
      // A private copy, handed over: the caller may change its array while the write is under way.
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
      return call('writeFile', [path, bytes], [bytes.buffer]);
    },
    mkdir: (path: string): Promise<void> => call('mkdir', [path]),
    remove: (path: string): Promise<void> => call('remove', [path]),
    rename: (from: string, to: string): Promise<void> => call('rename', [from, to]),
    readdir: (path: string): Promise<DirEntry[]> => call('readdir', [path]),
    exists: (path: string): Promise<boolean> => call('exists', [path]),
  };
}
