/// <reference lib="webworker" />
/**
 * The file system worker: a dedicated worker that holds the page's OPFS workspaces
 * (opfs-store.ts) and answers the client in opfs.ts over Comlink. One worker serves every
 * workspace of the page, and runs their calls one at a time.
 */

import * as Comlink from 'comlink';
import { createSyncOpfsWorkspace } from './opfs-store.ts';
import { WorkspaceError } from './paths.ts';
import type { Workspace } from './workspace.ts';

/** The workspace calls the worker answers. */
export type WorkspaceOps = Omit<Workspace, 'kind'>;

/** What workspace call `K` resolves to. */
export type OpResult<K extends keyof WorkspaceOps> = Awaited<ReturnType<WorkspaceOps[K]>>;

/** The answer to one call: Comlink would keep only an error's message, so WorkspaceErrors travel as data. */
export type Reply<T> = { ok: true; value: T } | { ok: false; code: WorkspaceError['code']; message: string };

/** What the worker exposes (see the client in opfs.ts). */
export interface OpfsWorkerApi {
  /** The id of the workspace over `dir`: the same one for a folder opened again, so its stamps go on. */
  open(dir: FileSystemDirectoryHandle): Promise<number>;
  /** Runs one workspace call; a returned Uint8Array is transferred, not copied. */
  call<K extends keyof WorkspaceOps>(id: number, op: K, args: Parameters<WorkspaceOps[K]>): Promise<Reply<OpResult<K>>>;
}

const workspaces: Array<{ dir: FileSystemDirectoryHandle; workspace: Workspace }> = [];

// One call at a time: two opens of one file's exclusive sync handle must not overlap.
let queue: Promise<unknown> = Promise.resolve();

async function answer<T>(task: () => Promise<T>): Promise<Reply<T>> {
  try {
    return { ok: true, value: await task() };
  } catch (err) {
    if (err instanceof WorkspaceError) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: 'EINVAL', message: `file system worker: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** A reply whose bytes (a file read) are transferred to the page rather than copied. */
function handOver<T>(reply: Reply<T>): Reply<T> {
  return reply.ok && reply.value instanceof Uint8Array ? Comlink.transfer(reply, [reply.value.buffer]) : reply;
}

const api: OpfsWorkerApi = {
  async open(dir) {
    for (const [id, known] of workspaces.entries()) if (await known.dir.isSameEntry(dir)) return id;
    return workspaces.push({ dir, workspace: createSyncOpfsWorkspace(dir) }) - 1;
  },

  call<K extends keyof WorkspaceOps>(id: number, op: K, args: Parameters<WorkspaceOps[K]>): Promise<Reply<OpResult<K>>> {
    const run = queue.then(() =>
      answer<OpResult<K>>(() => {
        const workspace = workspaces[id]?.workspace;
        if (!workspace) throw new WorkspaceError('EINVAL', `file system worker: no workspace ${id}`);
        // Dispatch by name: `args` are the parameters of `op`, as the signature of `call` says.
        return (workspace[op] as (...a: unknown[]) => Promise<OpResult<K>>).apply(workspace, args);
      }),
    );
    queue = run;
    return run.then(handOver);
  },
};

Comlink.expose(api);
