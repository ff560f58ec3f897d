import type { BlockedAttempt, Manifest, RunAudit, WorkerAudit, WorkspaceChanges } from '../protocol.ts';

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}

/**
 * Joins what the worker saw (reads, memory, trace) with what only the host knows: which saved
 * files are new, the blocked attempts streamed during the run, and the output. A run whose
 * worker was terminated has no worker audit and no saved changes, but keeps the rest.
 */
export function buildAudit(input: {
  before?: Manifest;
  changes?: WorkspaceChanges;
  saved: string[];
  worker?: WorkerAudit;
  blocked: BlockedAttempt[];
  stdout: string;
  stderr: string;
}): RunAudit {
  const saved = new Set(input.saved);
  const written = Object.keys(input.changes?.written ?? {}).filter((p) => saved.has(p));
  const existed = (path: string): boolean => !!input.before && Object.hasOwn(input.before.files, path);
  // The Python hook sees attempts to open files that may not exist; only real files count as read.
  const real = (path: string): boolean => existed(path) || written.includes(path);
  return {
    files: {
      read: (input.worker?.read ?? []).filter(real),
      created: written.filter((p) => !existed(p)).sort(),
      modified: written.filter(existed).sort(),
      deleted: (input.changes?.removed ?? []).filter((p) => saved.has(p)).sort(),
    },
    blocked: input.blocked,
    peakMemoryBytes: input.worker?.peakMemoryBytes ?? 0,
    outputBytes: { stdout: utf8Bytes(input.stdout), stderr: utf8Bytes(input.stderr) },
    ...(input.worker?.trace ? { trace: input.worker.trace } : {}),
    eventsDropped: input.worker?.eventsDropped ?? 0,
  };
}

/** A one-line summary for agents, the CLI and badges: `wrote 2 files, read 1; blocked: fetch … (network is off)`. */
export function summarizeAudit(audit: RunAudit): string {
  const parts: string[] = [];
  const { read, created, modified, deleted } = audit.files;
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const wrote = created.length + modified.length;
  if (wrote > 0) parts.push(`wrote ${count(wrote, 'file')} (${[...created, ...modified].slice(0, 5).join(', ')}${wrote > 5 ? ', …' : ''})`);
  if (deleted.length > 0) parts.push(`deleted ${deleted.slice(0, 5).join(', ')}`);
  if (read.length > 0) parts.push(`read ${count(read.length, 'file')}`);
  let text = parts.length > 0 ? parts.join(', ') : 'no file changes';
  if (audit.blocked.length > 0) {
    const shown = audit.blocked.slice(0, 3).map((b) => `${b.target} (${b.rule})`);
    text += `; blocked ${audit.blocked.length}: ${shown.join('; ')}${audit.blocked.length > 3 ? '; …' : ''}`;
  }
  if (audit.eventsDropped > 0) text += `; ${audit.eventsDropped} more events not recorded`;
  return text;
}
