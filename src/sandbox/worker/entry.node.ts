import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { createWorkerApi } from './api.ts';
import { lockdownGlobals } from './lockdown.ts';

if (!parentPort) throw new Error('entry.node.ts must run in a worker_thread');
const require = createRequire(import.meta.url);

Comlink.expose(
  createWorkerApi({
    loaders: {
      async loadPyodide() {
        const { loadPyodide } = await import('pyodide');
        const indexURL = `${dirname(require.resolve('pyodide/package.json'))}/`;
        return loadPyodide({ indexURL, jsglobals: {} });
      },
    },
    lockdown: (allowNet) => lockdownGlobals(allowNet, undefined),
  }),
  nodeEndpoint(parentPort),
);
