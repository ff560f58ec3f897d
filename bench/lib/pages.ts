/** Opening the app and the bare baseline page, shared between suites. */
import type { Page } from '@playwright/test';
import { newContext, sleep, waitForBareReady, waitForPythonReady, waitForWorkersSettled } from './browser.ts';
import type { BenchContext, OpenPage } from './types.ts';

/** Opens the app in a fresh context and waits until Python is ready and the spare worker is warm. */
export async function openApp(ctx: BenchContext): Promise<OpenPage> {
  const context = await newContext(await ctx.browser());
  const page = await context.newPage();
  await page.goto(`${ctx.origin}/`);
  await waitForPythonReady(page);
  await waitForWorkersSettled(page);
  return { context, page };
}

export async function openBare(ctx: BenchContext): Promise<OpenPage> {
  const context = await newContext(await ctx.browser());
  const page = await context.newPage();
  await page.goto(`${ctx.origin}/__bench/bare.html`);
  await waitForBareReady(page);
  return { context, page };
}

/** The app page kept open between suites (Python ready, workers settled). */
export async function sharedApp(ctx: BenchContext): Promise<Page> {
  ctx.shared.app ??= await openApp(ctx);
  await waitForWorkersSettled(ctx.shared.app.page);
  return ctx.shared.app.page;
}

export async function sharedBare(ctx: BenchContext): Promise<Page> {
  ctx.shared.bare ??= await openBare(ctx);
  await waitForBareReady(ctx.shared.bare.page);
  await sleep(200);
  return ctx.shared.bare.page;
}

/** Drops the shared app page (after something that may have broken it). */
export async function closeSharedApp(ctx: BenchContext): Promise<void> {
  await ctx.shared.app?.context.close().catch(() => undefined);
  ctx.shared.app = undefined;
}
