// Loads the TypeScript worker entry through tsx, so Node runs the same sources the browser bundles.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';

// Pinned to the repo's tsconfig, so a tsconfig in the caller's directory cannot change how the sandbox compiles.
register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) });
await import(workerData.entry);
