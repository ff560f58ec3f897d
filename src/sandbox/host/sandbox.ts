import * as Comlink from 'comlink';
import type { Workspace } from '../fs/workspace.ts';
import { DEFAULT_LIMITS, EXIT_KILLED, EXIT_TIMEOUT } from '../limits.ts';
import type {
  ExecOptions,
  ExecResult,
  Limits,
  OutputChunk,
  RunOptions,
  RunResult,
  RuntimeStatus,
  BlockedAttempt,
  Manifest,
  FileStamp,
  WorkspaceChanges,
  SnapshotStore,
  WorkerJob,
  WorkerOutcome,
} from '../protocol.ts';
import type { Sandbox } from './api.ts';
import { applyChanges } from './apply-changes.ts';
import { buildAudit } from './build-audit.ts';
import { defaultFilename } from './filenames.ts';
import { sameSettings, startLiveWorker, type LiveWorker, type WorkerSettings } from './live-worker.ts';
import type { SpawnWorker } from './spawn.ts';
import { pathRecord } from '../records.ts';

export interface SandboxOptions {
  workspace: Workspace;
  spawn: SpawnWorker;
  limits?: Partial<Limits>;
  /** Origins user code may reach; empty (the default) means no network. */
  allowNet?: string[];
  /**
   * Keep a second, warmed-up worker ready so that Stop swaps to it at once instead of waiting for
   * runtimes to load again. Worth it in an interactive app; a one-shot CLI turns it off.
   */
  keepSpare?: boolean;
  /** Where Python start-up snapshots are kept (see SnapshotStore); without one, none are made. */
  snapshots?: SnapshotStore;
  /**
   * A worker started before the sandbox (as the page loads, while the project still opens), taken
   * as the first worker if it was started with the same settings, else ended.
   */
  prestarted?: LiveWorker;
}

type StopReason = 'killed' | 'timeout';

/** The result of a job stopped before it started: nothing ran, nothing changed. */
function killedBeforeStart(job: WorkerJob): ExecResult {
  return {
    status: 'killed',
    exitCode: EXIT_KILLED,
    stdout: '',
    stderr: '',
    truncated: false,
    durationMs: 0,
    filesChanged: [],
    cwd: job.kind === 'shell' ? job.cwd : '',
    audit: buildAudit({ saved: [], blocked: [], stdout: '', stderr: '' }),
  };
}

/** The exit code a shell reports for a run the sandbox ended, else the program's own. */
function exitCodeFor(status: RunResult['status'], own: number): number {
  return status === 'timeout' ? EXIT_TIMEOUT : status === 'killed' ? EXIT_KILLED : own;
}

/**
 * Creates a sandbox: a worker that runs code, supervised from this thread. Stop and timeouts
 * escalate from a cooperative interrupt to terminating the worker; a fresh worker takes its place
 * and the workspace (owned here, not by the worker) stays intact.
 */
