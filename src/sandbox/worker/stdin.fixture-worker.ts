/**
 * Test helper (not part of the sandbox): a worker_thread that reads an interactive stdin ring
 * with TerminalReader, as a sandbox worker does, and reports each read to the test.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TerminalReader } from './stdin.ts';

const { buffer, interrupt, max } = workerData as { buffer: SharedArrayBuffer; interrupt: SharedArrayBuffer; max: number };
const flag = new Int32Array(interrupt);
const reader = new TerminalReader(buffer, flag, () => parentPort?.postMessage({ kind: 'flush' }));
for (;;) {
  const got = reader.read(max);
  if (got === 'interrupted') {
    parentPort?.postMessage({ kind: 'interrupted' });
    break;
  }
  if (got.byteLength === 0) {
    parentPort?.postMessage({ kind: 'eof' });
    break;
  }
  parentPort?.postMessage({ kind: 'data', bytes: Array.from(got) });
}
