/**
 * Registers the service worker (src/sw/sw.ts, built to `<base>sw.js`).
 *
 * - On a host that sends COOP/COEP itself, the page is already cross-origin isolated: the worker is
 *   registered after the page has loaded, only for offline use.
 * - On a plain static host, the first visit is not isolated: the worker is registered at once and,
 *   when it takes control (after caching the app), the page reloads once; from then on every
 *   response carries the isolation headers. A session flag stops reload loops (e.g. in an iframe
 *   whose parent is not isolated, where a reload cannot help).
 * - When a new build's worker takes over a page (an update), the page reloads once so the page and
 *   its lazily loaded chunks come from the same build (autoUpdate).
 */
import { CACHE_STATUS_MESSAGE, cacheNameForScope, type CachedFile } from '../sw/policy.ts';

const RELOAD_FLAG = 'isobox:sw-reload';

/**
 * Registers the service worker. On an already isolated page it waits for `notBefore` (Python
 * ready): on a first visit its precache would otherwise compete with Python's download and
 * start-up for the network and the cores.
 */
export function registerServiceWorker(notBefore: Promise<void> = Promise.resolve()): void {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  const container = navigator.serviceWorker;
  const isolated = globalThis.crossOriginIsolated === true;
  if (isolated) clearReloadFlag();
  const hadController = container.controller !== null;

  container.addEventListener('controllerchange', () => {
    if (!globalThis.crossOriginIsolated || hadController) reloadOnce();
  });

  if (isolated) {
    // Not urgent: let the app and Python load first (src/ui/sandbox-protection.ts registers at once when the sandbox needs it).
    const loaded = document.readyState === 'complete' ? Promise.resolve() : new Promise((resolve) => window.addEventListener('load', resolve, { once: true }));
    void Promise.all([loaded, notBefore]).then(registerServiceWorkerNow);
  } else {
    void registerServiceWorkerNow();
  }
}

let registration: Promise<boolean> | undefined;

/**
 * Registers the service worker now (once per page). Resolves to whether it registered: false on the
 * dev server, without service workers, or when the browser refused it.
 */
export function registerServiceWorkerNow(): Promise<boolean> {
  registration ??= register();
  return registration;
}

async function register(): Promise<boolean> {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return false;
  const container = navigator.serviceWorker;
  const base = import.meta.env.BASE_URL;
  try {
    const registered = await container.register(`${base}sw.js`, { scope: base, updateViaCache: 'none' });
    // Active already but not in control (a hard reload bypasses the worker): a normal reload fixes it.
    if (!globalThis.crossOriginIsolated && registered.active && !container.controller) reloadOnce();
    return true;
  } catch (error) {
    console.warn('isobox: service worker registration failed; offline use and isolation on static hosts are off', error);
    return false;
  }
}

/**
 * Whether this page is a first visit on a host without isolation headers that the service worker
 * is about to fix by reloading once: the UI can say "setting up…" instead of reporting the
 * sandbox's missing SharedArrayBuffer as an error.
 */
export function willReloadForIsolation(): boolean {
  if (import.meta.env.DEV || globalThis.crossOriginIsolated === true || !('serviceWorker' in navigator)) return false;
  // Controlled yet not isolated (an iframe whose parent is not isolated): a reload cannot help.
  if (navigator.serviceWorker.controller) return false;
  try {
    return sessionStorage.getItem(RELOAD_FLAG) === null;
  } catch {
    return false;
  }
}

/** Reloads the page, at most once per tab session until the page ends up isolated. */
function reloadOnce(): void {
  try {
    if (sessionStorage.getItem(RELOAD_FLAG) !== null) return;
    sessionStorage.setItem(RELOAD_FLAG, String(Date.now()));
  } catch {
    return; // No session storage (a sandboxed frame): a reload could loop, so don't.
  }
  window.location.reload();
}

function clearReloadFlag(): void {
  try {
    sessionStorage.removeItem(RELOAD_FLAG);
  } catch {
    // Nothing stored, nothing to clear.
  }
}

/**
 * Whether `url` (absolute, or relative to the page) is in the service worker's cache, i.e. works
 * offline — for "Ruby: not cached yet (needs network once)". Ruby's and clang's files are build
 * assets with hashed names; the UI can get the same URL the worker uses with
 * `import rubyUrl from '@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm?url'`, or use isRuntimeCached.
 * False where there is no Cache API or no service worker cache yet.
 */
export async function isCached(url: string): Promise<boolean> {
  const absolute = new URL(url, window.location.href);
  absolute.hash = '';
  const cache = await appCache();
  if (!cache) return false;
  try {
    // Keys of files without a content hash carry a revision parameter: match with the query ignored.
    return (await cache.match(absolute.href, { ignoreSearch: absolute.search === '' })) !== undefined;
  } catch {
    return false;
  }
}

/** Ruby's and clang's files in the build (hashed build assets). */
const RUNTIME_FILES: Record<'ruby' | 'clang', RegExp> = {
  ruby: /\/assets\/ruby[^/]*\.wasm$/,
  clang: /\/assets\/llvm[^/]*\.(?:wasm|tar)$/,
};

/**
 * Whether a lazily loaded runtime (Ruby; clang for C/C++) is cached, i.e. runs offline: asks the
 * service worker, which knows every file of this build. False without a service worker in control.
 */
export async function isRuntimeCached(runtime: 'ruby' | 'clang'): Promise<boolean> {
  const files = (await cacheStatus()).filter((file) => RUNTIME_FILES[runtime].test(new URL(file.url).pathname));
  return files.length > 0 && files.every((file) => file.cached);
}

/** Every file of this build and whether it is cached, from the service worker (empty if none answers). */
export function cacheStatus(): Promise<CachedFile[]> {
  const controller = typeof navigator !== 'undefined' ? navigator.serviceWorker?.controller : null;
  if (!controller) return Promise.resolve([]);
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve([]), 5000);
    channel.port1.onmessage = (event: MessageEvent<CachedFile[]>) => {
      clearTimeout(timer);
      resolve(Array.isArray(event.data) ? event.data : []);
    };
    controller.postMessage({ type: CACHE_STATUS_MESSAGE }, [channel.port2]);
  });
}

/** The service worker's cache for this app (its base path), if it exists yet. */
async function appCache(): Promise<Cache | undefined> {
  if (typeof caches === 'undefined') return undefined;
  try {
    const name = cacheNameForScope(new URL(import.meta.env.BASE_URL, window.location.href).href);
    return (await caches.has(name)) ? await caches.open(name) : undefined;
  } catch {
    return undefined;
  }
}
