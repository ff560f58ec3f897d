import * as Comlink from 'comlink';
import type { FileStamp, Manifest, OutputChunk, RuntimeStatus, SandboxWorkerApi, SnapshotStore, WorkerInit, WorkerJob, WorkerJobIo, WorkerOutcome } from '../protocol.ts';
import type { ProgramIo, ProgramResult, ReportStatus } from '../runtimes/runtime.ts';
import { AuditRecorder, setCurrentAudit } from './audit.ts';
import { OutputPump } from './output.ts';
import { FileTree } from './tree.ts';
import { createRuntimes, type RuntimeLoaders, type Runtimes } from './runtimes.ts';
import { runJob } from './jobs.ts';
import { TerminalReader } from './stdin.ts';

/** What a worker entry provides for its environment (browser Worker or Node worker_thread). */
export interface WorkerEnvironment {
  loaders: RuntimeLoaders;
  /** Removes network and storage globals before user code first runs. */
  lockdown(allowNet: string[]): void;
}

/**
 * A snapshot store that refuses snapshots once user code has run in this worker: whatever a
 * worker saves must come from an interpreter no program could have touched.
 */
function pristineOnly(store: SnapshotStore, touched: () => boolean): SnapshotStore {
  return {
    load: () => store.load(),
    save: async (snapshot) => {
      // Transferred, not copied: tens of megabytes.
      if (!touched()) await store.save(Comlink.transfer(snapshot, [snapshot.buffer]));
    },
    discard: () => store.discard(),
  };
}

/**
 * The sandbox worker's API: keeps the workspace tree and the runtimes, runs one job at a time.
 * Exposed over Comlink by the entry files; the host is the only caller.
 */
export function createWorkerApi(env: WorkerEnvironment): SandboxWorkerApi {
  const tree = new FileTree();
  let init: WorkerInit | undefined;
  let runtimes: Runtimes | undefined;
  let lockedDown = false;

  function requireInit(): { init: WorkerInit; runtimes: Runtimes } {
    if (!init || !runtimes) throw new Error('sandbox worker used before init()');
    return { init, runtimes };
  }

  return {
    async init(settings, onRuntimeStatus, snapshots) {
      init = settings;
      const report = (runtime: RuntimeStatus['runtime']): ReportStatus => (phase, detail, progress) => {
        void Promise.resolve(onRuntimeStatus({ runtime, phase, detail, ...(progress === undefined ? {} : { progress }) })).catch(() => undefined);
      };
      runtimes = createRuntimes(env.loaders, report, snapshots && pristineOnly(snapshots, () => lockedDown));
    },

    async warmup(runtime) {
      await requireInit().runtimes.warmup(runtime);
    },

    async prepare(job) {
      await requireInit().runtimes.prepare(job);
    },

    async run(job: WorkerJob, manifest: Manifest, io: WorkerJobIo, confirmed?: Record<string, FileStamp>): Promise<WorkerOutcome> {
      const ready = requireInit();
      const interrupt = new Int32Array(ready.init.interruptBuffer);
      if (confirmed) tree.confirm(confirmed);
      await tree.sync(manifest, (paths) => io.readFiles(paths));
      await ready.runtimes.prepare(job);
      if (!lockedDown) {
        env.lockdown(ready.init.allowNet);
        lockedDown = true;
      }
      const before = tree.snapshot();
      let outputBatches = 0;
      const pump = new OutputPump(ready.init.outputCapBytes, (chunks: OutputChunk[]) => {
        outputBatches++;
        void Promise.resolve(io.onOutput(chunks)).catch(() => undefined);
      });
      const audit = new AuditRecorder((attempt) => {
        outputBatches++;
        void Promise.resolve(io.onBlocked(attempt)).catch(() => undefined);
      }, job.trace);
      setCurrentAudit(audit);
      const programIo: ProgramIo = {
        args: job.kind === 'code' ? job.args : [],
        env: job.env,
        stdin: new TextEncoder().encode(job.stdin),
        ...(job.terminal ? { terminal: new TerminalReader(job.terminal, interrupt, () => pump.flush()) } : {}),
        cwd: job.kind === 'shell' ? job.cwd : '',
        stdout: (bytes) => pump.write('stdout', bytes),
        stderr: (bytes) => pump.write('stderr', bytes),
        interrupt,
        audit,
        ...(job.kind === 'code' && job.debug ? { debug: job.debug } : {}),
        flushOutput: () => pump.flush(),
        // Python's packages come from the host (python-packages.ts): the worker itself has no network.
        packages: async (need) => {
          const delivery = await io.loadPackages?.(need);
          if (!delivery) throw new Error('the host offers no packages');
          return delivery;
        },
      };
      let result: ProgramResult & { cwd?: string; env?: Record<string, string>; vars?: Record<string, string> };
      try {
        result = await runJob(job, tree, programIo, ready.runtimes);
      } catch (error) {
        programIo.stderr(new TextEncoder().encode(`isobox: ${error instanceof Error ? error.message : String(error)}\n`));
        result = { status: 'error', exitCode: 1 };
      }
      pump.flush(true);
      setCurrentAudit(undefined);
      return {
        status: result.status,
        exitCode: result.exitCode,
        changes: tree.changesSince(before),
        cwd: result.cwd ?? (job.kind === 'shell' ? job.cwd : ''),
        ...(result.env ? { env: result.env, vars: result.vars ?? {} } : {}),
        outputBatches,
        audit: audit.result(),
        reusable: !ready.runtimes.pythonUsed(),
      };
    },
  };
}
