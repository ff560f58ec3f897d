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
        return Promise.reject(new TypeError(`isobox: network access is off (blocked ${method} ${url.href})`));
      }
      return realFetch(input, init);
    };
    define(scope, 'fetch', guardedFetch);
  }
  for (const name of ['XMLHttpRequest', 'WebSocket', 'EventSource', 'importScripts', 'Worker', 'SharedWorker', 'indexedDB', 'caches', 'BroadcastChannel', 'WebTransport', 'RTCPeerConnection']) {
    define(scope, name, undefined);
  }
  const nav = scope.navigator as Record<string, unknown> | undefined;
  if (nav) {
    for (const name of ['sendBeacon', 'storage', 'serviceWorker']) {
      // The getters live on the prototype, where `getOwnPropertyDescriptor(...).get.call` would reach them.
      for (let proto = Object.getPrototypeOf(nav) as Record<string, unknown> | null; proto; proto = Object.getPrototypeOf(proto) as Record<string, unknown> | null) {
        if (Object.prototype.hasOwnProperty.call(proto, name)) delete proto[name];
      }
      define(nav, name, undefined);
    }
  }
}

function define(target: Record<string, unknown>, name: string, value: unknown): void {
  try {
    Object.defineProperty(target, name, { value, writable: false, configurable: false, enumerable: false });
  } catch {
    // Already locked: nothing user code can change either.
  }
}
