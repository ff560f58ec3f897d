/// <reference lib="webworker" />
/**
 * Isobox's service worker.
 *
 * 1. Offline after one visit: the app shell, Monaco and the Pyodide core are cached at install
 *    (the list is injected at build time by vite-plugin-pwa/workbox-build as `self.__WB_MANIFEST`);
 *    navigations to the app are answered with the cached index.html, so it opens with the network cut.
 * 2. Ruby's and clang's big files are not fetched at install: they are cached on first use
 *    (cache-first) and work offline afterwards.
 * 3. Cross-origin isolation on any static host: every same-origin response it serves, from the
 *    cache or the network, carries COOP/COEP/CORP (the coi-serviceworker technique;
 *    src/ui/register-sw.ts reloads the page once when this worker first takes control).
 * 4. The sandbox worker's script gets its own Content-Security-Policy header, offline too.
 *
 * One cache per scope. Its keys are the file URLs, plus `?__isobox_rev=<revision>` for files whose
 * name carries no content hash (index.html, vendor/…), so a new build replaces exactly the files
 * that changed; entries no build lists any more are deleted when a new worker activates.
 */
import { CACHE_STATUS_MESSAGE, ISOLATION_HEADERS, REVISION_PARAM, cacheNameForScope, isLazyAsset, isSandboxWorkerPath, sandboxWorkerCsp, type CachedFile } from './policy.ts';

interface ManifestEntry {
  url: string;
  revision?: string | null;
}

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<ManifestEntry | string> };

const scope = self.registration.scope;
const cacheName = cacheNameForScope(scope);
const indexUrl = new URL('index.html', scope).href;

interface Entry {
  /** Absolute URL of the file. */
  url: string;
  /** Where it is stored in the cache. */
  key: string;
  /** Fetched at install (true) or on first use (false). */
  eager: boolean;
  /** The URL has no content hash: fetch past the HTTP cache. */
  revisioned: boolean;
}

/** Every file this build knows, by absolute URL. */
const entries = new Map<string, Entry>();
for (const item of self.__WB_MANIFEST) {
  const relative = typeof item === 'string' ? item : item.url;
  const revision = typeof item === 'string' ? null : (item.revision ?? null);
  const url = new URL(relative, scope).href;
  const key = new URL(url);
  if (revision) key.searchParams.set(REVISION_PARAM, revision);
  entries.set(url, { url, key: key.href, eager: !isLazyAsset(relative), revisioned: revision !== null });
}

self.addEventListener('install', (event) => {
  void self.skipWaiting();
  event.waitUntil(precache());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      await dropOtherBuilds();
      await self.clients.claim();
    })(),
  );
});

/** The page asks which files of this build are cached (src/ui/register-sw.ts, isRuntimeCached). */
self.addEventListener('message', (event) => {
  const data: unknown = event.data;
  if (typeof data !== 'object' || data === null || (data as { type?: unknown }).type !== CACHE_STATUS_MESSAGE) return;
  const port = event.ports[0];
  if (!port) return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName);
      const files: CachedFile[] = await Promise.all([...entries.values()].map(async (entry) => ({ url: entry.url, eager: entry.eager, cached: (await cache.match(entry.key)) !== undefined })));
      port.postMessage(files);
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // Other origins go straight to the network: this worker adds headers only to the app's own files.
  if (url.origin !== self.location.origin) return;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(respond(event, url).then((response) => withPolicyHeaders(response, url)));
});

/**
 * Caches the eager files, four at a time, skipping those an earlier build already stored under the
 * same key. A file that fails is logged, not fatal: isolation (the headers) matters more than
 * offline, and a missing file is cached when it is first used.
 */
