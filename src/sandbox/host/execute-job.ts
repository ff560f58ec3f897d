import * as Comlink from 'comlink';
import type { Workspace } from '../fs/workspace.ts';
import type { ExecResult, Limits, Manifest, OutputChunk, WorkerJob, WorkerJobIo, WorkerOutcome } from '../protocol.ts';
import { packagesForJob } from '../packages/job-packages.ts';
import type { PackageProvider } from '../packages/provider.ts';
import { applyChanges } from './apply-changes.ts';
import { buildAudit } from './build-audit.ts';
import { JobOutput } from './job-output.ts';
import { exitCodeFor } from './job-results.ts';
import type { LiveWorker } from './live-worker.ts';
import { inputWaitClock } from './stdin-channel.ts';
import { StopEscalation } from './stop-escalation.ts';
import type { WorkerPool } from './worker-pool.ts';
import { announceChanges, readForWorker } from './workspace-sync.ts';

/** What running a job needs from its sandbox. */
export interface JobContext {
  workspace: Workspace;
  pool: WorkerPool;
  limits: Limits;
  /** Hear the workspace as a run left it (Sandbox.onWorkspaceChanged). */
  workspaceListeners: Iterable<(manifest: Manifest) => void>;
  /** Where Python's packages come from (after consent); without it, programs get no packages. */
  packages?: PackageProvider;
  /** Told the stop control of the job that starts, and `undefined` once it ended (for Sandbox.interrupt). */
  running(stop: StopEscalation | undefined): void;
}

/** How the worker's side of a job ended, seen from the host. */
type Ending = WorkerOutcome | 'terminated' | { died: string };

/**
 * Runs one job on the pool's current worker and turns its outcome into a result: saves the
 * files it changed, collects its output and audit, and replaces the worker when the job ended
 * it (a stop that had to terminate it, a crash, running out of memory) or left state in it.
 */
export async function executeJob(context: JobContext, job: WorkerJob, timeoutMs: number, onOutput?: (chunk: OutputChunk) => void, signal?: AbortSignal): Promise<ExecResult> {
  const started = performance.now();
  const output = new JobOutput(onOutput);
  const live = context.pool.current();
  const stop = new StopEscalation(live.interrupt, context.limits.interruptGraceMs, signal);
  context.running(stop);
  let before: Manifest | undefined;
  let ending: Ending;
  try {
    const work = (async () => {
      await live.ready;
      // Loading a runtime (seconds, once) does not count against the program's time limit.
      await live.api.prepare(job);
      stop.startClock(timeoutMs, job.terminal && inputWaitClock(job.terminal));
      const manifest = await context.workspace.manifest();
      before = manifest;
      const confirmed = live.confirmed;
      live.confirmed = undefined;
      const loadPackages = context.packages && packagesForJob(context.packages, stop, timeoutMs);
      return live.api.run(job, manifest, jobIo(context.workspace, output, loadPackages), confirmed);
    })();
    ending = await Promise.race([work, stop.terminated, live.died.then((reason) => ({ died: reason }))]);
    if (typeof ending === 'object' && 'outputBatches' in ending) await output.allArrived(ending.outputBatches);
  } catch (error) {
    ending = { died: error instanceof Error ? error.message : String(error) };
  } finally {
    stop.end();
    context.running(undefined);
  }
  output.finish();
  const durationMs = (): number => performance.now() - started;
  if (ending === 'terminated' || 'died' in ending) return endedByHost(context, job, output, stop, ending, durationMs);
  return finished(context, live, output, stop, ending, before, durationMs);
}

/** The callbacks the worker gets for one job, wrapped for Comlink. */
function jobIo(workspace: Workspace, output: JobOutput, loadPackages?: WorkerJobIo['loadPackages']): WorkerJobIo & Comlink.ProxyMarked {
  return Comlink.proxy<WorkerJobIo>({
    readFiles: async (paths: string[]) => {
      const files = await readForWorker(workspace, paths);
      return Comlink.transfer(files, Object.values(files).map((data) => data.buffer as ArrayBuffer));
    },
    onOutput: output.forward,
    onBlocked: output.onBlocked,
    ...(loadPackages ? { loadPackages } : {}),
  });
}

/** A job whose worker was terminated (after a stop's grace period) or died: nothing it changed is saved. */
function endedByHost(context: JobContext, job: WorkerJob, output: JobOutput, stop: StopEscalation, ending: 'terminated' | { died: string }, durationMs: () => number): ExecResult {
  context.pool.replace();
  const died = ending !== 'terminated' ? ending.died : undefined;
  const status = stop.reason ?? 'crashed';
  const note = died && !stop.reason ? `\nisobox: the sandbox worker stopped: ${died}\n` : '';
  output.note(note);
  return {
    stdout: output.stdout,
    stderr: output.stderr + note,
    truncated: output.truncated,
    status,
    exitCode: exitCodeFor(status, 134),
    durationMs: durationMs(),
    filesChanged: [],
    cwd: job.kind === 'shell' ? job.cwd : '',
    audit: buildAudit({ saved: [], blocked: output.blocked, stdout: output.stdout, stderr: output.stderr }),
  };
}

/**
 * A job that ended in the worker: its changes are saved; a crashed or exhausted worker is
 * replaced, and one the job left state in (Python ran) is retired, so the next job starts clean.
 */
async function finished(
  context: JobContext,
  live: LiveWorker,
  output: JobOutput,
  stop: StopEscalation,
  outcome: WorkerOutcome,
  before: Manifest | undefined,
  durationMs: () => number,
): Promise<ExecResult> {
  // Before saving, so the spare that replaces it starts preparing as early as possible.
  if (outcome.status === 'crashed' || outcome.status === 'oom') context.pool.replace();
  else if (outcome.reusable !== true) context.pool.retire();
  const saved = await applyChanges(context.workspace, outcome.changes);
  await announceChanges(context.workspace, context.workspaceListeners, live, before, outcome.changes, saved.changed);
  const saveNotes = saved.errors.map((e) => `isobox: ${e}\n`).join('');
  output.note(saveNotes);
  const status = outcome.status === 'interrupted' ? (stop.reason ?? 'killed') : outcome.status;
  const exitCode = exitCodeFor(status, outcome.exitCode);
  const saveFailed = saved.errors.length > 0;
  return {
    stdout: output.stdout,
    stderr: output.stderr + saveNotes,
    truncated: output.truncated,
    status: saveFailed && status === 'ok' ? 'error' : status,
    exitCode: saveFailed && exitCode === 0 ? 1 : exitCode,
    durationMs: durationMs(),
    filesChanged: saved.changed,
    cwd: outcome.cwd,
    ...(outcome.env ? { env: outcome.env, vars: outcome.vars ?? {} } : {}),
    audit: buildAudit({ before, changes: outcome.changes, saved: saved.changed, worker: outcome.audit, blocked: output.blocked, stdout: output.stdout, stderr: output.stderr }),
  };
}
