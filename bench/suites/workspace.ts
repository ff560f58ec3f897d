/**
 * 4. Workspace: write and read 1,000 small files and one 50 MiB file through the app's workspace
 * (window.isobox.writeFile/readText on the page, and a Python program in the sandbox, whose files
 * are saved to OPFS when the run ends) vs raw OPFS sync access handles in a bare worker.
 */
import type { Page } from '@playwright/test';
import type { IsoboxApi } from '../lib/browser.ts';
import { sharedApp, sharedBare } from '../lib/pages.ts';
import { bytes, ms, rate, ratio, summarize, type Table } from '../lib/stats.ts';
import type { BenchContext, Section, Target } from '../lib/types.ts';

const COUNT = 1000;
const SMALL = 1024;
const BIG = 50 * 1024 * 1024;

interface Timing {
  writeMs: number;
  readMs: number;
}

function apiSmall(page: Page, dir: string, count: number): Promise<Timing> {
  return page.evaluate(
    async ({ dir, count, size }) => {
      const api = (window as unknown as { isobox: IsoboxApi }).isobox;
      const texts = Array.from({ length: count }, (_, i) => `${i}:`.padEnd(size, 'x'));
      const started = performance.now();
      for (let i = 0; i < count; i++) await api.writeFile(`${dir}/f${i}.txt`, texts[i] as string);
      const wrote = performance.now();
      let total = 0;
      for (let i = 0; i < count; i++) total += (await api.readText(`${dir}/f${i}.txt`)).length;
      const read = performance.now();
      if (total !== count * size) throw new Error(`read ${total} bytes`);
      return { writeMs: wrote - started, readMs: read - wrote };
    },
    { dir, count, size: SMALL },
  );
}

function apiBig(page: Page, dir: string): Promise<Timing> {
  return page.evaluate(
    async ({ dir, size }) => {
      const api = (window as unknown as { isobox: IsoboxApi }).isobox;
      const data = new Uint8Array(size).fill(0x61);
      const started = performance.now();
      await api.writeFile(`${dir}/big.bin`, data);
      const wrote = performance.now();
      const text = await api.readText(`${dir}/big.bin`);
      const read = performance.now();
      if (text.length !== size) throw new Error(`read ${text.length} bytes`);
      return { writeMs: wrote - started, readMs: read - wrote };
    },
    { dir, size: BIG },
  );
}

/** Runs Python in the sandbox twice: one run writes, the next reads (fetched from OPFS into the worker). */
function pythonFiles(page: Page, dir: string, big: boolean): Promise<Timing> {
  const write = big
    ? `import os\nos.makedirs('${dir}', exist_ok=True)\nwith open('${dir}/big-py.bin', 'wb') as f:\n    f.write(b'a' * ${BIG})\n`
    : `import os\nos.makedirs('${dir}/py', exist_ok=True)\nfor i in range(${COUNT}):\n    with open(f'${dir}/py/f{i}.txt', 'w') as f:\n        f.write(f'{i}:'.ljust(${SMALL}, 'x'))\n`;
  const read = big
    ? `with open('${dir}/big-py.bin', 'rb') as f:\n    n = len(f.read())\nassert n == ${BIG}, n\n`
    : `n = 0\nfor i in range(${COUNT}):\n    with open(f'${dir}/py/f{i}.txt') as f:\n        n += len(f.read())\nassert n == ${COUNT * SMALL}, n\n`;
  return page.evaluate(
    async ({ write, read }) => {
      const api = (window as unknown as { isobox: IsoboxApi }).isobox;
      const started = performance.now();
      const w = await api.run({ language: 'python', code: write, timeoutMs: 120_000 });
      const wrote = performance.now();
      const r = await api.run({ language: 'python', code: read, timeoutMs: 120_000 });
      const done = performance.now();
      if (w.status !== 'ok' || r.status !== 'ok') throw new Error(`python file run failed: ${w.stderr} ${r.stderr}`);
      return { writeMs: wrote - started, readMs: done - wrote };
    },
    { write, read },
  );
}

