/** Where verified wheels and the last lock file are kept, so packages load again offline. */
export interface PackageStore {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, bytes: Uint8Array): Promise<void>;
}

/** A store that keeps nothing (tests, or a caller that wants no cache). */
export const NO_STORE: PackageStore = {
  get: () => Promise.resolve(undefined),
  put: () => Promise.resolve(),
};

/** The key of a wheel: its file name and hash, so a changed file is never taken for the old one. */
export function wheelKey(fileName: string, sha256: string): string {
  return `wheel/${sha256}/${fileName.slice(fileName.lastIndexOf('/') + 1)}`;
}

/** The key of an index's lock file (the newest one seen, for offline use). */
export function lockKey(index: string): string {
  return `lock/${encodeURIComponent(index)}`;
}

/** Keeps files in Cache Storage (browser main thread or worker); `name` is the cache's name. */
export function cacheStoragePackageStore(name: string, base: string): PackageStore {
  const url = (key: string): string => new URL(key, base).href;
  return {
    async get(key) {
      const response = await (await caches.open(name)).match(url(key));
      return response ? new Uint8Array(await response.arrayBuffer()) : undefined;
    },
    async put(key, bytes) {
      await (await caches.open(name)).put(url(key), new Response(bytes as Uint8Array<ArrayBuffer>));
    },
  };
}
