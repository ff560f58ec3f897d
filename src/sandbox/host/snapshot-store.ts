import type { SnapshotStore } from '../protocol.ts';

/** Keeps the Python start-up snapshot in this process's memory (Node: every sandbox of the process). */
export function memorySnapshotStore(): SnapshotStore {
  let kept: Uint8Array | undefined;
  return {
    // A copy per load: each worker receives its own (transferred) bytes.
    load: async () => kept?.slice(),
    save: async (snapshot) => {
      kept = snapshot;
    },
    discard: async () => {
      kept = undefined;
    },
  };
}

/**
 * Keeps the Python start-up snapshot in Cache Storage under `key` (an http(s) URL of this app), so
 * the next visit starts Python from it. A build of Pyodide refuses another build's snapshot; the
 * runtime then discards it and saves a new one.
 */
export function cacheStorageSnapshotStore(key: string, cacheName = 'isobox-python-snapshot'): SnapshotStore {
  const open = (): Promise<Cache> => caches.open(cacheName);
  return {
    async load() {
      if (typeof caches === 'undefined') return undefined;
      const hit = await (await open()).match(key);
      return hit ? new Uint8Array(await hit.arrayBuffer()) : undefined;
    },
    async save(snapshot) {
      if (typeof caches === 'undefined') return;
      // Snapshots arrive over postMessage, so never backed by a SharedArrayBuffer.
      await (await open()).put(key, new Response(snapshot as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': 'application/octet-stream' } }));
    },
    async discard() {
      if (typeof caches === 'undefined') return;
      await (await open()).delete(key);
    },
  };
}
