import type { Workspace } from '../fs/workspace.ts';
import { DEFAULT_LIMITS } from '../limits.ts';
import type { ExecOptions, ExecResult, Limits, Manifest, RunOptions, RunResult, RuntimeStatus, SnapshotStore, WorkerJob } from '../protocol.ts';
import type { PackageProvider } from '../packages/provider.ts';
import type { Sandbox } from './api.ts';
import { executeJob, type JobContext } from './execute-job.ts';
import { defaultFilename } from './filenames.ts';
import { JobQueue } from './job-queue.ts';
import { StdinChannels } from './stdin-channel.ts';
import { killedBeforeStart, withoutCwd } from './job-results.ts';
import type { LiveWorker, WorkerSettings } from './live-worker.ts';
import type { SpawnWorker } from './spawn.ts';
import type { StopEscalation } from './stop-escalation.ts';
import { WorkerPool } from './worker-pool.ts';
import { presyncWorker } from './workspace-sync.ts';

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
  /** Where Python's packages come from, after consent (packages/provider.ts); without it, none are offered. */
  packages?: PackageProvider;
}

/** How a caller limits, follows and stops its job (the same fields on RunOptions and ExecOptions). */
type JobRequest = Pick<RunOptions & ExecOptions, 'timeoutMs' | 'onOutput' | 'signal'>;

/** The worker's description of a program run. */
function codeJob(run: RunOptions): WorkerJob {
  return {
    kind: 'code',
    language: run.language,
    code: run.code,
    filename: run.filename ?? defaultFilename(run.language),
    args: run.args ?? [],
    env: run.env ?? {},
    stdin: run.stdin ?? '',
    trace: run.trace ?? false,
    ...(run.debug ? { debug: run.debug } : {}),
  };
}

/** The worker's description of a shell line; `$?` is the exit code of the line before it. */
function shellJob(line: string, exec: ExecOptions, lastExitCode: number): WorkerJob {
  return { kind: 'shell', line, cwd: exec.cwd ?? '', env: exec.env ?? {}, ...(exec.vars ? { vars: exec.vars } : {}), stdin: exec.stdin ?? '', lastExitCode, trace: exec.trace ?? false };
}

/**
 * Creates a sandbox: a worker that runs code, supervised from this thread. Jobs wait their turn
 * in a queue (job-queue.ts) and run on the pool's current worker (worker-pool.ts); Stop and
 * timeouts escalate from a cooperative interrupt to terminating the worker (stop-escalation.ts),
 * a fresh worker takes its place and the workspace (owned here, not by the worker) stays intact.
 */
export function createSandbox(options: SandboxOptions): Sandbox {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const statusListeners = new Set<(status: RuntimeStatus) => void>();
  const workspaceListeners = new Set<(manifest: Manifest) => void>();
  const queue = new JobQueue();
  /** The terminal's stdin for interactive jobs that are queued or running. */
  const stdin = new StdinChannels();
  const settings: WorkerSettings = { outputCapBytes: limits.outputCapBytes, allowNet: options.allowNet ?? [], ...(options.snapshots ? { snapshots: options.snapshots } : {}) };
  const pool = new WorkerPool({
    spawn: options.spawn,
    settings,
    ...(options.keepSpare ? { keepSpare: true } : {}),
    ...(options.prestarted ? { prestarted: options.prestarted } : {}),
    onStatus: (status) => {
      for (const listener of statusListeners) listener(status);
    },
    prepareSpare: (spare) => presyncWorker(options.workspace, spare),
  });
  /** The stop control of the job that is running, if one is. */
  let running: StopEscalation | undefined;
  let lastExitCode = 0;
  /** The variables of the sandbox's own shell session (lines run without an explicit env). */
  let shell: { env: Record<string, string>; vars: Record<string, string> } = { env: {}, vars: {} };
  const context: JobContext = {
    workspace: options.workspace,
    pool,
    limits,
    workspaceListeners,
    ...(options.packages ? { packages: options.packages } : {}),
    running: (stop) => (running = stop),
  };

  /** Runs a job whose turn has come, unless Stop was pressed for it while it waited. */
  function execute(job: WorkerJob, request: JobRequest): Promise<ExecResult> {
    if (queue.takeStop()) return Promise.resolve(killedBeforeStart(job));
    return executeJob(context, job, request.timeoutMs ?? limits.timeoutMs, request.onOutput, request.signal);
  }

  return {
    fs: options.workspace,
    limits,

    run(run: RunOptions): Promise<RunResult> {
      const terminal = stdin.forJob(run);
      const job = terminal.attach(codeJob(run));
      return queue.enqueue(async () => withoutCwd(await execute(job, run)), run.signal, () => withoutCwd(killedBeforeStart(job))).finally(terminal.release);
    },

    exec(line: string, options: ExecOptions = {}): Promise<ExecResult> {
      // A line without its own env continues the sandbox's shell session (the terminal's `export X=1`, then `echo $X`).
      const session = options.env === undefined;
      const exec: ExecOptions = session ? { ...options, env: shell.env, vars: shell.vars } : options;
      const terminal = stdin.forJob(exec);
      return queue
        .enqueue(
          async () => {
            const result = await execute(terminal.attach(shellJob(line, exec, lastExitCode)), exec);
            lastExitCode = result.exitCode;
            if (session && result.env) shell = { env: result.env, vars: result.vars ?? {} };
            return result;
          },
          exec.signal,
          () => killedBeforeStart(shellJob(line, exec, lastExitCode)),
        )
        .finally(terminal.release);
    },

    writeStdin: (text) => stdin.write(text),

    endStdin: () => stdin.end(),

    interrupt() {
      if (running) running.stop('killed');
      else queue.stopNext();
    },

    warmup: (runtime) => pool.warmup(runtime),

    onWorkspaceChanged(listener) {
      workspaceListeners.add(listener);
      return () => workspaceListeners.delete(listener);
    },

    onRuntimeStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },

    async dispose() {
      running?.stop('killed');
      pool.dispose();
    },
  };
}
