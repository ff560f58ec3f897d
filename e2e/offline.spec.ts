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

test('Ruby is not downloaded up front; after its first run it works offline too', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  await waitForServiceWorker(page);
  // ruby.wasm (30 MB) is a build asset: assets/ruby_stdlib-<hash>.wasm.
  const rubyCached = (): Promise<boolean> =>
    page.evaluate(async () => {
      for (const name of await caches.keys()) {
        const keys = await (await caches.open(name)).keys();
        if (keys.some((request) => /\/assets\/ruby[^/]*\.wasm(\?|$)/.test(request.url))) return true;
      }
      return false;
    });
  expect(await rubyCached()).toBe(false);

  await page.getByTestId('language-select').selectOption('ruby');
  expect(await runCode(page, 'puts "ruby online"\n')).toBe('ok 0');
  await expect(ui.output(page)).toContainText('ruby online');
  await expect.poll(rubyCached, { timeout: 60_000 }).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await waitForPython(page);
  await page.getByTestId('language-select').selectOption('ruby');
  expect(await runCode(page, 'puts "ruby offline"\n')).toBe('ok 0');
  await expect(ui.output(page)).toContainText('ruby offline');
  await context.close();
});
