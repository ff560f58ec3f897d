/// <reference lib="webworker" />
import rubyUrl from '@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm?url';
import * as Comlink from 'comlink';
import type { PyodideAPI } from 'pyodide';
import { pythonJsGlobals } from '../runtimes/python-globals.ts';
import { snapshotOptions } from '../runtimes/python-snapshot.ts';
import { createWorkerApi } from './api.ts';
import { currentAudit } from './audit.ts';
import { lockdownGlobals } from './lockdown.ts';

/** Where the app serves its own copy of Pyodide (copied from node_modules at build time). */
const pyodideBase = new URL(`${import.meta.env.BASE_URL}vendor/pyodide/`, self.location.href).href;

/**
 * Pyodide's loader, requested as the worker starts: every worker of the app warms Python, and the
 * request then overlaps with reading the start-up snapshot.
 */
const pyodideModule = import(/* @vite-ignore */ `${pyodideBase}pyodide.mjs`) as Promise<typeof import('pyodide')>;
pyodideModule.catch(() => undefined);

/**
 * Fails closed when the worker's own CSP is missing (a plain static host before the service worker
 * took over, or with service workers blocked): without it, code could compile JavaScript from
 * strings and reach the network around the removed globals.
 */
function requireWorkerCsp(): void {
  if (canCompileStrings()) {
    throw new Error(
      "the sandbox is not protected on this page: its worker script came without a Content-Security-Policy and no service worker could add one, so it will not run code. The host must send the sandbox worker's Content-Security-Policy header for assets/isobox-sandbox-worker-*.js (the build writes it into dist/_headers; docs/hosting.md has the nginx, Caddy and Vercel recipes), or this browser must allow service workers.",
    );
  }
}

function canCompileStrings(): boolean {
  try {
    return typeof new Function('return 1') === 'function';
  } catch {
    return false;
  }
}

Comlink.expose(
  createWorkerApi({
    loaders: {
      async loadPyodide(start): Promise<PyodideAPI> {
        const module = await pyodideModule;
        return module.loadPyodide({ indexURL: pyodideBase, jsglobals: pythonJsGlobals(currentAudit), checkAPIVersion: true, ...snapshotOptions(start) });
      },
      // Streaming compilation from a stable URL lets the browser cache the compiled module.
      loadRuby: () => WebAssembly.compileStreaming(fetch(rubyUrl)),
      loadClang: () => import('@yowasp/clang'),
    },
    lockdown: (allowNet) => {
      requireWorkerCsp();
      lockdownGlobals(allowNet, self.location.origin);
    },
  }),
);
