import type { Browser } from '@playwright/test';
import { askAgent, chooseLanguage, expect, expectTerminal, lastAgentMessage, runCode, test, ui, waitForPython } from './fixtures.ts';
import { startStaticServer, type HostHeaders, type StaticServer } from './helpers/static-server.ts';

// `npm run build`'s dist/ served by a plain static file server, configured as users configure their
// hosts, opened in a fresh browser profile: the first visit's first runs must work on each.
test.describe.configure({ timeout: 240_000 });

const dist = process.env.ISOBOX_DIST ?? 'dist';

const HOSTS: Array<{ headers: HostHeaders; what: string }> = [
  { headers: 'none', what: 'a host that sends no headers (GitHub Pages)' },
  { headers: 'isolation', what: 'a host that sends only COOP/COEP/CORP' },
  { headers: 'recipe', what: "a host that sends the build's _headers (Netlify, Cloudflare Pages, the docs' recipes)" },
];

async function freshVisit(browser: Browser, server: StaticServer, options: { withoutServiceWorkers?: boolean } = {}) {
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // As in browsers with service workers off (some private modes, enterprise policies).
  if (options.withoutServiceWorkers) await context.addInitScript(() => delete (Navigator.prototype as { serviceWorker?: unknown }).serviceWorker);
  const page = await context.newPage();
  await page.goto(server.url);
  return { context, page };
}

for (const host of HOSTS) {
  test(`first visit on ${host.what}: Python, C and the agent's first tool call run, and again after a reload`, async ({ browser }) => {
    const server = await startStaticServer(dist, '/', host.headers);
    const { context, page } = await freshVisit(browser, server);
    try {
      // Run as early as the page offers it: no click is ever thrown away by a reload.
      expect(await runCode(page, 'print("first run on", "this host")\n')).toBe('ok 0');
      await expectTerminal(page).toContain('first run on this host');
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

      await chooseLanguage(page, 'c');
      expect(await runCode(page, '#include <stdio.h>\nint main(void) { printf("c on first visit\\n"); return 0; }\n')).toBe('ok 0');
      await expectTerminal(page).toContain('c on first visit');

      await askAgent(page, 'Find the primes below 100');
      await expect(lastAgentMessage(page).getByTestId('tool-call').first()).toContainText('ok 0', { timeout: 60_000 });

      await page.reload();
      await waitForPython(page);
      await chooseLanguage(page, 'python');
      expect(await runCode(page, 'print("after reload", 6 * 7)\n')).toBe('ok 0');
      await expectTerminal(page).toContain('after reload 42');
    } finally {
      await context.close();
      await server.close();
    }
  });
}

test('on a header-less first visit the page offers nothing to lose before its one-time reload', async ({ browser }) => {
  const server = await startStaticServer(dist, '/', 'none');
  const { context, page } = await freshVisit(browser, server);
  try {
    await expect(page.getByTestId('setup-screen')).toBeVisible();
    await expect(page.getByTestId('run-button')).toHaveCount(0);
    await waitForPython(page);
    expect(await page.evaluate(() => crossOriginIsolated && navigator.serviceWorker.controller !== null)).toBe(true);
  } finally {
    await context.close();
    await server.close();
  }
});

test('where nothing can protect the sandbox, Run says what the host must send', async ({ browser }) => {
  const server = await startStaticServer(dist, '/', 'isolation');
  const { context, page } = await freshVisit(browser, server, { withoutServiceWorkers: true });
  try {
    await runCode(page, 'print("must not run")\n');
    await expect(ui.runStatus(page)).toContainText('crashed');
    await expectTerminal(page).toContain('Content-Security-Policy');
    await expectTerminal(page).toContain('docs/hosting.md');
    await expectTerminal(page).not.toContain('must not run\n');
  } finally {
    await context.close();
    await server.close();
  }
});
