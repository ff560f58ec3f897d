/**
 * 1. Navigation → Python ready, first visit (fresh context) and second visit (reload in the same
 * context), for the app and for the bare page (loadPyodide in a plain module worker). A diagnostic
 * variant runs the app with service workers blocked, to show what the service worker costs or saves.
 */
import type { Page } from '@playwright/test';
import { newContext, sleep, waitForBareReady, waitForPythonReady, waitForWorkersSettled } from '../lib/browser.ts';
import { TIMING_HEAD, ms, ratio, summarize, timingRow, type Summary, type Table } from '../lib/stats.ts';
import type { BenchContext, Section, Target } from '../lib/types.ts';

type Kind = 'app' | 'bare';

/** Moments of one visit, in ms since its navigation started. */
interface Visit {
  ready: number;
  fcp: number;
  /** When the sandbox (or bare) worker's global was created. */
  worker: number;
  /** pyodide.mjs requested: the worker asked for Python. */
  pyodide: number;
  wasmStart: number;
  /** pyodide.asm.wasm fully consumed: downloaded and (streaming) compiled. */
  wasmEnd: number;
  /** python_stdlib.zip fully received. */
  stdlibEnd: number;
  /** The wasm came through a service worker. */
  wasmViaSw: boolean;
  /** The page's main thread in long tasks (> 50 ms) before ready. */
  busy: number;
}

interface Entry {
  name: string;
  start: number;
  end: number;
  workerStart: number;
}

async function timeline(page: Page, kind: Kind, ready: number): Promise<Visit> {
  const pageInfo = await page.evaluate(() => {
    const bench = (window as unknown as { __bench?: { fcp?: number; longTasks?: Array<[number, number]> } }).__bench;
    return { origin: performance.timeOrigin, fcp: bench?.fcp ?? NaN, longTasks: bench?.longTasks ?? [] };
  });
  const busy = pageInfo.longTasks.filter(([start]) => start < ready).reduce((sum, [start, duration]) => sum + Math.min(duration, ready - start), 0);
  const workers = page.workers().filter((w) => (kind === 'bare' ? w.url().includes('bare-worker') : w.url().includes('isobox-sandbox-worker')));
  const infos = await Promise.all(
    workers.map((w) =>
      w
        .evaluate(() => ({
          origin: performance.timeOrigin,
          entries: performance.getEntriesByType('resource').map((e) => {
            const r = e as PerformanceResourceTiming;
            return { name: r.name, start: r.startTime, end: r.responseEnd, workerStart: r.workerStart };
          }),
        }))
        .catch(() => undefined),
    ),
  );
  const first = infos.filter((i): i is { origin: number; entries: Entry[] } => i !== undefined).sort((a, b) => a.origin - b.origin)[0];
  const shift = first ? first.origin - pageInfo.origin : NaN;
  const find = (part: string): Entry | undefined => first?.entries.find((e) => e.name.includes(part));
  const wasm = find('pyodide.asm.wasm');
  return {
    ready,
    fcp: pageInfo.fcp,
    worker: shift,
    pyodide: (find('pyodide.mjs')?.start ?? NaN) + shift,
    wasmStart: (wasm?.start ?? NaN) + shift,
    wasmEnd: (wasm?.end ?? NaN) + shift,
    stdlibEnd: (find('python_stdlib.zip')?.end ?? NaN) + shift,
    wasmViaSw: (wasm?.workerStart ?? 0) > 0,
    busy,
  };
}

/** Returns both visits and how long the first visit took to settle after ready (for the bare page to wait as long). */
async function appVisits(ctx: BenchContext, serviceWorkers: 'allow' | 'block', keep: boolean): Promise<[Visit, Visit, number]> {
  const context = await newContext(await ctx.browser(), { serviceWorkers });
  const page = await context.newPage();
  await page.goto(`${ctx.origin}/`, { waitUntil: 'commit' });
  const first = await timeline(page, 'app', await waitForPythonReady(page));
  const settling = performance.now();
  // A returning user: the service worker has cached the app and both workers are warm.
  if (serviceWorkers === 'allow') await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await waitForWorkersSettled(page);
  const settled = performance.now() - settling;
  await page.reload({ waitUntil: 'commit' });
  const second = await timeline(page, 'app', await waitForPythonReady(page));
  if (keep) {
    await ctx.shared.app?.context.close();
    ctx.shared.app = { context, page };
  } else {
    await context.close();
  }
  return [first, second, settled];
}