async function precache(): Promise<void> {
  const cache = await caches.open(cacheName);
  const queue = [...entries.values()].filter((entry) => entry.eager);
  const failed: string[] = [];
  const next = async (): Promise<void> => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      if (await cache.match(entry.key)) continue;
      try {
        const response = await fetch(entry.url, { cache: entry.revisioned ? 'reload' : 'default', credentials: 'same-origin' });
        if (!cacheable(response)) throw new Error(`HTTP ${response.status}`);
        await cache.put(entry.key, await unredirected(response));
      } catch (error) {
        failed.push(`${entry.url} (${String(error)})`);
      }
    }
  };
  await Promise.all([next(), next(), next(), next()]);
  if (failed.length > 0) console.warn(`isobox sw: ${failed.length} file(s) not cached yet, cached on first use:\n${failed.join('\n')}`);
}

/** Deletes cached files of other builds (old hashed chunks, an older ruby.wasm) once this build is active. */
async function dropOtherBuilds(): Promise<void> {
  const cache = await caches.open(cacheName);
  const keep = new Set([...entries.values()].map((entry) => entry.key));
  for (const request of await cache.keys()) {
    if (!keep.has(request.url)) await cache.delete(request);
  }
}

async function respond(event: FetchEvent, url: URL): Promise<Response> {
  const { request } = event;
  if (request.mode === 'navigate') return navigate(event, url);
  // The sandbox worker's script may carry its allow-list in the query (CONNECT_PARAM): same file.
  const file = isSandboxWorkerPath(url.pathname) ? url.href.split('?')[0] : url.search === '' ? url.href : undefined;
  const entry = file === undefined ? undefined : entries.get(file);
  if (entry) return cacheFirst(event, entry);
  return fetch(request);
}

/** The app is one page: its URLs get the cached shell; other pages the network, else the shell. */
async function navigate(event: FetchEvent, url: URL): Promise<Response> {
  const path = url.href.split(/[?#]/)[0];
  const shell = entries.get(indexUrl);
  if (shell && (path === scope || path === indexUrl)) return cacheFirst(event, shell);
  try {
    return await fetch(event.request);
  } catch (error) {
    const cached = shell ? await caches.match(shell.key, { cacheName }) : undefined;
    if (cached) return cached;
    throw error;
  }
}

/** From the cache; else from the network, storing a good response for next time (offline). */
async function cacheFirst(event: FetchEvent, entry: Entry): Promise<Response> {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(entry.key);
  if (cached) return cached;
  const response = await fetch(entry.url, { cache: entry.revisioned ? 'no-cache' : 'default', credentials: 'same-origin' });
  if (cacheable(response)) {
    // Stored while the page reads the other copy; the event keeps this worker alive until it is written.
    const copy = response.clone();
    event.waitUntil(
      unredirected(copy)
        .then((stored) => cache.put(entry.key, stored))
        .catch((error: unknown) => console.warn('isobox sw: could not cache', entry.url, error)),
    );
  }
  return response;
}

function cacheable(response: Response): boolean {
  return response.status === 200 && response.type === 'basic';
}

/** A redirected response cannot answer a navigation: store a copy without the redirect flag. */
async function unredirected(response: Response): Promise<Response> {
  if (!response.redirected) return response;
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers: response.headers });
}

const contentTypes: Record<string, string> = { '.wasm': 'application/wasm', '.mjs': 'text/javascript', '.js': 'text/javascript' };

/** Copies a response with the isolation headers (and the sandbox worker's CSP) added. */
function withPolicyHeaders(response: Response, url: URL): Response {
  // Redirects of navigations and network errors pass through untouched (their headers are not readable).
  if (response.type === 'opaqueredirect' || response.type === 'error' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  if (isSandboxWorkerPath(url.pathname)) headers.set('Content-Security-Policy', sandboxWorkerCsp(url.search));
  // Some static hosts serve .wasm/.mjs as octet-stream; module scripts and streaming compile need the right type.
  const extension = /\.[a-z]+$/.exec(url.pathname)?.[0];
  const type = headers.get('Content-Type');
  if (extension && contentTypes[extension] && (!type || type.startsWith('application/octet-stream'))) headers.set('Content-Type', contentTypes[extension]);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
