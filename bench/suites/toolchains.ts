/**
 * 6. clang: hello.c → hello.wasm in the browser (`cc hello.c -o hello.wasm` through
 * window.isobox.exec): cold (fresh browser context, nothing cached), cold worker with the files
 * already in the service worker's cache (reload), and warm (same worker). Ruby: first
 * `ruby -e "puts 1"` in a fresh worker (ready time) and warm.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { waitForPythonReady, waitForWorkersSettled, type IsoboxApi } from '../lib/browser.ts';
import { openApp } from '../lib/pages.ts';
import { TIMING_HEAD, summarize, timingRow, type Table } from '../lib/stats.ts';
import type { BenchContext, Section } from '../lib/types.ts';

async function exec(page: Page, line: string, expect?: string): Promise<number> {
  return page.evaluate(
    async ({ line, expect }) => {
      const api = (window as unknown as { isobox: IsoboxApi }).isobox;
      const started = performance.now();
      const result = await api.exec(line, { timeoutMs: 300_000 });
      const elapsed = performance.now() - started;
      if (result.status !== 'ok' || (expect !== undefined && !result.stdout.includes(expect))) throw new Error(`${line}: ${result.status} ${result.stdout} ${result.stderr}`);
      return elapsed;
    },
    { line, expect },
  );
}

export async function toolchainSuite(ctx: BenchContext): Promise<Section> {
  const hello = readFileSync(join(import.meta.dirname, '..', 'wasm', 'hello.c'), 'utf8');
  const coldRuns = ctx.runs(2);
  const warmRuns = ctx.runs(3);
  const t = { clangCold: [] as number[], clangCached: [] as number[], clangWarm: [] as number[], rubyCold: [] as number[], rubyCached: [] as number[], rubyWarm: [] as number[] };
  for (let run = 0; run < coldRuns; run++) {
    const { context, page } = await openApp(ctx);
    try {
      const write = (): Promise<void> => page.evaluate((text) => (window as unknown as { isobox: IsoboxApi }).isobox.writeFile('hello.c', text), hello);
      await write();
      t.clangCold.push(await exec(page, 'cc hello.c -o hello.wasm'));
      await exec(page, './hello.wasm', 'hello from clang');
      t.rubyCold.push(await exec(page, 'ruby -e "puts 1"', '1'));
      if (run === 0) {
        for (let i = 0; i < warmRuns; i++) t.clangWarm.push(await exec(page, 'cc hello.c -o hello.wasm'));
        for (let i = 0; i < warmRuns; i++) t.rubyWarm.push(await exec(page, 'ruby -e "puts 1"', '1'));
      }
      // A returning user: clang's and Ruby's files are in the service worker's cache, the worker is new.
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      await page.reload();
      await waitForPythonReady(page);
      await waitForWorkersSettled(page);
      t.clangCached.push(await exec(page, 'cc hello.c -o hello.wasm'));
      t.rubyCached.push(await exec(page, 'ruby -e "puts 1"', '1'));
      ctx.log(`  run ${run + 1}/${coldRuns}: clang cold ${Math.round(t.clangCold[run] ?? NaN)} ms, cached ${Math.round(t.clangCached[run] ?? NaN)} ms; ruby cold ${Math.round(t.rubyCold[run] ?? NaN)} ms, cached ${Math.round(t.rubyCached[run] ?? NaN)} ms`);
    } finally {
      await context.close();
    }
  }
  const table: Table = {
    title: '6. clang and Ruby in the browser (window.isobox.exec, wall time in the page)',
    head: TIMING_HEAD.slice(0, 5),
    rows: [
      timingRow('cc hello.c: cold (fresh context: download 105 MB + compile)', summarize(t.clangCold)).slice(0, 5),
      timingRow('cc hello.c: new worker, files in the service worker cache', summarize(t.clangCached)).slice(0, 5),
      timingRow('cc hello.c: warm (same worker)', summarize(t.clangWarm)).slice(0, 5),
      timingRow('ruby -e "puts 1": cold (Ruby ready + run)', summarize(t.rubyCold)).slice(0, 5),
      timingRow('ruby -e "puts 1": new worker, files cached', summarize(t.rubyCached)).slice(0, 5),
      timingRow('ruby -e "puts 1": warm', summarize(t.rubyWarm)).slice(0, 5),
    ],
    notes: ['No target in issue 9; no bare baseline measured (reference from /work/shared/NOTES.md: @yowasp/clang in Node ~2.6 s cold, ~0.4 s warm).'],
  };
  return { id: 6, title: 'clang and Ruby', tables: [table], targets: [], notes: [] };
}