export function createSandbox(options: SandboxOptions): Sandbox {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const statusListeners = new Set<(status: RuntimeStatus) => void>();
  const workspaceListeners = new Set<(manifest: Manifest) => void>();
  const warmed = new Set<RuntimeStatus['runtime']>();
  let worker: LiveWorker | undefined;
  let spare: LiveWorker | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let stopCurrent: ((reason: StopReason) => void) | undefined;
  let disposed = false;
  let lastExitCode = 0;
  /** Runs queued behind the current one; Stop pressed before a run starts must still stop it. */
  let waiting = 0;
  let pendingStop = false;
  let prestarted = options.prestarted;
  const settings: WorkerSettings = { outputCapBytes: limits.outputCapBytes, allowNet: options.allowNet ?? [], ...(options.snapshots ? { snapshots: options.snapshots } : {}) };

  function emitStatus(status: RuntimeStatus): void {
    for (const listener of statusListeners) listener(status);
  }

  function startWorker(): LiveWorker {
    const early = prestarted;
    prestarted = undefined;
    let live: LiveWorker;
    if (early && sameSettings(early.settings, settings)) {
      live = early;
      for (const runtime of warmed) void live.ready.then(() => live.api.warmup(runtime)).catch(() => undefined);
    } else {
      early?.handle.terminate();
      live = startLiveWorker(options.spawn, settings, warmed);
    }
    // A spare warms up silently; only the active worker's status is shown.
    live.onStatus = (status) => {
      if (worker === live) emitStatus(status);
    };
    void live.died.then(() => {
      if (worker === live) worker = undefined;
      if (spare === live) spare = undefined;
    });
    return live;
  }

  /** Starts the spare once the active worker is ready, so the two never compete to load. */
  function scheduleSpare(active: LiveWorker): void {
    if (!options.keepSpare) return;
    void active.ready.then(() => {
      if (!disposed && worker === active && !spare) spare = startWorker();
    });
  }

  function currentWorker(): LiveWorker {
    if (!worker) {
      worker = startWorker();
      // A pre-started worker may have loaded runtimes already.
      for (const status of worker.statuses.values()) emitStatus(status);
      scheduleSpare(worker);
    }
    return worker;
  }

  function replaceWorker(): void {
    worker?.handle.terminate();
    worker = undefined;
    if (disposed) return;
    if (spare) {
      worker = spare;
      spare = undefined;
      for (const status of worker.statuses.values()) emitStatus(status);
      scheduleSpare(worker);
    } else {
      currentWorker();
    }
  }

  /**
   * After a run changed the workspace: reads the manifest once, tells the worker the stamps its
   * saved files got (so its next job does not fetch them back) and the listeners what is there now.
   */
  async function announceChanges(live: LiveWorker, before: Manifest | undefined, changes: WorkspaceChanges, saved: string[]): Promise<void> {
    const dirsBefore = new Set(before?.dirs ?? []);
    const dirsChanged = changes.dirs.length !== dirsBefore.size || changes.dirs.some((dir) => !dirsBefore.has(dir));
    if (saved.length === 0 && !dirsChanged) return;
    const after = await options.workspace.manifest().catch(() => undefined);
    if (!after) return;
    const confirmed = pathRecord<FileStamp>();
    // Own properties only: records that crossed postMessage have prototypes, and a file may be called "constructor".
    for (const path of saved) {
      if (Object.hasOwn(after.files, path) && Object.hasOwn(changes.written, path)) confirmed[path] = after.files[path] as FileStamp;
    }
    live.confirmed = confirmed;
    for (const listener of workspaceListeners) listener(after);
  }

  async function execute(job: WorkerJob, timeoutMs: number, onOutput?: (chunk: OutputChunk) => void, signal?: AbortSignal): Promise<ExecResult> {
    const started = performance.now();
    const out = { stdout: '', stderr: '', truncated: false };
    // A job whose signal aborted before it started never gets here: enqueue settled it already.
    if (pendingStop) {
      pendingStop = false;
      return killedBeforeStart(job);
    }
    let finished = false;
    let batchesSeen = 0;
    let batchWaiter: (() => void) | undefined;
    const blocked: BlockedAttempt[] = [];
    let before: Manifest | undefined;
    const onBlocked = (attempt: BlockedAttempt): void => {
      if (finished) return;
      batchesSeen++;
      blocked.push(attempt);
      batchWaiter?.();
    };
    const forward = (chunks: OutputChunk[]): void => {
      if (finished) return;
      batchesSeen++;
      batchWaiter?.();
      for (const chunk of chunks) {
        out[chunk.stream] += chunk.text;
        if (chunk.truncated) out.truncated = true;
        onOutput?.(chunk);
      }
    };
    const live = currentWorker();
    let stopReason: StopReason | undefined;
    let escalate: ((value: 'terminated') => void) | undefined;
    const terminated = new Promise<'terminated'>((resolve) => (escalate = resolve));
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    stopCurrent = (reason) => {
      if (stopReason) return;
      stopReason = reason;
      Atomics.store(live.interrupt, 0, 2);
      graceTimer = setTimeout(() => escalate?.('terminated'), limits.interruptGraceMs);
    };
    const stopOnAbort = (): void => stopCurrent?.('killed');
    signal?.addEventListener('abort', stopOnAbort, { once: true });
    let timeoutTimer: ReturnType<typeof setTimeout> | undefined;

    let outcome: WorkerOutcome | 'terminated' | { died: string };
    try {
      Atomics.store(live.interrupt, 0, 0);
      const io = Comlink.proxy({
        readFiles: async (paths: string[]) => {
          const files = pathRecord<Uint8Array>();
          for (const path of paths) files[path] = await options.workspace.readFile(path);
          return Comlink.transfer(files, Object.values(files).map((data) => data.buffer as ArrayBuffer));
        },
        onOutput: forward,
        onBlocked,
      });
      const work = (async () => {
        await live.ready;
        // Loading a runtime (seconds, once) does not count against the program's time limit.
        await live.api.prepare(job);
        timeoutTimer = setTimeout(() => stopCurrent?.('timeout'), timeoutMs);
        const manifest = await options.workspace.manifest();
        before = manifest;
        const confirmed = live.confirmed;
        live.confirmed = undefined;
        return live.api.run(job, manifest, io, confirmed);
      })();
      outcome = await Promise.race([work, terminated, live.died.then((reason) => ({ died: reason }))]);
      if (typeof outcome === 'object' && 'outputBatches' in outcome) {
        const expected = outcome.outputBatches;
        await new Promise<void>((resolve) => {
          // A lost message must not hang the run forever.
          const safety = setTimeout(resolve, 2000);
          batchWaiter = () => {
            if (batchesSeen < expected) return;
            clearTimeout(safety);
            resolve();
          };
          batchWaiter();
        });
      }
    } catch (error) {
      outcome = { died: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timeoutTimer);
      clearTimeout(graceTimer);
      signal?.removeEventListener('abort', stopOnAbort);
      stopCurrent = undefined;
    }
    finished = true;

    const base = { stdout: out.stdout, stderr: out.stderr, truncated: out.truncated };
    const cwd = job.kind === 'shell' ? job.cwd : '';
    if (outcome === 'terminated' || 'died' in outcome) {
      replaceWorker();
      const died = outcome !== 'terminated' ? outcome.died : undefined;
      const status = stopReason ?? 'crashed';
      const note = died && !stopReason ? `\nisobox: the sandbox worker stopped: ${died}\n` : '';
      // Notes of the host stream like the program's stderr, so every viewer shows them.
      if (note) onOutput?.({ stream: 'stderr', text: note });
      return {
        ...base,
        stderr: base.stderr + note,
        status,
        exitCode: exitCodeFor(status, 134),
        durationMs: performance.now() - started,
        filesChanged: [],
        cwd,
        audit: buildAudit({ saved: [], blocked, stdout: base.stdout, stderr: base.stderr }),
      };
    }
    const saved = await applyChanges(options.workspace, outcome.changes);
    await announceChanges(live, before, outcome.changes, saved.changed);
    const saveNotes = saved.errors.map((e) => `isobox: ${e}\n`).join('');
    if (saveNotes) onOutput?.({ stream: 'stderr', text: saveNotes });
    if (outcome.status === 'crashed' || outcome.status === 'oom') replaceWorker();
    const status = stopReason && outcome.status === 'interrupted' ? stopReason : outcome.status === 'interrupted' ? 'killed' : outcome.status;
    const exitCode = exitCodeFor(status, outcome.exitCode);
    return {
      ...base,
      stderr: base.stderr + saveNotes,
      status: saved.errors.length > 0 && status === 'ok' ? 'error' : status,
      exitCode: saved.errors.length > 0 && exitCode === 0 ? 1 : exitCode,
      durationMs: performance.now() - started,
      filesChanged: saved.changed,
      cwd: outcome.cwd,
      audit: buildAudit({ before, changes: outcome.changes, saved: saved.changed, worker: outcome.audit, blocked, stdout: base.stdout, stderr: base.stderr }),
    };
  }

  /**
   * Queues a job behind the ones before it. Aborting `signal` while the job waits settles it as
   * killed at once (it never starts), not when its turn would have come.
   */
  function enqueue<T>(task: () => Promise<T>, signal: AbortSignal | undefined, killed: () => T): Promise<T> {
    waiting++;
    return new Promise<T>((resolve, reject) => {
      let state: 'queued' | 'started' | 'abandoned' = 'queued';
      const abandon = (): void => {
        if (state !== 'queued') return;
        state = 'abandoned';
        resolve(killed());
      };
      signal?.addEventListener('abort', abandon, { once: true });
      if (signal?.aborted) abandon();
      const start = async (): Promise<void> => {
        waiting--;
        signal?.removeEventListener('abort', abandon);
        if (state === 'abandoned') return;
        state = 'started';
        await task().then(resolve, reject);
      };
      queue = queue.then(start, start);
    });
  }

  return {
    fs: options.workspace,
    limits,

    run(run: RunOptions): Promise<RunResult> {
      const job: WorkerJob = {
        kind: 'code',
        language: run.language,
        code: run.code,
        filename: run.filename ?? defaultFilename(run.language),
        args: run.args ?? [],
        env: run.env ?? {},
        stdin: run.stdin ?? '',
        trace: run.trace ?? false,
      };
      const withoutCwd = ({ cwd: _cwd, ...result }: ExecResult): RunResult => result;
      return enqueue(async () => withoutCwd(await execute(job, run.timeoutMs ?? limits.timeoutMs, run.onOutput, run.signal)), run.signal, () => withoutCwd(killedBeforeStart(job)));
    },

    exec(line: string, exec: ExecOptions = {}): Promise<ExecResult> {
      const shellJob = (): WorkerJob => ({ kind: 'shell', line, cwd: exec.cwd ?? '', env: exec.env ?? {}, stdin: exec.stdin ?? '', lastExitCode, trace: exec.trace ?? false });
      return enqueue(
        async () => {
          const result = await execute(shellJob(), exec.timeoutMs ?? limits.timeoutMs, exec.onOutput, exec.signal);
          lastExitCode = result.exitCode;
          return result;
        },
        exec.signal,
        () => killedBeforeStart(shellJob()),
      );
    },

    writeStdin(_text) {
      return false;
    },

    endStdin() {
      return false;
    },

    interrupt() {
      if (stopCurrent) stopCurrent('killed');
      else if (waiting > 0) pendingStop = true;
    },

    async warmup(runtime) {
      warmed.add(runtime);
      const live = currentWorker();
      await live.ready;
      await live.api.warmup(runtime);
      if (spare) void spare.ready.then(() => spare?.api.warmup(runtime)).catch(() => undefined);
    },

    onWorkspaceChanged(listener) {
      workspaceListeners.add(listener);
      return () => workspaceListeners.delete(listener);
    },

    onRuntimeStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },

    async dispose() {
      disposed = true;
      stopCurrent?.('killed');
      worker?.handle.terminate();
      spare?.handle.terminate();
      prestarted?.handle.terminate();
      worker = undefined;
      spare = undefined;
    },
  };
}
