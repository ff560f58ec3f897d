import { expect, openApp, runCode, test, ui, waitForPython } from './fixtures.ts';
import { waitForServiceWorker } from './helpers/service-worker.ts';

// Each test loads the app twice in a fresh context and waits for the service worker to cache ~30 MB.
test.slow();

test('after one visit the app opens and runs Python with the network cut', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  await waitForServiceWorker(page);

  await context.setOffline(true);
  await page.reload();
  await waitForPython(page);
  expect(await runCode(page, 'print("offline ok")\n')).toBe('ok 0');
  await expect(ui.output(page)).toContainText('offline ok');
  await context.close();
});

test("Ruby's runtime is not downloaded up front, is cached on first use, and then loads offline", async ({ browser }) => {
  const { context, page } = await openApp(browser);
  await waitForServiceWorker(page);
  const rubyWasm = new URL('vendor/ruby/ruby+stdlib.wasm', page.url()).href;
  const isCached = (url: string): Promise<boolean> => page.evaluate(async (u) => (await caches.match(u, { ignoreSearch: true })) !== undefined, url);
  const download = (url: string): Promise<number> => page.evaluate(async (u) => (await (await fetch(u)).arrayBuffer()).byteLength, url);

  expect(await isCached(rubyWasm)).toBe(false);
  const size = await download(rubyWasm);
  expect(size).toBeGreaterThan(1_000_000);
  await expect.poll(() => isCached(rubyWasm), { timeout: 30_000 }).toBe(true);

  await context.setOffline(true);
  expect(await download(rubyWasm)).toBe(size);
  await context.close();
});
