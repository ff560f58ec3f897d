import type { RuntimeStatus } from '../protocol.ts';
import { sameSettings, startLiveWorker, type LiveWorker, type WorkerSettings } from './live-worker.ts';
import type { SpawnWorker } from './spawn.ts';

/** What a sandbox's workers are started with. */
export interface WorkerPoolOptions {
  spawn: SpawnWorker;
  settings: WorkerSettings;
  /** Keep a second, warmed-up worker ready, so that replacing the active one is instant. */
  keepSpare?: boolean;
  /** A worker started before the pool, taken as the first worker if its settings match (else ended). */
  prestarted?: LiveWorker;
  /** Hears the active worker's runtime status (a spare warms up silently). */
  onStatus(status: RuntimeStatus): void;
  /**
   * Readies a spare further once its runtimes are warm, before it may take a job (the sandbox
   * syncs the workspace into it); a failure only leaves that work to the spare's first job.
   */
  prepareSpare?(spare: LiveWorker): Promise<void>;
}

/**
 * The workers of one sandbox: the active one that runs jobs, and optionally a warm spare that
 * takes its place when it is replaced (after Stop or a crash) or retired (after a run that must
 * not leave its interpreter to the next). Every worker warms the runtimes the sandbox asked for.
 */
export class WorkerPool {
  private active: LiveWorker | undefined;
  private spare: LiveWorker | undefined;
  private prestarted: LiveWorker | undefined;
  private readonly warmed = new Set<RuntimeStatus['runtime']>();
  private disposed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    this.prestarted = options.prestarted;
  }

  /** The worker that runs the next job, started (or taken over from the pre-started one) on first use. */
  current(): LiveWorker {
    if (!this.active) {
      this.active = this.start();
      // A pre-started worker may have loaded runtimes already.
      this.replayStatus(this.active);
      this.scheduleSpare(this.active);
    }
    return this.active;
  }

  /** Ends the active worker (Stop, a crash); the spare, or without one a new worker started at once, takes its place. */
  replace(): void {
    this.active?.handle.terminate();
    this.active = undefined;
    if (this.disposed) return;
    if (this.spare) {
      this.active = this.spare;
      this.spare = undefined;
      this.replayStatus(this.active);
      this.scheduleSpare(this.active);
    } else {
      this.current();
    }
  }

  /**
   * The active worker must not run another job (Python ran in it): the spare, prepared while the
   * user read the output, takes its place and a new spare starts behind it. Without a spare the
   * next worker starts on first use, so a one-shot CLI never starts one it does not need.
   */
  retire(): void {
    if (this.spare) this.replace();
    else {
      this.active?.handle.terminate();
      this.active = undefined;
    }
  }

  /** Loads a runtime in the active worker (and the spare), and in every worker started later. */
  async warmup(runtime: RuntimeStatus['runtime']): Promise<void> {
    this.warmed.add(runtime);
    const live = this.current();
    await live.ready;
    await live.api.warmup(runtime);
    const spare = this.spare;
    if (spare) void spare.ready.then(() => spare.api.warmup(runtime)).catch(() => undefined);
  }

  /** Ends every worker; nothing is started after this. */
  dispose(): void {
    this.disposed = true;
    this.active?.handle.terminate();
    this.spare?.handle.terminate();
    this.prestarted?.handle.terminate();
    this.active = undefined;
    this.spare = undefined;
  }

  private start(): LiveWorker {
    const early = this.prestarted;
    this.prestarted = undefined;
    let live: LiveWorker;
    if (early && sameSettings(early.settings, this.options.settings)) {
      live = early;
      for (const runtime of this.warmed) void live.ready.then(() => live.api.warmup(runtime)).catch(() => undefined);
    } else {
      early?.handle.terminate();
      live = startLiveWorker(this.options.spawn, this.options.settings, this.warmed);
    }
    // A spare warms up silently; only the active worker's status is shown.
    live.onStatus = (status) => {
      if (this.active === live) this.options.onStatus(status);
    };
    void live.died.then(() => {
      if (this.active === live) this.active = undefined;
      if (this.spare === live) this.spare = undefined;
    });
    return live;
  }

  /** Starts the spare once the active worker is ready, so the two never compete to load. */
  private scheduleSpare(active: LiveWorker): void {
    if (!this.options.keepSpare) return;
    void active.ready.then(() => {
      if (this.disposed || this.active !== active || this.spare) return;
      const spare = this.start();
      const prepare = this.options.prepareSpare;
      // Part of its readiness: a job given to it waits for this, so the two never interleave.
      if (prepare) spare.ready = spare.ready.then(() => prepare(spare).catch(() => undefined));
      this.spare = spare;
    });
  }

  private replayStatus(live: LiveWorker): void {
    for (const status of live.statuses.values()) this.options.onStatus(status);
  }
}
