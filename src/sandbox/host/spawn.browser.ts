import workerUrl from '../worker/entry.browser.ts?worker&url';
import type { SpawnWorker } from './spawn.ts';

/**
 * Starts the sandbox worker as a module Web Worker. The worker script gets its own CSP from the
 * service worker (or the preview server); `?connect=` widens its `connect-src` to the user's
 * network allow-list, which the worker's fetch guard enforces too.
 */
export function browserWorkerSpawner(allowNet: string[] = []): SpawnWorker {
  const url = new URL(sandboxWorkerScriptUrl());
  const origins = allowNet.filter((origin) => origin !== '*');
  if (origins.length > 0) url.searchParams.set('connect', origins.join(','));
  return () => {
    const worker = new Worker(url, { type: 'module', name: 'isobox-sandbox' });
    return {
      endpoint: worker,
      terminate: () => worker.terminate(),
      onExit: (listener) => worker.addEventListener('error', (event) => listener(event.message || 'the worker failed'), { once: true }),
    };
  };
}

/** The sandbox worker's script URL (absolute, without the allow-list query). */
export function sandboxWorkerScriptUrl(): string {
  return new URL(workerUrl, import.meta.url).href;
}
