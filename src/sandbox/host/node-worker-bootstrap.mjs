// Loads the TypeScript worker entry through tsx, so Node runs the same sources the browser bundles.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
