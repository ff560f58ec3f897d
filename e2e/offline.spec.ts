import { chooseLanguage, expect, expectTerminal, openApp, runCode, test, waitForPython } from './fixtures.ts';
import { cachedFiles, waitForServiceWorker } from './helpers/service-worker.ts';

// Each test loads the app twice in a fresh context and waits for the service worker to cache ~30 MB
// (and the second downloads Ruby and clang, 135 MB, once).
test.slow();

test('after one visit the app opens and runs Python with the network cut', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  await waitForServiceWorker(page);

  await context.setOffline(true);
  await page.reload();
  await waitForPython(page);
  expect(await runCode(page, 'print("offline ok")\n')).toBe('ok 0');
  await expectTerminal(page).toContain('offline ok');
  await context.close();
});

test('Ruby and C are not downloaded up front; after their first run they work offline too', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  await waitForServiceWorker(page);
  // Build assets: assets/ruby_stdlib-<hash>.wasm (30 MB); clang's assets/llvm*.wasm and llvm-resources*.tar (105 MB).
  const ruby = /\/assets\/ruby[^/]*\.wasm$/;
  const clang = /\/assets\/llvm[^/]*\.(wasm|tar)$/;
  expect(await cachedFiles(page, ruby)).toEqual({ total: 1, cached: 0, eager: 0 });
  const clangFiles = (await cachedFiles(page, clang)).total;
  expect(clangFiles).toBeGreaterThanOrEqual(2);
  expect(await cachedFiles(page, clang)).toEqual({ total: clangFiles, cached: 0, eager: 0 });

  await chooseLanguage(page, 'ruby');
  expect(await runCode(page, 'puts "ruby online"\n')).toBe('ok 0');
  await expectTerminal(page).toContain('ruby online');
  await chooseLanguage(page, 'c');
  expect(await runCode(page, '#include <stdio.h>\nint main(void) { printf("c online\\n"); return 0; }\n')).toBe('ok 0');
  await expectTerminal(page).toContain('c online');
  await expect.poll(async () => (await cachedFiles(page, ruby)).cached, { timeout: 60_000 }).toBe(1);
  await expect.poll(async () => (await cachedFiles(page, clang)).cached, { timeout: 60_000 }).toBe(clangFiles);

  await context.setOffline(true);
  await page.reload();
  await waitForPython(page);
  await chooseLanguage(page, 'ruby');
  expect(await runCode(page, 'puts "ruby offline"\n')).toBe('ok 0');
  await expectTerminal(page).toContain('ruby offline');
  await chooseLanguage(page, 'c');
  expect(await runCode(page, '#include <stdio.h>\nint main(void) { printf("c offline\\n"); return 0; }\n')).toBe('ok 0');
  await expectTerminal(page).toContain('c offline');
  await context.close();
});
