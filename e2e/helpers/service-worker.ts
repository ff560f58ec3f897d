import type { Page } from '@playwright/test';
import { CACHE_STATUS_MESSAGE } from '../../src/sw/policy.ts';
import { waitForPython } from '../fixtures.ts';

/**
 * Waits until the app's service worker controls the page, i.e. it has cached the app (it takes
 * control only after its install, which caches the shell, Monaco and Pyodide).
 */
export async function waitForServiceWorker(page: Page): Promise<void> {
  try {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 90_000, polling: 250 });
  } catch (error) {
    throw new Error(`the service worker did not take control: ${await serviceWorkerState(page)}`, { cause: error });
  }
}

/**
 * On a host without isolation headers the first visit reloads once when the service worker takes
 * control: waits for the reloaded page to be cross-origin isolated and for Python to be ready there.
 */
export async function visitUntilIsolated(page: Page): Promise<void> {
  try {
    await page.waitForFunction(() => crossOriginIsolated && navigator.serviceWorker.controller !== null, undefined, { timeout: 90_000, polling: 250 });
  } catch (error) {
    throw new Error(`the page did not become cross-origin isolated: ${await serviceWorkerState(page)}`, { cause: error });
  }
  await waitForPython(page);
}

/** The page's service worker registration and cache, for failure messages. */
async function serviceWorkerState(page: Page): Promise<string> {
  return page
    .evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      let cached = 0;
      for (const name of await caches.keys()) cached += (await (await caches.open(name)).keys()).length;
      return JSON.stringify({
        url: location.href,
        readyState: document.readyState,
        crossOriginIsolated,
        controller: navigator.serviceWorker.controller?.state ?? null,
        registration: registration && { installing: registration.installing?.state, waiting: registration.waiting?.state, active: registration.active?.state },
        cachedFiles: cached,
      });
    })
    .catch((error: unknown) => `(state unavailable: ${String(error)})`);
}

/**
 * Asks the page's service worker which of this build's files matching `pattern` (a path regex)
 * are cached, the way the UI's isRuntimeCached does (src/ui/register-sw.ts).
 */
export async function cachedFiles(page: Page, pattern: RegExp): Promise<{ total: number; cached: number; eager: number }> {
  const files = await page.evaluate(
    ({ type }) =>
      new Promise<Array<{ url: string; eager: boolean; cached: boolean }>>((resolve, reject) => {
        const controller = navigator.serviceWorker.controller;
        if (!controller) return reject(new Error('no service worker in control'));
        const channel = new MessageChannel();
        channel.port1.onmessage = (event) => resolve(event.data as Array<{ url: string; eager: boolean; cached: boolean }>);
        controller.postMessage({ type }, [channel.port2]);
      }),
    { type: CACHE_STATUS_MESSAGE },
  );
  const matching = files.filter((file) => pattern.test(new URL(file.url).pathname));
  return { total: matching.length, cached: matching.filter((file) => file.cached).length, eager: matching.filter((file) => file.eager).length };
}
