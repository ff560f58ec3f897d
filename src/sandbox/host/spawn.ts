import type { Endpoint } from 'comlink';

/** A started sandbox worker, whatever the environment (Web Worker or Node worker_thread). */
export interface WorkerHandle {
  endpoint: Endpoint;
  /** Ends the worker at once, even mid-computation. */
  terminate(): void;
  /** Called once if the worker dies on its own (crash, out of memory). */
  onExit(listener: (reason: string) => void): void;
}

/** Starts a fresh sandbox worker. */
export type SpawnWorker = () => WorkerHandle;
