import { openApp, test } from './fixtures.ts';

test('probe', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  context.on('serviceworker', (w) => console.log('SW', w.url()));
  page.on('console', (m) => console.log('CONSOLE', m.type(), m.text().slice(0, 300)));
  for (let i = 0; i < 30; i++) {
    const state = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      const keys = await caches.keys();
      let n = 0;
      for (const k of keys) n += (await (await caches.open(k)).keys()).length;
      return { ready: document.readyState, ctrl: !!navigator.serviceWorker.controller, reg: reg ? { a: reg.active?.state, i: reg.installing?.state, w: reg.waiting?.state } : null, keys, n };
    });
    console.log(i, JSON.stringify(state));
    if (state.ctrl) break;
    await page.waitForTimeout(2000);
  }
  await context.close();
});
