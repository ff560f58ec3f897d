/**
 * 5. WASI: the same .wasm (a compute loop and a file-heavy program, built with clang-14 like
 * tests/fixtures/build-wasm.ts) under node:wasi, under Isobox's runner in Node (createWasiRunner,
 * in-process), through the Node sandbox (createNodeSandbox exec), and in the browser
 * (window.isobox.exec in the app).
 */
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WASI } from 'node:wasi';
import type { Page } from '@playwright/test';
import type { IsoboxApi } from '../lib/browser.ts';
import { sharedApp } from '../lib/pages.ts';
import { TIMING_HEAD, ms, ratio, summarize, timingRow, type Summary, type Table } from '../lib/stats.ts';
import type { BenchContext, Section, Target } from '../lib/types.ts';

type WasiModule = typeof import('../../src/sandbox/runtimes/wasi.ts');
type TreeModule = typeof import('../../src/sandbox/worker/tree.ts');
type NodeHostModule = typeof import('../../src/sandbox/host/node.ts');
type DirectoryModule = typeof import('../../src/sandbox/fs/directory.ts');
type TestIoModule = typeof import('../../src/sandbox/runtimes/test-io.ts');

interface Program {
  name: string;
  label: string;
  args: (run: number) => string[];
}

const PROGRAMS: Program[] = [
  { name: 'compute', label: 'compute loop (primes < 2,000,000)', args: () => ['2000000'] },
  { name: 'files', label: 'file-heavy (1,000 × 4 KiB files + 16 MiB, write+read)', args: (run) => ['1000', String(16 * 1024 * 1024), String(run)] },
];

/** node:wasi with the module compiled once; a fresh WASI instance per run; /workspace and . on a temp dir. */
function nodeWasi(module: WebAssembly.Module, dir: string, argv: string[]): { ms: number; stdout: string } {
  const outPath = join(dir, '..', `stdout-${process.pid}.txt`);
  const fd = openSync(outPath, 'w');
  try {
    const started = performance.now();
    const wasi = new WASI({ version: 'preview1', args: argv, env: { PWD: '/workspace' }, preopens: { '/workspace': dir, '.': dir }, returnOnExit: true, stdout: fd });
    const instance = new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports);
    const code = wasi.start(instance);
    const elapsed = performance.now() - started;
    if (code !== 0) throw new Error(`node:wasi ${argv[0]} exited ${code}`);
    return { ms: elapsed, stdout: readFileSync(outPath, 'utf8') };
  } finally {
    closeSync(fd);
  }
}

async function browserExec(page: Page, line: string): Promise<{ ms: number; stdout: string; durationMs: number }> {
  return page.evaluate(async (line) => {
    const api = (window as unknown as { isobox: IsoboxApi }).isobox;
    const started = performance.now();
    const result = await api.exec(line, { timeoutMs: 300_000 });
    const elapsed = performance.now() - started;
    if (result.status !== 'ok') throw new Error(`${line}: ${result.status} ${result.stderr}`);
    return { ms: elapsed, stdout: result.stdout, durationMs: result.durationMs };
  }, line);
}

