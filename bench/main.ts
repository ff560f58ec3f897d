/**
 * `npm run bench`: Isobox against bare baselines (issue 9). Builds the app (a snapshot of HEAD by
 * default), serves it and the bare pages from one local server with the same headers, drives
 * Debian's Chromium through Playwright, prints tables and writes bench/results.md.
 *
 * Options: --only=1,2,4 (sections; 2 covers 2 and 3)  --runs=N (every benchmark N times)
 *          --quick (--runs=1)  --worktree (build the working tree, not HEAD)  --dist=DIR (no build)
 *          --out=FILE (default bench/results.md)  --no-write
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from '@playwright/test';
import { launch } from './lib/browser.ts';
import { startServer, type ServerPolicy } from './lib/server.ts';
import { markdownTable, textTable } from './lib/stats.ts';
import type { BenchContext, Section } from './lib/types.ts';
import { chatSuite } from './suites/chat.ts';
import { initialSuite } from './suites/initial.ts';
import { runSuite } from './suites/run.ts';
import { startupSuite } from './suites/startup.ts';
import { terminalSuite } from './suites/terminal.ts';
import { toolchainSuite } from './suites/toolchains.ts';
import { wasiSuite } from './suites/wasi.ts';
import { workspaceSuite } from './suites/workspace.ts';

const run = promisify(execFile);
const BENCH = import.meta.dirname;
const REPO = resolve(BENCH, '..');

interface Options {
  only?: Set<number>;
  runs?: number;
  worktree: boolean;
  dist?: string;
  out: string;
  write: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { worktree: false, out: join(BENCH, 'results.md'), write: true };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=') as [string, string | undefined];
    if (key === 'only' && value) options.only = new Set(value.split(',').map(Number));
    else if (key === 'runs' && value) options.runs = Math.max(1, Number(value));
    else if (key === 'quick') options.runs = 1;
    else if (key === 'worktree') options.worktree = true;
    else if (key === 'dist' && value) options.dist = resolve(value);
    else if (key === 'out' && value) options.out = resolve(value);
    else if (key === 'no-write') options.write = false;
    else throw new Error(`unknown option ${arg} (see bench/main.ts)`);
  }
  return options;
}

const started = Date.now();
function log(message: string): void {
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);
}

function git(...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/** Builds the app into a temp dir: from a snapshot of HEAD (git archive), or the working tree. */
async function buildApp(worktree: boolean, work: string): Promise<{ srcRoot: string; dist: string }> {
  let srcRoot = REPO;
  if (!worktree) {
    srcRoot = join(work, 'src');
    mkdirSync(srcRoot, { recursive: true });
    execFileSync('sh', ['-c', `git archive HEAD | tar -x -C '${srcRoot}'`], { cwd: REPO });
    symlinkSync(join(REPO, 'node_modules'), join(srcRoot, 'node_modules'));
  }
  const dist = join(work, 'dist');
  await run('node', ['scripts/copy-vendor.mjs'], { cwd: srcRoot });
  await run(join(REPO, 'node_modules', '.bin', 'vite'), ['build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'], { cwd: srcRoot, maxBuffer: 64 * 1024 * 1024 });
  return { srcRoot, dist };
}

/**
 * Compiles bench/wasm/*.c, and the compute loop the tests use too (tests/fixtures/wasm/compute.c),
 * to WASI with clang-14, the way tests/fixtures/build-wasm.ts does.
 */
async function buildWasm(out: string): Promise<Record<string, Uint8Array>> {
  const cc = process.env.WASI_CC ?? 'clang-14';
  const wasm: Record<string, Uint8Array> = {};
  const sources = [
    ...readdirSync(join(BENCH, 'wasm'))
      .filter((f) => f.endsWith('.c') && f !== 'hello.c') // hello.c is compiled in the browser by suite 6
      .map((f) => join(BENCH, 'wasm', f)),
    join(REPO, 'tests', 'fixtures', 'wasm', 'compute.c'),
  ];
  for (const source of sources) {
    const name = basename(source, '.c');
    const target = join(out, `${name}.wasm`);
    await run(cc, ['--target=wasm32-wasi', '-O2', '-fuse-ld=lld', source, '-o', target]);
    wasm[name] = new Uint8Array(readFileSync(target));
  }
  return wasm;
}

