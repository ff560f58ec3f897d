/**
 * Import of a cached package (issue 16): a Python run that imports a pure-Python package already
 * allowed and kept in the package store (the host hands the verified wheel to the run's worker,
 * which installs it before the program starts), against the same program without the import.
 * Interleaved, median of ROUNDS, through the Node sandbox as the CLI sets it up (a start-up snapshot,
 * a spare worker); the index is a local server built here.
 * Usage: npx tsx bench/packages.ts [ROUNDS]   (prints a Markdown line for bench/results.md)
 */
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryWorkspace } from '../src/sandbox/fs/memory.ts';
import { createNodeSandbox } from '../src/sandbox/host/node.ts';
import { fileSnapshotStore } from '../src/sandbox/host/snapshot-store.node.ts';
import { createPackageProvider, type PackageProvider } from '../src/sandbox/packages/provider.ts';
import type { PackageStore } from '../src/sandbox/packages/store.ts';
import { buildTinyWheel, lockWith, startFakeIndex } from '../tests/helpers/package-index.ts';

const ROUNDS = Number(process.argv[2] ?? 9);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const wheel = buildTinyWheel('isobox_bench', '1.0.0');
  const index = await startFakeIndex({ 'pyodide-lock.json': lockWith([wheel]), [wheel.fileName]: wheel.bytes });
  const kept = new Map<string, Uint8Array>();
  const store: PackageStore = { get: (key) => Promise.resolve(kept.get(key)), put: (key, bytes) => Promise.resolve(void kept.set(key, bytes)) };
  const inner = createPackageProvider({ index: index.url, store, ask: () => Promise.resolve('allow'), hint: () => '' });
  let handedOver = 0;
  const packages: PackageProvider = {
    index: inner.index,
    async provide(need, signal) {
      const delivery = await inner.provide(need, signal);
      handedOver += delivery.wheels.length;
      return delivery;
    },
  };
  const sb = createNodeSandbox({ workspace: createMemoryWorkspace({}), limits: { timeoutMs: 120_000 }, keepSpare: true, packages, snapshots: fileSnapshotStore(join(tmpdir(), 'isobox-bench-packages')) });
  await sb.warmup('python');
  const plain = { language: 'python' as const, code: 'print("hello")\n', filename: 'main.py' };
  const withImport = { language: 'python' as const, code: 'import isobox_bench\nprint(isobox_bench.GREETING)\n', filename: 'main.py' };
  // First import: downloads and keeps the wheel (not timed).
  const first = await sb.run(withImport);
  if (first.exitCode !== 0) throw new Error(`first run failed: ${first.stderr}`);
  const hitsAfterFirst = index.hits.length;
  const load = loadavg();
  const times = { plain: [] as number[], cached: [] as number[] };
  handedOver = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [key, job] of [['plain', plain], ['cached', withImport]] as const) {
      const start = performance.now();
      const result = await sb.run(job);
      times[key].push(performance.now() - start);
      if (result.exitCode !== 0) throw new Error(`${key}: ${result.stderr}`);
    }
  }
  await sb.dispose();
  await index.close();
  const p = median(times.plain);
  const c = median(times.cached);
  const lockReads = index.hits.length - hitsAfterFirst;
  console.log(`| import of a cached package (Node sandbox, ${ROUNDS} runs each, interleaved; wheel handed to the worker in ${handedOver} of ${ROUNDS} runs, ${lockReads} requests to the index after the first run) | plain run ${p.toFixed(1)} ms, with the import ${c.toFixed(1)} ms | ${(c / p).toFixed(2)}× | ${cpus().length} cores, load ${load.map((l) => l.toFixed(1)).join(' / ')} |`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
