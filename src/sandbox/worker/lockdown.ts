import type { BlockedKind } from '../protocol.ts';
import { currentAudit } from './audit.ts';

/** Globals removed from the worker, and what reaching for one means in the audit. */
const REMOVED_GLOBALS: Record<string, BlockedKind> = {
  XMLHttpRequest: 'network',
  WebSocket: 'network',
  WebSocketStream: 'network',
  EventSource: 'network',
  importScripts: 'network',
  Worker: 'network',
  SharedWorker: 'network',
  BroadcastChannel: 'network',
  WebTransport: 'network',
  RTCPeerConnection: 'network',
  indexedDB: 'storage',
  caches: 'storage',
};

const NAVIGATOR_REMOVED: Record<string, BlockedKind> = { sendBeacon: 'network', storage: 'storage', serviceWorker: 'storage' };

const RULES: Record<BlockedKind, string> = {
  network: 'network is off',
  storage: 'no storage outside the project',
  path: 'outside /workspace',
  syscall: 'not allowed in the sandbox',
};

/**
 * Removes what user code could use to reach the network or the app's storage, once the runtimes
 * hold what they need. `fetch` stays only as a guard that lets the runtimes load their own
 * same-origin assets (and allow-listed origins); everything else is deleted from the worker's global.
 * With an allow-list, only `fetch` reaches those origins: sockets and the rest stay removed.
 */
export function lockdownGlobals(allowNet: string[], sameOrigin: string | undefined): void {
  const scope = globalThis as unknown as Record<string, unknown>;
  const realFetch = globalThis.fetch?.bind(globalThis);
  // `*` allows every origin (the CLI's bare --allow-net); anything else is reduced to its origin.
  const allowAll = allowNet.includes('*');
  const allowed = new Set(allowNet.filter((origin) => origin !== '*').map((origin) => new URL(origin).origin));
  if (realFetch) {
    const guardedFetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const url = new URL(input instanceof Request ? input.url : String(input), sameOrigin ?? 'http://invalid.invalid');
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      const ownAsset = sameOrigin !== undefined && url.origin === sameOrigin && method === 'GET';
      if (!ownAsset && !allowAll && !allowed.has(url.origin)) {
        currentAudit()?.block('network', `fetch ${method} ${url.href}`, allowNet.length > 0 ? 'origin not in the allow-list' : RULES.network);
        return Promise.reject(new TypeError(`isobox: network access is off (blocked ${method} ${url.href})`));
      }
      // Fetch exactly what was checked: an input whose URL or method changes between reads cannot slip past.
      return realFetch(input instanceof Request ? input : url.href, { ...init, method });
    };
    define(scope, 'fetch', guardedFetch);
  }
  for (const [name, kind] of Object.entries(REMOVED_GLOBALS)) removeAudited(scope, name, kind, name);
  const nav = scope.navigator as Record<string, unknown> | undefined;
  if (nav) {
    for (const [name, kind] of Object.entries(NAVIGATOR_REMOVED)) {
      // The getters live on the prototype, where `getOwnPropertyDescriptor(...).get.call` would reach them.
      for (let proto = Object.getPrototypeOf(nav) as Record<string, unknown> | null; proto; proto = Object.getPrototypeOf(proto) as Record<string, unknown> | null) {
        if (Object.prototype.hasOwnProperty.call(proto, name)) delete proto[name];
      }
      removeAudited(nav, name, kind, `navigator.${name}`);
    }
  }
}

/** Replaces a global with a getter that reads as `undefined` and notes the attempt in the run's audit. */
function removeAudited(target: Record<string, unknown>, name: string, kind: BlockedKind, label: string): void {
  try {
    Object.defineProperty(target, name, {
      get: () => {
        currentAudit()?.block(kind, label, RULES[kind]);
        return undefined;
      },
      configurable: false,
      enumerable: false,
    });
  } catch {
    // Already locked: nothing user code can change either.
  }
}

function define(target: Record<string, unknown>, name: string, value: unknown): void {
  try {
    Object.defineProperty(target, name, { value, writable: false, configurable: false, enumerable: false });
  } catch {
    // Already locked: nothing user code can change either.
  }
}