function machine(browserVersion: string, loadStart: number[], loadEnd: number[]): string[] {
  const cpu = cpus();
  const cores = cpu.length;
  const loaded = Math.max(loadStart[0] ?? 0, loadEnd[0] ?? 0) > cores * 0.75;
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cores} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} GiB free at the end)`,
    `- Node ${process.version}, Chromium ${browserVersion} (/usr/bin/chromium, headless, --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking)`,
    `- Load average (1/5/15 min) at start: ${loadStart.map((l) => l.toFixed(1)).join(' / ')}, at end: ${loadEnd.map((l) => l.toFixed(1)).join(' / ')}` +
      (loaded ? ` — **the machine was loaded** (other sessions were running tests): absolute times are inflated and noisy; compare the ratios, which are measured side by side in the same run.` : ''),
  ];
}

function report(sections: Section[], header: string[], skipped: string[]): string {
  const out: string[] = ['# Isobox benchmarks', '', 'Generated by `npm run bench` (bench/main.ts); issue 9. Each benchmark runs Isobox and its bare baseline interleaved in the same run and browser.', '', ...header, ''];
  out.push('## Targets', '', '| target | goal | measured (median) | result |', '| --- | --- | --- | --- |');
  for (const section of sections) {
    for (const t of section.targets) out.push(`| ${t.name} | ${t.goal} | ${t.measured.replace(/\|/g, '\\|')} | ${t.met === undefined ? 'not measured' : t.met ? '**met**' : '**missed**'} |`);
  }
  const missed = sections.flatMap((s) => s.targets.filter((t) => t.met === false || (t.why?.length ?? 0) > 0));
  if (missed.length) {
    out.push('', '## Why targets were missed (from this run\'s measurements)', '');
    for (const t of missed) {
      out.push(`### ${t.name} — ${t.met ? 'met' : 'missed'}: ${t.measured}`, '');
      for (const w of t.why ?? []) out.push(`- ${w}`);
      if (!t.met && t.suggest?.length) {
        out.push('', 'What would meet it:', '');
        for (const w of t.suggest) out.push(`- ${w}`);
      }
      out.push('');
    }
  }
  out.push('', '## Results', '');
  for (const section of sections) {
    out.push(`### ${section.id}. ${section.title}${section.seconds ? ` (${section.seconds.toFixed(0)} s)` : ''}`, '');
    if (section.skipped) out.push(`Skipped: ${section.skipped}`, '');
    for (const table of section.tables) {
      out.push(`**${table.title}**`, '', markdownTable(table), '');
      for (const note of table.notes ?? []) out.push(`- ${note}`);
      if (table.notes?.length) out.push('');
    }
    for (const note of section.notes) out.push(`- ${note}`);
    if (section.notes.length) out.push('');
  }
  if (skipped.length) out.push('## Not measured', '', ...skipped.map((s) => `- ${s}`), '');
  out.push(
    '## Method',
    '',
    '- The app is built with `vite build` (from a `git archive` snapshot of the commit above unless `--worktree`) and served, with the bare baseline pages (bench/baseline/), by one local static server (bench/lib/server.ts) that answers like `vite preview`: ETag + `Cache-Control: no-cache`, no compression, COOP/COEP/CORP on every response, the sandbox worker\'s CSP.',
    '- Bare baseline: bench/baseline/bare.html starts a plain module worker that imports `/vendor/pyodide/pyodide.mjs` (the app\'s own copy) and calls `loadPyodide`; it answers `runPython` requests with batched stdout, and runs the raw OPFS sync-access-handle file benchmarks.',
    '- First visit: a fresh browser context (empty HTTP cache, OPFS, service worker). Second visit: reload in the same context once the first visit settled. Times are `performance.now()` in the page (ms since navigation start) when runtime-status first shows "Python … ready" (bare: when the worker reports loadPyodide resolved).',
    '- Run round trip: Run clicked inside the page (no Playwright actionability waits), until "1" is in the terminal\'s DOM; bare: postMessage until "1" is in its DOM.',
    '- Stop: Run `while True: pass` (Python) or `./spin.wasm` from the terminal (a WASI loop with no system calls), Stop clicked 0.5 s later, until run-status shows "killed" and until a following `window.isobox.run` of print(1) has finished. The spare worker is warm before each Stop.',
    '- WASI programs: bench/wasm/*.c and tests/fixtures/wasm/compute.c, compiled with `clang-14 --target=wasm32-wasi -O2 -fuse-ld=lld`. One warm-up run per path is not counted.',
    '',
  );
  return out.join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const wanted = (id: number): boolean => !options.only || options.only.has(id);
  const loadStart = loadavg();
  const work = mkdtempSync(join(tmpdir(), 'isobox-bench-'));
  let browser: Browser | undefined;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  const sections: Section[] = [];
  try {
    let srcRoot = REPO;
    let dist = options.dist;
    if (!dist) {
      log(`building the app (${options.worktree ? 'working tree' : 'snapshot of HEAD'})…`);
      ({ srcRoot, dist } = await buildApp(options.worktree, work));
    }
    log('compiling WASI programs with clang-14…');
    const wasm = await buildWasm(work);
    const policy = (await import(pathToFileURL(join(srcRoot, 'src', 'sw', 'policy.ts')).href)) as { ISOLATION_HEADERS: Record<string, string>; isSandboxWorkerPath(p: string): boolean; sandboxWorkerCsp(s: string): string };
    const serverPolicy: ServerPolicy = { headers: policy.ISOLATION_HEADERS, isSandboxWorkerPath: policy.isSandboxWorkerPath, sandboxWorkerCsp: policy.sandboxWorkerCsp };
    server = await startServer(dist, join(BENCH, 'baseline'), serverPolicy);
    log(`serving ${dist} and bench/baseline at ${server.origin}`);
    const ctx: BenchContext = {
      origin: server.origin,
      browser: async () => (browser ??= await launch()),
      dist,
      srcRoot,
      runs: (normal) => options.runs ?? normal,
      log,
      wasm,
      shared: {},
    };
    const suites: Array<[number, string, (c: BenchContext) => Promise<Section>]> = [
      [7, 'Initial JS/CSS', initialSuite],
      // WASI first: its in-process runner is timed in this Node process, cleanest while it is
      // fresh (after the browser suites, a full run twice ended with this process segfaulting
      // inside section 5; alone or early it never did).
      [5, 'WASI', wasiSuite],
      [1, 'Python start-up', startupSuite],
      [2, 'Run and Stop', runSuite],
      [4, 'Workspace', workspaceSuite],
      [6, 'clang and Ruby', toolchainSuite],
      [9, 'Terminal', terminalSuite],
      [8, 'Chat Markdown streaming', chatSuite],
    ];
    for (const [id, title, suite] of suites) {
      if (!wanted(id)) continue;
      log(`${id}. ${title}…`);
      const t0 = Date.now();
      let section: Section;
      try {
        section = await suite(ctx);
      } catch (error) {
        console.error(error);
        section = { id, title, tables: [], targets: [], notes: [], skipped: `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
      }
      section.seconds = (Date.now() - t0) / 1000;
      sections.push(section);
      for (const table of section.tables) console.log(textTable(table));
      for (const t of section.targets) console.log(`  target ${t.name} (${t.goal}): ${t.measured} → ${t.met ? 'met' : 'MISSED'}`);
    }
    const browserVersion = browser ? browser.version() : 'not started';
    const skipped = [
      'A bare baseline for clang and Ruby in the browser (section 6 has no target; Node reference figures are in /work/shared/NOTES.md).',
      'Stop before the spare worker is warm (within the first seconds after opening the page): the next run then waits for a whole Python load in the new worker.',
      'isobox.writeFile with 1,000 files (it takes minutes, see section 4); it writes 100 and 300 files instead.',
      ...(options.only ? [`Sections not selected with --only: ${[1, 2, 4, 5, 6, 7, 8, 9].filter((id) => !wanted(id)).join(', ') || 'none'}.`] : []),
    ];
    const header = [`- Commit: ${git('rev-parse', '--short', 'HEAD')} (${options.dist ? `prebuilt ${options.dist}` : options.worktree ? `working tree${git('status', '--porcelain', 'src') ? ', with uncommitted changes' : ''}` : 'snapshot of HEAD'})`, ...machine(browserVersion, loadStart, loadavg())];
    const text = report(sections, header, skipped);
    if (options.write) {
      writeFileSync(options.out, text);
      log(`wrote ${options.out}`);
    }
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
