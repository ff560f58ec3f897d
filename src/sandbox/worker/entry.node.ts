import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { pythonJsGlobals } from '../runtimes/python-globals.ts';
import { createWorkerApi } from './api.ts';
import { currentAudit } from './audit.ts';
import { lockdownGlobals } from './lockdown.ts';

if (!parentPort) throw new Error('entry.node.ts must run in a worker_thread');
const require = createRequire(import.meta.url);
/** node_modules/<name>, found from this file (some packages do not export package.json). */
const packageDir = (name: string): string => join(dirname(require.resolve('pyodide/package.json')), '..', name);

Comlink.expose(
  createWorkerApi({
    loaders: {
      async loadPyodide() {
        const { loadPyodide } = await import('pyodide');
        return loadPyodide({ indexURL: `${packageDir('pyodide')}/`, jsglobals: pythonJsGlobals(currentAudit) });
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
