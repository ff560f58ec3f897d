import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Page } from '@playwright/test';
import { SANDBOX_WORKER_CSP } from '../src/sw/policy.ts';
import { expect, expectTerminal, openApp, runCode, setEditorText, test, ui, waitForPython } from './fixtures.ts';
import { startStaticServer, type StaticServer } from './helpers/static-server.ts';
import { visitUntilIsolated } from './helpers/service-worker.ts';

// The build served the way a plain static host serves it: right MIME types, and no COOP/COEP/CORP
// and no CSP. The first visit loads the app twice (before and after the service worker's reload).
test.describe.configure({ mode: 'serial', timeout: 180_000 });

test.describe('npm run build on a plain static host', () => {
  // One server and one page: Pyodide takes seconds to start on a small machine.
  let server: StaticServer;
  let context: BrowserContext;
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(180_000);
    server = await startStaticServer(process.env.ISOBOX_DIST ?? 'dist');
    ({ context, page } = await openApp(browser, server.url));
  });
  test.afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  test('the host itself sends no isolation headers', async () => {
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(response.headers.get('cross-origin-embedder-policy')).toBeNull();
  });

  test('after one reload by the service worker the page is cross-origin isolated and Python runs', async () => {
    await visitUntilIsolated(page);
    expect(await runCode(page, 'print("hello from a static host")\n')).toBe('ok 0');
    await expectTerminal(page).toContain('hello from a static host');
  });

  test('Stop ends an endless loop as killed 137', async () => {
    await setEditorText(page, 'print("looping")\nwhile True:\n    pass\n');
    await page.getByTestId('run-button').click();
    await expectTerminal(page).toContain('looping');
    await page.getByTestId('stop-button').click();
    await expect(ui.runStatus(page)).toHaveText('killed 137');
    expect(await runCode(page, 'print("alive after stop")\n')).toBe('ok 0');
    await expectTerminal(page).toContain('alive after stop');
  });

  test("after a reload the sandbox worker's script comes with its own CSP, from the service worker", async () => {
    const isWorkerScript = (url: string): boolean => /\/assets\/isobox-sandbox-worker-[\w-]+\.js$/.test(url);
    const [workerScript] = await Promise.all([page.waitForResponse((response) => isWorkerScript(response.url())), page.reload()]);
    expect(workerScript.fromServiceWorker()).toBe(true);
    expect(workerScript.headers()['content-security-policy']).toBe(SANDBOX_WORKER_CSP);
    // The host does not send it: the service worker does.
    expect((await fetch(workerScript.url())).headers.get('content-security-policy')).toBeNull();
    await visitUntilIsolated(page);
  });

  test("the worker's CSP is in force: code cannot compile JavaScript from a string", async () => {
    // The Function constructor, reached from any JS object (the `js` module itself is narrowed).
    const code = 'from pyodide.ffi import to_js\nmake_function = to_js({}).constructor.constructor\nmake_function("return 1")()\n';
    expect(await runCode(page, code)).toBe('error 1');
    await expectTerminal(page).toContain('EvalError');
  });

  test('Python cannot reach another origin', async () => {
    const code = [
      'import js, pyodide.http',
      'for name, attempt in [',
      '    ("js.fetch", lambda: js.fetch("http://127.0.0.1:1/x")),',
      '    ("open_url", lambda: pyodide.http.open_url("http://127.0.0.1:1/x")),',
      ']:',
      '    try:',
      '        attempt()',
      '        print(name, "reached the network")',
      '    except Exception as error:',
      '        print(name, "blocked:", type(error).__name__)',
      '',
    ].join('\n');
    expect(await runCode(page, code)).toBe('ok 0');
    await expectTerminal(page).toContain('js.fetch blocked:');
    await expectTerminal(page).toContain('open_url blocked:');
    await expectTerminal(page).not.toContain('reached the network');
  });
});

test.describe('built with ISOBOX_BASE=/sub/ and hosted under /sub/', () => {
  let outDir: string;
  let server: StaticServer;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    outDir = await mkdtemp(join(tmpdir(), 'isobox-sub-'));
    await promisify(execFile)('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { env: { ...process.env, ISOBOX_BASE: '/sub/' } });
    server = await startStaticServer(outDir, '/sub/');
  });
  test.afterAll(async () => {
    await server?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  test('the app opens isolated under /sub/, runs Python, and opens again offline', async ({ browser }) => {
    const { context, page } = await openApp(browser, server.url);
    await visitUntilIsolated(page);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope)).toBe(server.url);
    expect(await runCode(page, 'print("hello from /sub/")\n')).toBe('ok 0');
    await expectTerminal(page).toContain('hello from /sub/');

    await context.setOffline(true);
    await page.reload();
    await waitForPython(page);
    expect(await runCode(page, 'print("offline under /sub/")\n')).toBe('ok 0');
    await expectTerminal(page).toContain('offline under /sub/');
    await context.close();
  });
});
