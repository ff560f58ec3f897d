/**
 * Response policy shared by the service worker (src/sw/sw.ts), the dev/preview servers
 * (vite.config.ts) and the e2e tests, so the three cannot drift apart.
 */

/** Makes the page cross-origin isolated (SharedArrayBuffer for interrupts). Sent on every response. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * The sandbox worker's own Content-Security-Policy (a worker's CSP comes from its script response).
 * - `script-src 'self'`: the worker's chunks and Pyodide's `pyodide.mjs`/`pyodide.asm.mjs` (dynamic import).
 * - `'wasm-unsafe-eval'`: WebAssembly compilation (Pyodide, ruby.wasm, clang, WASI programs); no JS `eval`.
 * - `connect-src 'self'`: the runtimes fetch their own files from the app's origin; nothing else.
 * - `worker-src 'none'`: no nested workers.
 */
export const SANDBOX_WORKER_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; worker-src 'none'";

/**
 * Query parameter of the sandbox worker's script URL that widens `connect-src` for the user's
 * network allow-list: `?connect=https://a.example,https://b.example`. Only http(s)/ws(s) origins
 * are taken; anything else is ignored.
 */
export const CONNECT_PARAM = 'connect';

/** The sandbox worker's CSP for a script URL's query (see CONNECT_PARAM). */
export function sandboxWorkerCsp(search = ''): string {
  const origins = new Set<string>();
  for (const value of new URLSearchParams(search).getAll(CONNECT_PARAM).flatMap((list) => list.split(','))) {
    try {
      const url = new URL(value.trim());
      if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && url.origin !== 'null') origins.add(url.origin);
    } catch {
      // Not a URL: ignored.
    }
  }
  if (origins.size === 0) return SANDBOX_WORKER_CSP;
  return SANDBOX_WORKER_CSP.replace("connect-src 'self'", `connect-src 'self' ${[...origins].join(' ')}`);
}

/** File name prefix of the built sandbox worker chunk: `assets/isobox-sandbox-worker-<hash>.js`. */
export const SANDBOX_WORKER_NAME = 'isobox-sandbox-worker';

/**
 * Whether a URL path is the sandbox worker's script: the built chunk (any base path) or, on the dev
 * server, the worker's source module.
 */
export function isSandboxWorkerPath(pathname: string): boolean {
  return /\/assets\/isobox-sandbox-worker-[\w-]+\.js$/.test(pathname) || pathname.endsWith('/src/sandbox/worker/entry.browser.ts');
}

/**
 * Big runtime files loaded only when a language is first used: not precached, cached on first use
 * (Ruby's `vendor/ruby/*.wasm`, or `assets/ruby*.wasm` if it is ever bundled as a vite asset;
 * clang's `assets/llvm*.wasm` and `assets/llvm-resources*.tar`).
 * Matches both manifest URLs (`vendor/ruby/x.wasm`) and absolute paths (`/sub/vendor/ruby/x.wasm`).
 */
export function isLazyAsset(path: string): boolean {
  return /(?:^|\/)(?:vendor\/ruby\/[^/]+|assets\/ruby[^/]*)\.wasm$/.test(path) || /(?:^|\/)assets\/llvm[^/]*\.(?:wasm|tar)$/.test(path);
}

/** Precache entries above this size that are not lazy assets fail the build (a sign something went wrong). */
export const MAX_PRECACHED_FILE_BYTES = 16 * 1024 * 1024;

/** The service worker's cache for the app at `scope` (one per base path on an origin). */
export function cacheNameForScope(scope: string): string {
  return `isobox-${scope}`;
}

/** Query parameter of a cache key that versions a file whose URL has no content hash (never sent to a server). */
export const REVISION_PARAM = '__isobox_rev';

/** Message a page posts to the service worker (with a MessagePort) to learn what is cached. */
export const CACHE_STATUS_MESSAGE = 'isobox:cache-status';

/** One file of the build in the answer to CACHE_STATUS_MESSAGE. */
export interface CachedFile {
  url: string;
  /** Cached at install (true) or on first use (false). */
  eager: boolean;
  cached: boolean;
}

/**
 * The `_headers` file (Netlify, Cloudflare Pages) that the build writes into `dist/`: the isolation
 * headers on every file, and the sandbox worker's CSP on its script (`workerPath`, e.g.
 * `/assets/isobox-sandbox-worker-abc123.js`). docs/hosting.md shows the same rules for other hosts.
 */
export function hostHeadersFile(base: string, workerPath: string): string {
  const lines = [`${base}*`, ...Object.entries(ISOLATION_HEADERS).map(([name, value]) => `  ${name}: ${value}`), workerPath, `  Content-Security-Policy: ${SANDBOX_WORKER_CSP}`];
  return `${lines.join('\n')}\n`;
}
