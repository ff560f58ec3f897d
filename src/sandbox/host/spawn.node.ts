import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { SpawnWorker } from './spawn.ts';

/** Starts the sandbox worker as a Node worker_thread (its TypeScript loaded through tsx), with heap limits. */
export function spawnNodeWorker(resourceLimits: { maxOldGenerationSizeMb?: number } = { maxOldGenerationSizeMb: 1024 }): SpawnWorker {
  // Node has no CSP: without this, code in the sandbox turns any JS function it can reach into
  // `eval` (the Function constructor) and from there reaches the host. Workers created after this
  // call inherit the flag; the runtimes never generate code from strings.
  setFlagsFromString('--disallow-code-generation-from-strings');
  return () => {
    const worker = new Worker(new URL('./node-worker-bootstrap.mjs', import.meta.url), {
      workerData: { entry: new URL('../worker/entry.node.ts', import.meta.url).href },
      resourceLimits,
    });
    // Worker threads must not keep a CLI alive once the host is done with them.
    worker.unref();
    return {
      endpoint: nodeEndpoint(worker),
      terminate: () => void worker.terminate(),
      onExit: (listener) => {
        worker.once('error', (error) => listener(error.message));
        worker.once('exit', (code) => listener(`exited with code ${code}`));
      },
    };
  };
}