/** The bare page; with `snapshot`, the what-if variant that starts Pyodide from a memory snapshot on the second visit. */
async function bareVisits(ctx: BenchContext, keep: boolean, settleMs: number, snapshot = false): Promise<[Visit, Visit]> {
  const context = await newContext(await ctx.browser());
  const page = await context.newPage();
  await page.goto(`${ctx.origin}/__bench/bare.html${snapshot ? '?snapshot' : ''}`, { waitUntil: 'commit' });
  const first = await timeline(page, 'bare', await waitForBareReady(page));
  if (snapshot) await page.evaluate(() => (window as unknown as { bare: { snapshotSaved(): Promise<number> } }).bare.snapshotSaved());
  // As long after ready as the app's first visit took to settle (at least 3 s): time to finish
  // tiering up and write the wasm code cache, as for a returning user.
  await sleep(Math.max(3000, settleMs));
  await page.reload({ waitUntil: 'commit' });
  const second = await timeline(page, 'bare', await waitForBareReady(page));
  const info = await page.evaluate(() => (window as unknown as { bare: { readyInfo(): string } }).bare.readyInfo());
  if (snapshot && info !== 'from snapshot') throw new Error(`the snapshot variant started ${info}`);
  if (keep) {
    await ctx.shared.bare?.context.close();
    ctx.shared.bare = { context, page };
  } else {
    await context.close();
  }
  return [first, second];
}

function med(visits: Visit[], pick: (v: Visit) => number): number {
  return summarize(visits.map(pick)).median;
}

