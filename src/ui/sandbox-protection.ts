/**
 * The sandbox worker runs user code only under its own Content-Security-Policy (a worker's CSP
 * comes from its script's response; the worker fails closed without one). This gate decides when
 * the page may start that worker, so no run ever fails for a policy that would arrive a moment later:
 *
 * - The host sends the worker's CSP itself (the full recipe in docs/hosting.md, `dist/_headers`):
 *   start at once.
 * - Otherwise the service worker adds it, but only to requests of a page it controls: register it
 *   now and wait until it controls this page (on a host that sends COOP/COEP it takes control
 *   without a reload), then start.
 * - No service worker can help (disabled, or it never takes control): start anyway; the worker
 *   then refuses to run code and says what the host must send.
 */
import { sandboxWorkerScriptUrl } from '../sandbox/host/browser.ts';
import { registerServiceWorkerNow } from './register-sw.ts';

/** How long to wait for the service worker to take control before giving up on it. */
const CONTROL_TIMEOUT_MS = 60_000;

let gate: Promise<void> | undefined;

/** Settles when the sandbox worker may be started (see the file comment). Never rejects. */
export function sandboxProtected(): Promise<void> {
  gate ??= decide();
  return gate;
}

async function decide(): Promise<void> {
  if (import.meta.env.DEV) return; // The dev server sends the worker's CSP (vite.config.ts).
  // A controlling service worker adds the CSP to the worker's script: no need to ask (every later visit).
  if ('serviceWorker' in navigator && navigator.serviceWorker.controller) return;
  if (await hostSendsWorkerCsp()) return;
  if (!('serviceWorker' in navigator)) return;
  if (!(await registerServiceWorkerNow())) return;
  await Promise.race([controlled(), delay(CONTROL_TIMEOUT_MS)]);
}

/** Whether the worker script's response (from the host, or a controlling service worker) carries the sandbox's CSP. */
async function hostSendsWorkerCsp(): Promise<boolean> {
  try {
    const response = await fetch(sandboxWorkerScriptUrl(), { credentials: 'same-origin' });
    void response.body?.cancel();
    return /default-src 'none'/.test(response.headers.get('Content-Security-Policy') ?? '');
  } catch {
    return false;
  }
}

function controlled(): Promise<void> {
  return new Promise((resolve) => {
    if (navigator.serviceWorker.controller) return resolve();
    navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
