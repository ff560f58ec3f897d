import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { PyodideAPI } from 'pyodide';
import { pythonJsGlobals } from '../runtimes/python-globals.ts';
import { snapshotOptions } from '../runtimes/python-snapshot.ts';
import { createWorkerApi } from './api.ts';
import { currentAudit } from './audit.ts';
import { lockdownGlobals } from './lockdown.ts';

if (!parentPort) throw new Error('entry.node.ts must run in a worker_thread');
const require = createRequire(import.meta.url);
/** node_modules/<name>, found from this file (some packages do not export package.json). */
const packageDir = (name: string): string => join(dirname(require.resolve('pyodide/package.json')), '..', name);

/**
 * In Node, Pyodide can mount host folders (`pyodide_js.mountNodeFS`, Emscripten's NODEFS): user
 * code must not. Removed once Pyodide is loaded, before any user code runs.
 */
function sealNodeFileSystem(py: PyodideAPI): void {
  const refuse = (): never => {
    throw new Error('isobox: mounting host folders is not allowed in the sandbox');
  };
  Object.defineProperty(py, 'mountNodeFS', { value: refuse, writable: false, configurable: false });
  const module = (py as unknown as { _module?: Record<string, unknown> })._module;
  const filesystems = (py.FS as unknown as { filesystems?: Record<string, unknown> }).filesystems;
  if (filesystems) delete filesystems.NODEFS;
  if (module) delete module.NODEFS;
  // Pyodide's file loader reads host paths in Node; packages are never loaded after start-up.
  const api = (py as unknown as { _api?: Record<string, unknown> })._api;
  if (api) api.loadBinaryFile = refuse;
}

Comlink.expose(
  createWorkerApi({
    loaders: {
      async loadPyodide(start) {
        const { loadPyodide } = await import('pyodide');
        const py = await loadPyodide({ indexURL: `${packageDir('pyodide')}/`, jsglobals: pythonJsGlobals(currentAudit), ...snapshotOptions(start) });
        sealNodeFileSystem(py);
        return py;
      },
      async loadRuby() {
        return WebAssembly.compile(await readFile(join(packageDir('@ruby/3.4-wasm-wasi'), 'dist', 'ruby+stdlib.wasm')));
      },
      loadClang: () => import('@yowasp/clang'),
    },
    lockdown: (allowNet) => lockdownGlobals(allowNet, undefined),
  }),
  nodeEndpoint(parentPort),
);
