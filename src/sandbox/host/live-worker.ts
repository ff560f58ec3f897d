import * as Comlink from 'comlink';
import type { FileStamp, RuntimeStatus, SandboxWorkerApi, SnapshotStore } from '../protocol.ts';
import type { SpawnWorker, WorkerHandle } from './spawn.ts';

/** What a worker is started with; a sandbox adopts a pre-started worker only if these match. */
export interface WorkerSettings {
  outputCapBytes: number;
  /** Origins user code may reach; empty means no network. */
  allowNet: string[];
  /** Where Python start-up snapshots are kept (see SnapshotStore); without one, none are made. */
  snapshots?: SnapshotStore;
}

/** A started sandbox worker, supervised by the host. */
export interface LiveWorker {
  handle: WorkerHandle;
  api: Comlink.Remote<SandboxWorkerApi>;
  settings: WorkerSettings;
  /** Settles once the worker is initialised and the runtimes asked for are warm. */
  ready: Promise<void>;
  interrupt: Int32Array;
  /** Settles when the worker dies on its own. */
  died: Promise<string>;
  /** Latest status per runtime, replayed when the worker becomes a sandbox's active worker. */
  statuses: Map<RuntimeStatus['runtime'], RuntimeStatus>;
  /** Stamps of the files this worker wrote in its last job, as the host saved them (SandboxWorkerApi.run). */
  confirmed?: Record<string, FileStamp>;
  /** Who hears this worker's runtime status now (the sandbox, while this is its active worker). */
  onStatus?: (status: RuntimeStatus) => void;
}

/** The store as workers see it: loaded snapshots are transferred to the worker, not copied. */
function transferringLoads(store: SnapshotStore): SnapshotStore {
  return {
    load: async () => {
      const snapshot = await store.load();
      return snapshot && Comlink.transfer(snapshot, [snapshot.buffer]);
    },
    save: (snapshot) => store.save(snapshot),
    discard: () => store.discard(),
  };
}

/**
 * Starts a worker and warms the given runtimes in it. Independent of any workspace, so a page can
 * start one before its project is open (see SandboxOptions.prestarted).
 */
export function startLiveWorker(spawn: SpawnWorker, settings: WorkerSettings, warm: Iterable<RuntimeStatus['runtime']>): LiveWorker {
  const handle = spawn();
  const api = Comlink.wrap<SandboxWorkerApi>(handle.endpoint);
  // Without cross-origin isolation there is no SharedArrayBuffer: Stop then skips the
  // cooperative interrupt and terminates the worker after the grace period.
  const buffer = typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(4) : new ArrayBuffer(4);
  const died = new Promise<string>((resolve) => handle.onExit(resolve));
  const statuses = new Map<RuntimeStatus['runtime'], RuntimeStatus>();
  const runtimes = [...warm];
  const snapshots = settings.snapshots && Comlink.proxy(transferringLoads(settings.snapshots));
  const live: LiveWorker = { handle, api, settings, ready: Promise.resolve(), interrupt: new Int32Array(buffer), died, statuses };
  const onStatus = (status: RuntimeStatus): void => {
    statuses.set(status.runtime, status);
    live.onStatus?.(status);
  };
  live.ready = api
    .init({ interruptBuffer: buffer, outputCapBytes: settings.outputCapBytes, allowNet: settings.allowNet }, Comlink.proxy(onStatus), snapshots)
    .then(() => Promise.all(runtimes.map((runtime) => api.warmup(runtime))))
    .then(() => undefined);
  live.ready.catch(() => undefined);
  return live;
}

/** Whether a pre-started worker was started as a sandbox with these settings would start its own. */
export function sameSettings(a: WorkerSettings, b: WorkerSettings): boolean {
  return a.outputCapBytes === b.outputCapBytes && a.snapshots === b.snapshots && a.allowNet.join('\n') === b.allowNet.join('\n');
}
