import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Connect, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { ISOLATION_HEADERS, MAX_PRECACHED_FILE_BYTES, SANDBOX_WORKER_NAME, hostHeadersFile, isLazyAsset, isSandboxWorkerPath, sandboxWorkerCsp } from './src/sw/policy.ts';

/** Cross-origin isolation (SharedArrayBuffer for interrupts) on the dev and preview servers. */
const isolationHeaders = { ...ISOLATION_HEADERS };

/**
 * The sandbox worker's own CSP on the dev and preview servers, as the service worker adds it on any
 * static host (src/sw/sw.ts): the policy holds with and without the service worker.
 */
function sandboxWorkerCspHeader(): Plugin {
  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    const url = new URL(req.originalUrl ?? req.url ?? '/', 'http://localhost');
    if (isSandboxWorkerPath(url.pathname)) res.setHeader('Content-Security-Policy', sandboxWorkerCsp(url.search));
    next();
  };
  return {
    name: 'isobox:sandbox-worker-csp',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

/**
 * Writes `dist/_headers` (Netlify, Cloudflare Pages): the isolation headers everywhere and the sandbox
 * worker's CSP on its script, so such deploys protect the sandbox from the first request, no editing.
 */
function hostHeaders(): Plugin {
  let outDir = 'dist';
  let base = '/';
  return {
    name: 'isobox:host-headers',
    apply: 'build',
    configResolved: (config) => {
      outDir = config.build.outDir;
      base = config.base;
    },
    closeBundle: () => {
      const worker = readdirSync(join(outDir, 'assets')).find((name) => name.startsWith(`${SANDBOX_WORKER_NAME}-`) && name.endsWith('.js'));
      if (!worker) throw new Error(`isobox: no ${SANDBOX_WORKER_NAME}-*.js in ${outDir}/assets: cannot write _headers`);
      writeFileSync(join(outDir, '_headers'), hostHeadersFile(base, `${base}assets/${worker}`));
    },
  };
}

export default defineConfig({
  base: process.env.ISOBOX_BASE ?? '/',
  plugins: [
    react(),
    sandboxWorkerCspHeader(),
    hostHeaders(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      // src/ui/register-sw.ts registers it (isolation reload, update reload).
      injectRegister: false,
      registerType: 'autoUpdate',
      manifest: {
        name: 'Isobox',
        short_name: 'Isobox',
        description: 'An AI agent writes code, a WebAssembly sandbox runs it, in this tab.',
        display: 'standalone',
        theme_color: '#16181d',
        background_color: '#16181d',
        icons: [
          { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        // A classic script (no imports left after bundling): registers everywhere.
        rollupFormat: 'iife',
        // The app shell, Monaco, the sandbox worker and the Pyodide core are cached at install. Ruby's
        // and clang's big files are listed too (for their revisions) but the service worker caches
        // them only on first use (isLazyAsset in src/sw/policy.ts).
        globPatterns: ['**/*.{html,js,mjs,css,ttf,woff2,svg,png,webmanifest,json,zip,wasm,tar}'],
        // Big enough for clang's 75 MB core; the transform below keeps big eager files out.
        maximumFileSizeToCacheInBytes: 256 * 1024 * 1024,
        manifestTransforms: [
          (entries) => {
            const tooBig = entries.filter((entry) => entry.size > MAX_PRECACHED_FILE_BYTES && !isLazyAsset(entry.url));
            return {
              manifest: entries.filter((entry) => !tooBig.includes(entry)),
              // Mentioning maximumFileSizeToCacheInBytes makes vite-plugin-pwa fail the build on these.
              warnings: tooBig.map((entry) => `${entry.url} is ${entry.size} bytes, over MAX_PRECACHED_FILE_BYTES (src/sw/policy.ts; not maximumFileSizeToCacheInBytes): cache it on first use through isLazyAsset, or raise the limit`),
            };
          },
        ],
      },
    }),
  ],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: {
    format: 'es',
    rolldownOptions: {
      output: {
        // A stable name for the sandbox worker's script, which gets its own CSP (src/sw/policy.ts).
        entryFileNames: (chunk) => (chunk.facadeModuleId?.endsWith('/src/sandbox/worker/entry.browser.ts') ? `assets/${SANDBOX_WORKER_NAME}-[hash].js` : 'assets/[name]-[hash].js'),
      },
    },
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
    assetsInlineLimit: 0,
  },
  optimizeDeps: { exclude: ['pyodide', '@yowasp/clang', '@ruby/wasm-wasi'] },
});
