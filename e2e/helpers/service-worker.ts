import type { Page } from '@playwright/test';
import { waitForPython } from '../fixtures.ts';

/**
 * Waits until the app's service worker controls the page, i.e. it has cached the app (it takes
 * control only after its install, which caches the shell, Monaco and Pyodide).
 */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null && navigator.serviceWorker?.controller !== undefined, undefined, { timeout: 60_000 });
}

/**
 * On a host without isolation headers the first visit reloads once when the service worker takes
 * control: waits for the reloaded page to be cross-origin isolated and for Python to be ready there.
 */
export async function visitUntilIsolated(page: Page): Promise<void> {
  await page.waitForFunction(() => crossOriginIsolated && navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
  await waitForPython(page);
}
