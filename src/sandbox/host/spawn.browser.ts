import type { SpawnWorker } from './spawn.ts';

/** Starts the sandbox worker as a module Web Worker, bundled by vite from its own entry. */
export const spawnBrowserWorker: SpawnWorker = () => {
  const worker = new Worker(new URL('../worker/entry.browser.ts', import.meta.url), { type: 'module', name: 'isobox-sandbox' });
  return {
    endpoint: worker,
    terminate: () => worker.terminate(),
    onExit: (listener) => worker.addEventListener('error', (event) => listener(event.message || 'the worker failed'), { once: true }),
  };
};
