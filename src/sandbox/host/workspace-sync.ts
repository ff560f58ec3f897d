import * as Comlink from 'comlink';
import type { Workspace } from '../fs/workspace.ts';
import type { FileStamp, Manifest, WorkerJob, WorkerJobIo, WorkspaceChanges } from '../protocol.ts';
import { pathRecord } from '../records.ts';
import type { LiveWorker } from './live-worker.ts';

/** Reads files of the workspace for a worker's job, as one record of bytes ready to transfer. */
export async function readForWorker(workspace: Workspace, paths: string[]): Promise<Record<string, Uint8Array>> {
  const files = pathRecord<Uint8Array>();
  for (const path of paths) files[path] = await workspace.readFile(path);
  return files;
}

/**
 * After a run changed the workspace: reads the manifest once, tells the worker the stamps its
 * saved files got (so its next job does not fetch them back) and the listeners what is there now.
 */
export async function announceChanges(
  workspace: Workspace,
  listeners: Iterable<(manifest: Manifest) => void>,
  live: LiveWorker,
  before: Manifest | undefined,
  changes: WorkspaceChanges,
  saved: string[],
): Promise<void> {
  const dirsBefore = new Set(before?.dirs ?? []);
  const dirsChanged = changes.dirs.length !== dirsBefore.size || changes.dirs.some((dir) => !dirsBefore.has(dir));
  if (saved.length === 0 && !dirsChanged) return;
  const after = await workspace.manifest().catch(() => undefined);
  if (!after) return;
  const confirmed = pathRecord<FileStamp>();
  // Own properties only: records that crossed postMessage have prototypes, and a file may be called "constructor".
  for (const path of saved) {
    if (Object.hasOwn(after.files, path) && Object.hasOwn(changes.written, path)) confirmed[path] = after.files[path] as FileStamp;
  }
  live.confirmed = confirmed;
  for (const listener of listeners) listener(after);
}

/** A job that runs nothing (the shell's `true`): it only syncs the worker's tree and locks it down. */
const SYNC_ONLY: WorkerJob = { kind: 'shell', line: 'true', cwd: '', env: {}, stdin: '', lastExitCode: 0, trace: false };

/**
 * Copies the workspace into a spare worker ahead of its first job, while the user reads the last
 * output: a fresh worker (every Python run gets one) would otherwise fetch every file of the
 * project on the Run → output path. Its first job then fetches only what changed since.
 */
export async function presyncWorker(workspace: Workspace, live: LiveWorker): Promise<void> {
  const manifest = await workspace.manifest();
  const io = Comlink.proxy<WorkerJobIo>({
    readFiles: async (paths: string[]) => {
      const files = await readForWorker(workspace, paths);
      return Comlink.transfer(files, Object.values(files).map((data) => data.buffer as ArrayBuffer));
    },
    onOutput: () => undefined,
    onBlocked: () => undefined,
  });
  await live.api.run(SYNC_ONLY, manifest, io);
}
