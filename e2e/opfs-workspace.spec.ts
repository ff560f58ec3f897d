import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { expect, test } from '@playwright/test';
import { startStaticServer, type StaticServer } from './helpers/static-server.ts';

/**
 * The workspace contract suite (src/sandbox/fs/workspace-contract.ts) against the app's OPFS
 * adapter in Chromium, through its file system worker: e2e/opfs-contract/ is built with vite
 * (vitest aliased to a small shim) and served by a plain static server.
 */
const page = fileURLToPath(new URL('./opfs-contract/', import.meta.url));
let out: string;
let server: StaticServer;

test.beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'isobox-opfs-contract-'));
  await build({
    configFile: false,
    root: page,
    logLevel: 'warn',
    resolve: { alias: [{ find: /^vitest$/, replacement: join(page, 'vitest-shim.ts') }] },
    worker: { format: 'es' },
    build: { outDir: out, emptyOutDir: true, target: 'es2022' },
  });
  server = await startStaticServer(out);
});

test.afterAll(async () => {
  await server?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

test('the OPFS workspace passes the workspace contract in the browser', async ({ browser }) => {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(server.url);
  await tab.waitForFunction(() => typeof window.runContract === 'function');
  const outcomes = await tab.evaluate(() => window.runContract());
  const failed = outcomes.filter((outcome) => outcome.error !== undefined);
  expect(failed.map((outcome) => `${outcome.name}: ${outcome.error}`)).toEqual([]);
  expect(outcomes.length).toBeGreaterThan(40);
  await context.close();
});
