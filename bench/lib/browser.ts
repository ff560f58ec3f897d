/** Chromium for the benchmarks: Debian's binary through Playwright, and page helpers. */
import { chromium, type Browser, type BrowserContext, type Page, type Worker } from '@playwright/test';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** What the init script records in every page: status text changes and paints, in ms since navigation start. */
export interface PageMarks {
  status: { t: number; text: string }[];
  pythonReadyAt?: number;
  fcp?: number;
  /** [start, duration] of the page's main-thread long tasks (> 50 ms). */
  longTasks: Array<[number, number]>;
}

/**
 * Runs before any page script: watches `runtime-status` (the moment it first says Python is ready)
 * and first-contentful-paint, with `performance.now()` (ms since this navigation started).
 * A string, not a function: tsx (esbuild keepNames) would wrap named functions in `__name(...)`,
 * which does not exist in the page. The same `__name` is defined here as a no-op for any
 * `page.evaluate` callback that still carries one.
 */
const INIT_SCRIPT = `
globalThis.__name = globalThis.__name || ((target) => target);
(() => {
  const marks = { status: [] };
  window.__bench = marks;
  let last = '';
  const look = () => {
    const el = document.querySelector('[data-testid="runtime-status"]');
    const text = el ? el.textContent || '' : '';
    if (text === last) return;
    last = text;
    const t = performance.now();
    marks.status.push({ t, text });
    if (marks.pythonReadyAt === undefined && /Python 3\\.\\d+\\.\\d+.*ready/.test(text)) marks.pythonReadyAt = t;
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'first-contentful-paint' && marks.fcp === undefined) marks.fcp = entry.startTime;
  }).observe({ type: 'paint', buffered: true });
  marks.longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) marks.longTasks.push([entry.startTime, entry.duration]);
  }).observe({ type: 'longtask', buffered: true });
})();
`;

export async function newContext(browser: Browser, options: { serviceWorkers?: 'allow' | 'block' } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, serviceWorkers: options.serviceWorkers ?? 'allow' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await context.addInitScript({ content: INIT_SCRIPT });
  return context;
}

export function marks(page: Page): Promise<PageMarks> {
  return page.evaluate(() => (window as unknown as { __bench: PageMarks }).__bench);
}

/** Waits until the app says Python is ready; returns ms since navigation start. */
export async function waitForPythonReady(page: Page, timeout = 90_000): Promise<number> {
  await page.waitForFunction(() => (window as unknown as { __bench?: PageMarks }).__bench?.pythonReadyAt !== undefined, undefined, { timeout, polling: 50 });
  return (await marks(page)).pythonReadyAt as number;
}

/** Waits until the bare page's worker has loaded Pyodide; returns ms since navigation start. */
export async function waitForBareReady(page: Page, timeout = 90_000): Promise<number> {
  await page.waitForFunction(() => typeof (window as unknown as { bare?: unknown }).bare === 'object', undefined, { timeout, polling: 50 });
  return page.evaluate(() => (window as unknown as { bare: { ready(): Promise<number> } }).bare.ready());
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function sandboxWorkers(page: Page): Worker[] {
  return page.workers().filter((w) => w.url().includes('isobox-sandbox-worker'));
}

/** Whether a worker has fetched Python's stdlib (the last file loadPyodide needs). */
async function fetchedStdlib(worker: Worker): Promise<boolean> {
  return worker
    .evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.includes('python_stdlib.zip') && (e as PerformanceResourceTiming).responseEnd > 0))
    .catch(() => false);
}

/** How long a trivial evaluation in a worker takes (long while the worker is busy). */
async function workerLatency(worker: Worker): Promise<number> {
  const started = performance.now();
  await worker.evaluate(() => 1).catch(() => undefined);
  return performance.now() - started;
}

/**
 * Waits until the page's sandbox workers (the active one and the warm spare Isobox keeps for
 * Stop) have loaded Python and gone quiet: each has fetched the stdlib and answers an evaluation
 * within 30 ms three times in a row. Returns how many sandbox workers there are.
 */
export async function waitForWorkersSettled(page: Page, expected = 2, timeout = 120_000): Promise<number> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const workers = sandboxWorkers(page);
    if (workers.length >= expected) {
      const loaded = await Promise.all(workers.map(fetchedStdlib));
      if (loaded.every(Boolean)) {
        let quiet = 0;
        while (quiet < 3 && Date.now() < deadline) {
          const latencies = await Promise.all(workers.map(workerLatency));
          quiet = latencies.every((l) => l < 30) ? quiet + 1 : 0;
          await sleep(150);
        }
        if (quiet >= 3) return workers.length;
      }
    }
    await sleep(200);
  }
  return sandboxWorkers(page).length;
}

/** Replaces the editor's text the way a user pastes it (as e2e/fixtures.ts does). */
export async function setEditorText(page: Page, code: string): Promise<void> {
  const editor = page.locator('.monaco-editor').first();
  await editor.click();
  await page.evaluate((text) => navigator.clipboard.writeText(text), code);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
  const first = code.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  await page.waitForFunction(
    (line) => (document.querySelector('.monaco-editor .view-lines') as HTMLElement | null)?.innerText.replace(/\u00a0/g, ' ').includes(line) ?? false,
    first,
    { polling: 50 },
  );
}

/** The Isobox automation API (src/ui/automation.ts) as seen from page.evaluate. */
export interface IsoboxApi {
  run(options: { language: string; code: string; timeoutMs?: number }): Promise<{ status: string; exitCode: number; stdout: string; stderr: string; durationMs: number }>;
  exec(line: string, options?: { timeoutMs?: number }): Promise<{ status: string; exitCode: number; stdout: string; stderr: string; durationMs: number }>;
  readText(path: string): Promise<string>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  ready(): Promise<void>;
}