export async function wasiSuite(ctx: BenchContext): Promise<Section> {
  const src = (path: string): string => pathToFileURL(join(ctx.srcRoot, path)).href;
  const wasiModule = (await import(src('src/sandbox/runtimes/wasi.ts'))) as WasiModule;
  const { FileTree } = (await import(src('src/sandbox/worker/tree.ts'))) as TreeModule;
  const { recordingIo } = (await import(src('src/sandbox/runtimes/test-io.ts'))) as TestIoModule;
  const { createNodeSandbox } = (await import(src('src/sandbox/host/node.ts'))) as NodeHostModule;
  const { createDirectoryWorkspace } = (await import(src('src/sandbox/fs/directory.ts'))) as DirectoryModule;
  const runner = wasiModule.createWasiRunner();
  const runs = ctx.runs(5);
  // node:wasi against the in-process runner is cheap (the file-heavy program takes ~40 ms), and one
  // collection in a 40 ms window moves a 5-run median by 20%: these pairs run 15 times.
  const pairRuns = Math.max(runs, ctx.runs(15));
  // Files on tmpfs where there is one: node:wasi then works in memory too, like the Isobox runner's
  // in-memory tree, and other processes' disk writes do not add noise.
  const root = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'isobox-bench-wasi-'));
  const tables: Table[] = [];
  const targets: Target[] = [];
  const mismatches: string[] = [];
  const runnerRatios: string[] = [];
  let worstRunner = 0;
  const splitRatios: Array<[string, number]> = [];
  let page: Page | undefined;
  try {
    page = await sharedApp(ctx);
    // The Node sandbox: a worker_thread over a directory workspace, as the CLI uses it.
    const sandboxDir = join(root, 'sandbox');
    mkdirSync(sandboxDir, { recursive: true });
    const sandbox = createNodeSandbox({ workspace: await createDirectoryWorkspace(sandboxDir) });
    for (const program of PROGRAMS) {
      const bytes = ctx.wasm[program.name];
      if (!bytes) continue;
      const file = `${program.name}.wasm`;
      const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
      const nodeDir = join(root, `node-${program.name}`);
      rmSync(nodeDir, { recursive: true, force: true });
      mkdirSync(nodeDir, { recursive: true });
      writeFileSync(join(sandboxDir, file), bytes);
      await page.evaluate(({ file, data }) => (window as unknown as { isobox: IsoboxApi }).isobox.writeFile(file, new Uint8Array(data)), { file, data: [...bytes] });
      const tree = new FileTree();
      const times = { node: [] as number[], runner: [] as number[], sandbox: [] as number[], browser: [] as number[], browserRun: [] as number[] };
      // node:wasi and the in-process runner interleaved, on their own: the sandbox and browser
      // paths below leave garbage (16 MiB results, worker messages) in this process, whose
      // collection would otherwise land inside the runner's timed window. Run 0 warms up.
      /** node:wasi's output per run, which every other path must print too. */
      const expected: string[] = [];
      for (let run = 0; run <= pairRuns; run++) {
        const args = program.args(run);
        const n = nodeWasi(module, nodeDir, [file, ...args]);
        expected[run] = n.stdout;
        const out = recordingIo({ args });
        const started = performance.now();
        const result = await runner(tree, out.io, bytes, file);
        const runnerMs = performance.now() - started;
        const printed = out.stdout() + out.stderr();
        if (result.status !== 'ok') throw new Error(`Isobox runner ${file}: ${result.status} ${printed}`);
        if (printed !== n.stdout) mismatches.push(`${file} run ${run}: Isobox runner printed ${JSON.stringify(printed)}, node:wasi ${JSON.stringify(n.stdout)}`);
        if (run === 0) continue;
        times.node.push(n.ms);
        times.runner.push(runnerMs);
      }
      // The Node sandbox and the browser, interleaved; compared with node:wasi's output above.
      for (let run = 0; run <= runs; run++) {
        const args = program.args(run);
        const want = expected[run];
        const sStarted = performance.now();
        const s = await sandbox.exec(`./${file} ${args.join(' ')}`, { timeoutMs: 300_000 });
        const sandboxMs = performance.now() - sStarted;
        if (s.status !== 'ok') throw new Error(`Node sandbox ${file}: ${s.status} ${s.stderr}`);
        const b = await browserExec(page, `./${file} ${args.join(' ')}`);
        for (const [where, text] of [['Node sandbox', s.stdout], ['browser', b.stdout]] as const) {
          if (text !== want) mismatches.push(`${file} run ${run}: ${where} printed ${JSON.stringify(text)}, node:wasi ${JSON.stringify(want)}`);
        }
        if (run === 0) continue;
        times.sandbox.push(sandboxMs);
        times.browser.push(b.ms);
        times.browserRun.push(b.durationMs);
      }
      const s: Record<keyof typeof times, Summary> = {
        node: summarize(times.node),
        runner: summarize(times.runner),
        sandbox: summarize(times.sandbox),
        browser: summarize(times.browser),
        browserRun: summarize(times.browserRun),
      };
      const head = [...TIMING_HEAD];
      head[5] = 'vs node:wasi';
      tables.push({
        title: `5. WASI: ${program.label}`,
        head: [...head, 'vs Isobox runner (Node)'],
        rows: [
          [...timingRow(`node:wasi (module compiled once, fresh instance per run, files in ${root.startsWith('/dev/shm') ? 'tmpfs' : 'a temp dir'})`, s.node), ''],
          [...timingRow('Isobox runner in Node (createWasiRunner, in-process)', s.runner, s.node), ''],
          [...timingRow('Isobox Node sandbox (createNodeSandbox exec, worker_thread)', s.sandbox, s.node), ratio(s.sandbox.median / s.runner.median)],
          [...timingRow('browser: window.isobox.exec (Chromium, OPFS workspace)', s.browser, s.node), ratio(s.browser.median / s.runner.median)],
        ],
        notes: [
          `browser: the run's own durationMs (host side, without the page's file-tree refresh) median ${ms(s.browserRun.median)}; ${ms(s.browser.median - s.runner.median)} more than the runner in Node${program.name === 'files' ? ': mostly saving the 1,000 files and the 16 MiB file the run wrote to OPFS after it (section 4)' : ''}.`,
        ],
      });
      const r = s.runner.median / s.node.median;
      worstRunner = Math.max(worstRunner, r);
      runnerRatios.push(`${program.name} ${ratio(r)}`);
      ctx.log(`  ${program.name}: node:wasi ${ms(s.node.median)}, runner ${ms(s.runner.median)}, node sandbox ${ms(s.sandbox.median)}, browser ${ms(s.browser.median)}`);
    }
    await sandbox.dispose();

    // Which part of the file-heavy program costs what: small files only, and the big file only.
    const files = ctx.wasm.files;
    if (files) {
      const module = new WebAssembly.Module(files as Uint8Array<ArrayBuffer>);
      const rows: string[][] = [];
      for (const [label, args] of [
        ['1,000 × 4 KiB files only', ['1000', '0']],
        ['one 16 MiB file only (64 KiB writes)', ['0', String(16 * 1024 * 1024)]],
      ] as const) {
        const nodeDir = join(root, `split-${args[0]}`);
        mkdirSync(nodeDir, { recursive: true });
        const tree = new FileTree();
        const node: number[] = [];
        const isobox: number[] = [];
        for (let run = 0; run <= pairRuns; run++) {
          const argv = [...args, String(run)];
          const n = nodeWasi(module, nodeDir, ['files.wasm', ...argv]);
          const started = performance.now();
          await runner(tree, recordingIo({ args: argv }).io, files, 'files.wasm');
          if (run === 0) continue;
          isobox.push(performance.now() - started);
          node.push(n.ms);
        }
        const sn = summarize(node);
        const si = summarize(isobox);
        splitRatios.push([label, si.median / sn.median]);
        rows.push(timingRow(`${label}: node:wasi`, sn).slice(0, 5).concat(['']), timingRow(`${label}: Isobox runner`, si, sn));
      }
      const head = [...TIMING_HEAD];
      head[5] = 'vs node:wasi';
      tables.push({ title: '5b. The file-heavy program split in two (Node, node:wasi vs Isobox runner)', head, rows });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
    if (page) await page.evaluate(() => (window as unknown as { isobox: IsoboxApi }).isobox.exec('rm -r -f bench-files compute.wasm files.wasm')).catch(() => undefined);
  }
  const why: string[] = [];
  if (worstRunner > 1.2) {
    why.push(
      `Split (table 5b): ${splitRatios.map(([label, r]) => `${label} ${ratio(r)}`).join('; ')}.`,
      'The runner keeps files in an in-memory tree (runtimes/wasi-fs.ts) and node:wasi writes to tmpfs; a ratio above 1.2× in only one part points at that part\'s path through wasi-fs.ts.',
    );
  }
  targets.push({
    name: 'WASI vs node:wasi',
    goal: '≤ 1.2× node:wasi',
    measured: `Isobox runner in Node: ${runnerRatios.join(', ')}`,
    met: worstRunner <= 1.2,
    why,
    suggest: [
      'src/sandbox/runtimes/wasi-fs.ts: fd_write to a workspace file copies guest memory twice (into a fresh array, then into the file). Writing straight from a view of guest memory saves a copy, but that change made the bench\'s Node process segfault in this section (reverted in b5d5f00), so it needs a closer look first.',
    ],
  });
  const notes = mismatches.length ? [`Output mismatches: ${mismatches.slice(0, 3).join('; ')}`] : ['All runs printed the same output under every runner.'];
  return { id: 5, title: 'WASI', tables, targets, notes };
}