function bareOpfs(page: Page, test: 'small' | 'big'): Promise<Timing> {
  return page.evaluate(
    async ({ test, count, small, big }) => {
      const bare = (window as unknown as { bare: { opfs(t: string, o: object): Promise<Timing & { error?: string }> } }).bare;
      const result = await bare.opfs(test, test === 'small' ? { count, size: small } : { size: big });
      if (result.error) throw new Error(result.error);
      return { writeMs: result.writeMs, readMs: result.readMs };
    },
    { test, count: COUNT, small: SMALL, big: BIG },
  );
}

async function clean(page: Page, dir: string): Promise<void> {
  await page.evaluate((dir) => (window as unknown as { isobox: IsoboxApi }).isobox.exec(`rm -r -f ${dir}`), dir);
}

export async function workspaceSuite(ctx: BenchContext): Promise<Section> {
  const page = await sharedApp(ctx);
  const bare = await sharedBare(ctx);
  const runs = ctx.runs(3);
  const r: Record<string, Timing[]> = { bareSmall: [], bareBig: [], apiSmall: [], apiBig: [], pySmall: [], pyBig: [], pyBigCrowded: [] };
  for (let i = 0; i < runs; i++) {
    const dir = `bench-ws-${i}`;
    r.bareSmall?.push(await bareOpfs(bare, 'small'));
    r.apiSmall?.push(await apiSmall(page, `${dir}/api`, COUNT));
    r.pySmall?.push(await pythonFiles(page, dir, false));
    if (i === 0) {
      // Diagnostic: the same big-file runs with the 2,000 small files still in the workspace,
      // where each run's manifest (and the tree refresh after it) walks every file.
      r.pyBigCrowded?.push(await pythonFiles(page, `${dir}-crowded`, true));
      await clean(page, `${dir}-crowded`);
    }
    // The big file is measured in a workspace as empty as the raw baseline's folder.
    await clean(page, dir);
    r.bareBig?.push(await bareOpfs(bare, 'big'));
    r.apiBig?.push(await apiBig(page, dir));
    r.pyBig?.push(await pythonFiles(page, dir, true));
    await clean(page, dir);
    ctx.log(`  run ${i + 1}/${runs}: small files bare ${ms((r.bareSmall?.[i]?.writeMs ?? 0) + (r.bareSmall?.[i]?.readMs ?? 0))}, api ${ms((r.apiSmall?.[i]?.writeMs ?? 0) + (r.apiSmall?.[i]?.readMs ?? 0))}, python ${ms((r.pySmall?.[i]?.writeMs ?? 0) + (r.pySmall?.[i]?.readMs ?? 0))}`);
  }
  const files: Record<string, number> = { bareSmall: COUNT, apiSmall: COUNT, pySmall: COUNT };
  /** Median write+read time, per file for the small-file paths. */
  const total = (key: string): number => summarize((r[key] ?? []).map((t) => t.writeMs + t.readMs)).median;
  const unit = (key: string): number => total(key) / (files[key] ?? 1);
  const row = (label: string, key: string, baseKey: string, size: number): string[] => {
    const times = r[key] ?? [];
    const w = summarize(times.map((t) => t.writeMs));
    const rd = summarize(times.map((t) => t.readMs));
    const both = total(key);
    const n = files[key];
    const speed = n ? `${((2 * n) / (both / 1000)).toFixed(0)} files/s` : rate((2 * size) / (both / 1000));
    return [label, String(times.length), ms(w.median), ms(rd.median), ms(both), n ? ms(both / n) : '', speed, key === baseKey ? '' : ratio(unit(baseKey) / unit(key))];
  };
  const table: Table = {
    title: `4. Workspace: small files of ${bytes(SMALL)} and one ${bytes(BIG)} file, write then read (medians)`,
    head: ['path', 'runs', 'write', 'read', 'write+read', 'per file', 'throughput', 'vs raw OPFS'],
    rows: [
      row(`raw OPFS sync handles, ${COUNT} small files`, 'bareSmall', 'bareSmall', COUNT * SMALL),
      row(`isobox.writeFile/readText, ${COUNT} small files`, 'apiSmall', 'bareSmall', COUNT * SMALL),
      row(`Python in the sandbox, ${COUNT} small files`, 'pySmall', 'bareSmall', COUNT * SMALL),
      row(`raw OPFS sync handles, ${bytes(BIG)}`, 'bareBig', 'bareBig', BIG),
      row(`isobox.writeFile/readText, ${bytes(BIG)}`, 'apiBig', 'bareBig', BIG),
      row(`Python in the sandbox, ${bytes(BIG)}`, 'pyBig', 'bareBig', BIG),
      row(`Python, ${bytes(BIG)}, ${2 * COUNT} small files also in the workspace (diagnostic)`, 'pyBigCrowded', 'bareBig', BIG),
    ],
    notes: [
      '"vs raw OPFS": throughput ratio (raw time per file or per byte / Isobox time; higher is better, target ≥ 0.5×).',
      'Python rows: two whole runs (one writes, one reads), each with its workspace manifest, sync into the worker, save to OPFS and the file-tree refresh window.isobox does after a run.',
      `The ${bytes(BIG)} rows run in a workspace as empty as the raw baseline's folder; the diagnostic row shows what ${2 * COUNT} other files add (every run walks the workspace for changes made behind its back: one getFile() per file).`,
    ],
  };
  const ratios = {
    apiSmall: unit('bareSmall') / unit('apiSmall'),
    pySmall: unit('bareSmall') / unit('pySmall'),
    apiBig: total('bareBig') / total('apiBig'),
    pyBig: total('bareBig') / total('pyBig'),
  };
  const worst = Math.min(...Object.values(ratios));
  const why: string[] = [];
  if (ratios.apiSmall < 0.5) why.push(`isobox.writeFile/readText: ${ratio(ratios.apiSmall)} for small files: each call crosses page → OPFS worker → page, and the quota layer checks writes one at a time.`);
  if (ratios.pySmall < 0.5) why.push(`Python in the sandbox: ${ratio(ratios.pySmall)} for small files: each run walks the workspace (getFile per file), and files written by one run are fetched back from OPFS by the next.`);
  if (ratios.apiBig < 0.5) why.push(`${bytes(BIG)} through isobox.writeFile: ${ratio(ratios.apiBig)}.`);
  if (ratios.pyBig < 0.5) why.push(`${bytes(BIG)} from Python: ${ratio(ratios.pyBig)}; the bytes are copied MEMFS → worker tree → page → OPFS worker, and fetched back into the sandbox worker on the read run.`);
  const targets: Target[] = [
    {
      name: 'Workspace throughput',
      goal: '≥ 0.5× raw OPFS',
      measured: `small files: API ${ratio(ratios.apiSmall)}, Python ${ratio(ratios.pySmall)}; ${bytes(BIG)}: API ${ratio(ratios.apiBig)}, Python ${ratio(ratios.pyBig)} (${ratio(total('bareBig') / total('pyBigCrowded'))} with ${2 * COUNT} other files)`,
      met: worst >= 0.5,
      why,
      suggest: [
        'src/sandbox/worker/tree.ts: keep the bytes of files the worker wrote itself and take the stamps the host saved them with, so the next run does not fetch them back from OPFS.',
        'src/sandbox/fs/opfs-store.ts manifest(): walk only what may have changed (FileSystemObserver in Chromium) instead of getFile() on every file before every run.',
      ],
    },
  ];
  return { id: 4, title: 'Workspace', tables: [table], targets, notes: [] };
}