export async function startupSuite(ctx: BenchContext): Promise<Section> {
  const runs = ctx.runs(5);
  const diagRuns = Math.min(runs, ctx.runs(2));
  const v = { appFirst: [] as Visit[], appSecond: [] as Visit[], bareFirst: [] as Visit[], bareSecond: [] as Visit[], noSwFirst: [] as Visit[], noSwSecond: [] as Visit[], snapFirst: [] as Visit[], snapSecond: [] as Visit[] };
  for (let r = 0; r < runs; r++) {
    const last = r === runs - 1;
    const [a1, a2, settled] = await appVisits(ctx, 'allow', last);
    v.appFirst.push(a1);
    v.appSecond.push(a2);
    ctx.log(`  run ${r + 1}/${runs}: app ${ms(a1.ready)} → ${ms(a2.ready)}`);
    const [b1, b2] = await bareVisits(ctx, last, settled);
    v.bareFirst.push(b1);
    v.bareSecond.push(b2);
    ctx.log(`  run ${r + 1}/${runs}: bare ${ms(b1.ready)} → ${ms(b2.ready)}`);
    if (r < diagRuns) {
      const [n1, n2] = await appVisits(ctx, 'block', false);
      v.noSwFirst.push(n1);
      v.noSwSecond.push(n2);
      ctx.log(`  run ${r + 1}/${runs}: app without service worker ${ms(n1.ready)} → ${ms(n2.ready)}`);
      const [p1, p2] = await bareVisits(ctx, false, settled, true);
      v.snapFirst.push(p1);
      v.snapSecond.push(p2);
      ctx.log(`  run ${r + 1}/${runs}: bare with memory snapshot ${ms(p1.ready)} → ${ms(p2.ready)}`);
    }
  }
  const s = Object.fromEntries(Object.entries(v).map(([k, visits]) => [k, summarize(visits.map((x) => x.ready))])) as Record<keyof typeof v, Summary>;

  const ready: Table = {
    title: '1. Navigation → Python ready (ms since navigation start)',
    head: TIMING_HEAD,
    rows: [
      timingRow('bare page, first visit', s.bareFirst),
      timingRow('Isobox, first visit', s.appFirst, s.bareFirst),
      timingRow('bare page, second visit (reload)', s.bareSecond),
      timingRow('Isobox, second visit (reload)', s.appSecond, s.bareSecond),
      timingRow('Isobox, service worker blocked, first visit (diagnostic)', s.noSwFirst, s.bareFirst),
      timingRow('Isobox, service worker blocked, second visit (diagnostic)', s.noSwSecond, s.bareSecond),
      timingRow('bare + Pyodide memory snapshot, first visit (what-if: makes it)', s.snapFirst, s.bareFirst),
      timingRow('bare + Pyodide memory snapshot, second visit (what-if: starts from it)', s.snapSecond, s.bareSecond),
    ],
    notes: ['Second visit: reload in the same browser context after the first visit settled (Isobox: service worker active and spare worker warm; the bare page waits as long after ready, at least 3 s).'],
  };

  const phaseRow = (label: string, visits: Visit[]): string[] => {
    const wasm = med(visits, (x) => x.wasmEnd - x.wasmStart);
    return [
      label,
      ms(med(visits, (x) => x.fcp)),
      ms(med(visits, (x) => x.worker)),
      ms(med(visits, (x) => x.pyodide)),
      ms(wasm),
      ms(med(visits, (x) => x.stdlibEnd)),
      ms(med(visits, (x) => x.ready - x.wasmEnd)),
      ms(med(visits, (x) => x.ready)),
      visits.some((x) => x.wasmViaSw) ? 'yes' : 'no',
      ms(med(visits, (x) => x.busy)),
    ];
  };
  const phases: Table = {
    title: '1b. Where the time goes (medians, ms since navigation start)',
    head: ['visit', 'first paint', 'worker created', 'pyodide.mjs requested', 'wasm fetch+compile', 'stdlib zip received', 'wasm → ready', 'ready', 'wasm via SW', 'page long tasks before ready'],
    rows: [
      phaseRow('bare, first', v.bareFirst),
      phaseRow('Isobox, first', v.appFirst),
      phaseRow('bare, second', v.bareSecond),
      phaseRow('Isobox, second', v.appSecond),
      phaseRow('Isobox no SW, first', v.noSwFirst),
      phaseRow('Isobox no SW, second', v.noSwSecond),
      phaseRow('bare + snapshot, second', v.snapSecond),
    ],
    notes: [
      '"wasm fetch+compile": pyodide.asm.wasm request start → response end; Pyodide compiles it with instantiateStreaming, which reads the body as it compiles, so this is download + compile.',
      '"wasm → ready": instantiation, python_stdlib.zip, interpreter start-up (and in Isobox: the run driver and the status message to the page).',
    ],
  };

  const firstRatio = s.appFirst.median / s.bareFirst.median;
  const secondRatio = s.appSecond.median / s.bareSecond.median;
  const phase = (visits: Visit[]): { worker: number; pyodide: number; wasm: number; init: number; busy: number } => ({
    busy: med(visits, (x) => x.busy),
    worker: med(visits, (x) => x.worker),
    pyodide: med(visits, (x) => x.pyodide),
    wasm: med(visits, (x) => x.wasmEnd - x.wasmStart),
    init: med(visits, (x) => x.ready - x.wasmEnd),
  });
  const p = { appFirst: phase(v.appFirst), appSecond: phase(v.appSecond), bareFirst: phase(v.bareFirst), bareSecond: phase(v.bareSecond), noSwSecond: phase(v.noSwSecond) };
  const whyFirst: string[] = [];
  if (firstRatio > 1.3) {
    whyFirst.push(
      `Isobox requests pyodide.mjs at ${ms(p.appFirst.pyodide)} (bare ${ms(p.bareFirst.pyodide)}): the worker is created only after React has rendered and the project has been opened from OPFS (worker created at ${ms(p.appFirst.worker)}, bare ${ms(p.bareFirst.worker)}).`,
      `wasm fetch+compile ${ms(p.appFirst.wasm)} (bare ${ms(p.bareFirst.wasm)}); wasm → ready ${ms(p.appFirst.init)} (bare ${ms(p.bareFirst.init)}): the same Pyodide start-up takes longer because the page competes for the 2 cores — its main thread is in long tasks for ${ms(p.appFirst.busy)} before Python is ready (Monaco, React, the editor's worker), and the service worker precaches the app meanwhile (without it: ${ms(s.noSwFirst.median)}).`,
    );
  }
  const whySecond: string[] = [
    `What dominates: of Isobox's ${ms(s.appSecond.median)} second visit, ${ms(p.appSecond.init)} (${Math.round((100 * p.appSecond.init) / s.appSecond.median)}%) is Pyodide's own start-up after the wasm is compiled (instantiation, the stdlib zip, interpreter initialisation and imports) — the same work the bare page does (${ms(p.bareSecond.init)}). Caching files or compiled code cannot remove it, and the bare page gets the same HTTP and code caches, so a ratio of 0.5× needs work the bare page does not do.`,
    `Before that: the sandbox worker starts at ${ms(p.appSecond.worker)} (bare ${ms(p.bareSecond.worker)}), pyodide.mjs is requested at ${ms(p.appSecond.pyodide)} (bare ${ms(p.bareSecond.pyodide)}), and the wasm fetch+compile takes ${ms(p.appSecond.wasm)}${v.appSecond.some((x) => x.wasmViaSw) ? ' through the service worker' : ''} (bare ${ms(p.bareSecond.wasm)}; Isobox with the service worker blocked ${ms(p.noSwSecond.wasm)}).`,
    `Service worker: second visit ${ms(s.appSecond.median)} with it, ${ms(s.noSwSecond.median)} with it blocked.`,
  ];
  if (v.snapSecond.length > 0) {
    whySecond.push(
      `What-if measured in this run: the bare page starting Pyodide from a memory snapshot (loadPyodide({_makeSnapshot: true}) + makeMemorySnapshot() on the first visit, kept in Cache Storage; loadPyodide({_loadSnapshot}) on later visits) is ready in ${ms(s.snapSecond.median)} = ${ratio(s.snapSecond.median / s.bareSecond.median)} bare. That is the way to ≤ 0.5×.`,
    );
  }
  const targets: Target[] = [
    {
      name: 'Python ready, first visit',
      goal: '≤ 1.3× bare',
      measured: `${ratio(firstRatio)} (${ms(s.appFirst.median)} vs ${ms(s.bareFirst.median)})`,
      met: firstRatio <= 1.3,
      ...(whyFirst.length ? { why: whyFirst } : {}),
      suggest: [
        'src/ui/main.tsx / src/ui/sandbox-client.ts: spawn the sandbox worker (and call warmup("python")) as the module loads, before React renders and the project boots from OPFS; hand that worker to createBrowserSandbox when the project opens.',
        'src/ui/register-sw.ts: on an isolated first visit, register the service worker only after Python is ready, so its precache (Monaco, Pyodide again) does not compete with the Pyodide download and start-up.',
        'src/ui/editor/CodeEditor.tsx (lazy Monaco): on 2 cores Monaco\'s parse/compile and its editor worker run at the same time as Pyodide\'s start-up; show the code read-only first and load Monaco once the runtime status says ready (or at idle).',
      ],
    },
    {
      name: 'Python ready, second visit',
      goal: '≤ 0.5× bare',
      measured: `${ratio(secondRatio)} (${ms(s.appSecond.median)} vs ${ms(s.bareSecond.median)})`,
      met: secondRatio <= 0.5,
      why: secondRatio <= 0.5 ? [] : whySecond,
      suggest: [
        'src/sandbox/worker/entry.browser.ts + src/sandbox/runtimes/python.ts: start Pyodide from a memory snapshot. The first worker loads with `_makeSnapshot: true` and calls `makeMemorySnapshot()` right after loadPyodide (before PYTHON_DRIVER, setStdout and lockdown), and hands the bytes to the page (Comlink transfer), which keeps them in Cache Storage keyed by Pyodide version + build; every later worker — next visits, the spare, the replacement after Stop — passes them as `_loadSnapshot` and then installs the driver. Measured above as a what-if on the bare page.',
      ],
    },
  ];
  return { id: 1, title: 'Python start-up', tables: [ready, phases], targets, notes: [] };
}
