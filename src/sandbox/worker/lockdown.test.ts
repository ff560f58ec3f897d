import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// lockdownGlobals runs once per worker, on the worker's own global. To test it on a fresh,
// worker-like global (and to let "user code" attack the result), its source runs inside a
// node:vm realm populated with stand-ins for what a browser worker exposes. Everything the
// lockdown and the attacker touch lives in that realm, as it would in a worker.

/** lockdown.ts and what it imports from this directory, as CommonJS for the realm's small loader. */
function sourceOf(file: string): string {
  return ts.transpileModule(readFileSync(new URL(file, import.meta.url), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

/** Realm code that defines `__exports` = lockdown.ts's exports (relative imports resolved next to it). */
const LOAD_LOCKDOWN = `
  (() => {
    const cache = {};
    const load = (file) => {
      if (cache[file]) return cache[file].exports;
      const module = { exports: {} };
      cache[file] = module;
      const resolve = (spec) => new URL(spec, 'file:///' + file).pathname.slice(1);
      new Function('exports', 'require', 'module', __source(file))(module.exports, (spec) => load(resolve(spec)), module);
      return module.exports;
    };
    globalThis.__exports = load('lockdown.ts');
  })();
`;

/** Hands the realm the transpiled source of a file of src/sandbox/worker (or below src/sandbox). */
function sourceFor(file: string): string {
  if (!/^[\w./-]+\.ts$/.test(file) || file.startsWith('/')) throw new Error(`unexpected import ${file}`);
  return sourceOf(`./${file}`);
}

/** Globals lockdown.ts promises to remove (kept in sync with the list there). */
const REMOVED = ['XMLHttpRequest', 'WebSocket', 'EventSource', 'importScripts', 'Worker', 'SharedWorker', 'indexedDB', 'caches', 'BroadcastChannel', 'WebTransport', 'RTCPeerConnection'];
/** navigator members it removes from the instance and from every prototype. */
const NAVIGATOR_REMOVED = ['sendBeacon', 'storage', 'serviceWorker'];

const APP = 'https://app.example';

interface FetchCall {
  url: string;
  method: string;
}

interface Realm {
  /** Runs code in the realm (as user code would run in the worker) and returns its value. */
  run<T = unknown>(code: string): T;
  /** What reached the original fetch, read the way a real fetch reads its arguments. */
  calls: FetchCall[];
}

/**
 * A fresh worker-like realm: network and storage constructors as own, configurable properties
 * of the global (as WebIDL puts them), a navigator whose members are prototype getters two levels
 * up, and a fetch that records what it was asked for. `lockdown` (when given) runs before return.
 */
function workerRealm(lockdown?: { allowNet: string[]; origin: string | undefined }, extraGlobals: string[] = []): Realm {
  const calls: FetchCall[] = [];
  // Reads input and init again, exactly as the real fetch does when it builds its Request.
  const record = (input: unknown, init: { method?: unknown } | undefined): void => {
    const isRequest = input instanceof Request;
    const url = isRequest ? input.url : new URL(String(input), lockdown?.origin ?? 'http://invalid.invalid').href;
    const method = init && init.method !== undefined ? String(init.method) : isRequest ? input.method : 'GET';
    calls.push({ url, method: method.toUpperCase() });
  };
  const context = vm.createContext({ URL, Request, __record: record, __source: sourceFor });
  vm.runInContext(
    `
    for (const name of ${JSON.stringify([...REMOVED, ...extraGlobals])}) globalThis[name] = function () { return name; };
    globalThis.indexedDB = { open() { return 'db'; } };
    globalThis.caches = { open() { return 'cache'; } };
    globalThis.fetch = function fetch(input, init) { __record(input, init); return Promise.resolve('response'); };
    class NavigatorBase {}
    Object.defineProperty(NavigatorBase.prototype, 'storage', { get() { return 'STORAGE'; }, configurable: true, enumerable: true });
    class WorkerNavigator extends NavigatorBase {}
    for (const name of ['sendBeacon', 'serviceWorker', 'userAgent']) {
      Object.defineProperty(WorkerNavigator.prototype, name, { get() { return name.toUpperCase(); }, configurable: true, enumerable: true });
    }
    globalThis.navigator = new WorkerNavigator();
    ${LOAD_LOCKDOWN}
    `,
    context,
  );
  const realm: Realm = { run: (code) => vm.runInContext(code, context), calls };
  if (lockdown) realm.run(`__exports.lockdownGlobals(${JSON.stringify(lockdown.allowNet)}, ${JSON.stringify(lockdown.origin)})`);
  return realm;
}

/** Calls the (guarded) fetch from inside the realm and reports whether it went through. */
async function tryFetch(realm: Realm, call: string): Promise<'sent' | string> {
  try {
    await realm.run<Promise<unknown>>(`fetch(${call})`);
    return 'sent';
  } catch (error) {
    return error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error) ? String((error as Error).message) : String(error);
  }
}

describe('lockdownGlobals: globals', () => {
  it('removes every listed network and storage global', () => {
    const realm = workerRealm({ allowNet: [], origin: APP });
    for (const name of REMOVED) {
      expect(realm.run(`typeof ${name}`), name).toBe('undefined');
      // Locked in place: not configurable, and nothing to write (a data property that is not
      // writable, or an accessor without a setter).
      const locked = realm.run(
        `(({ configurable, writable, get, set }) => !configurable && (get ? set === undefined : writable === false))(Object.getOwnPropertyDescriptor(globalThis, ${JSON.stringify(name)}))`,
      );
      expect(locked, name).toBe(true);
    }
  });

  it('leaves nothing user code can put back: assignment, defineProperty, delete, a prototype', () => {
    const realm = workerRealm({ allowNet: [], origin: APP });
    for (const name of [...REMOVED, 'fetch']) {
      const key = JSON.stringify(name);
      realm.run(`globalThis[${key}] = function restored() {}`);
      expect(realm.run(`delete globalThis[${key}]`), name).toBe(false);
      expect(realm.run(`Reflect.defineProperty(globalThis, ${key}, { value: 'restored' })`), name).toBe(false);
      expect(() => realm.run(`Object.defineProperty(globalThis, ${key}, { get() { return 'restored'; } })`), name).toThrow(/redefine/);
      expect(realm.run(`String(globalThis[${key}]).includes('restored')`), name).toBe(false);
    }
    // A prototype put under the global does not matter either: the own property shadows it.
    realm.run(`Object.setPrototypeOf(globalThis, { XMLHttpRequest: 'restored' })`);
    expect(realm.run('typeof XMLHttpRequest')).toBe('undefined');
  });

  it('removes navigator members from the instance and from every prototype, for good', () => {
    const realm = workerRealm({ allowNet: [], origin: APP });
    for (const name of NAVIGATOR_REMOVED) {
      const key = JSON.stringify(name);
      expect(realm.run(`navigator[${key}]`), name).toBeUndefined();
      // The getter cannot be fished out of the prototype chain and called on navigator.
      expect(
        realm.run(`(() => { const found = []; for (let p = Object.getPrototypeOf(navigator); p; p = Object.getPrototypeOf(p)) if (Object.getOwnPropertyDescriptor(p, ${key})) found.push(p); return found.length; })()`),
        name,
      ).toBe(0);
      expect(realm.run(`Object.getOwnPropertyDescriptor(navigator, ${key}).configurable`), name).toBe(false);
      expect(() => realm.run(`Object.defineProperty(navigator, ${key}, { get() { return 'restored'; } })`), name).toThrow(/redefine/);
      // A getter put back on the prototype is shadowed by the locked own property.
      realm.run(`Object.defineProperty(Object.getPrototypeOf(navigator), ${key}, { get() { return 'restored'; }, configurable: true })`);
      expect(realm.run(`navigator[${key}]`), name).toBeUndefined();
    }
    // Harmless members stay.
    expect(realm.run('navigator.userAgent')).toBe('USERAGENT');
  });

  it('runs where there is no navigator and no fetch (Node before globals are added)', () => {
    const context = vm.createContext({ URL, Request, __source: sourceFor });
    vm.runInContext(`${LOAD_LOCKDOWN}; __exports.lockdownGlobals([], undefined);`, context);
    expect(vm.runInContext('typeof fetch + typeof navigator + typeof XMLHttpRequest', context)).toBe('undefinedundefinedundefined');
  });

  // Layers: the worker CSP refuses WebSocket connections too, but lockdown promises that every
  // network-capable global is gone. (Was a hole: Chromium exposes WebSocketStream in workers and
  // lockdown.ts did not list it.)
  it('removes WebSocketStream too (Chromium exposes it in workers)', () => {
    const realm = workerRealm({ allowNet: [], origin: APP }, ['WebSocketStream']);
    expect(realm.run('typeof WebSocketStream')).toBe('undefined');
  });
});

describe('lockdownGlobals: the guarded fetch', () => {
  it('is the only fetch left, and it is locked in place', () => {
    const realm = workerRealm({ allowNet: [], origin: APP });
    expect(realm.run(`(({ writable, configurable }) => [writable, configurable])(Object.getOwnPropertyDescriptor(globalThis, 'fetch'))`)).toEqual([false, false]);
  });

  it('refuses other origins, by every spelling', async () => {
    const realm = workerRealm({ allowNet: [], origin: APP });
    for (const url of [
      '"https://evil.example/x"',
      '"http://app.example/x"', // another scheme is another origin
      '"https://app.example:8443/x"',
      '"https://app.example@evil.example/x"', // userinfo
      '"//evil.example/x"', // protocol-relative
      '"https://app.example.evil.example/x"',
      '"https://evil.example/https://app.example/"',
      '"data:text/plain,x"',
      'new URL("https://evil.example/x")',
      'new Request("https://evil.example/x")',
    ]) {
      expect(await tryFetch(realm, url), url).toMatch(/isobox: network access is off/);
    }
    expect(realm.calls).toEqual([]);
  });

  it('refuses anything but GET to its own origin', async () => {
    const realm = workerRealm({ allowNet: [], origin: APP });
    for (const call of ['"/x", { method: "POST" }', '"/x", { method: "put" }', '"https://app.example/x", { method: "DELETE" }', 'new Request("https://app.example/x", { method: "POST", body: "secret" })']) {
      expect(await tryFetch(realm, call), call).toMatch(/network access is off \(blocked (POST|PUT|DELETE) /);
    }
    expect(realm.calls).toEqual([]);
  });

  it('lets the runtimes GET their own assets (same origin, relative or absolute, string or Request)', async () => {
    const realm = workerRealm({ allowNet: [], origin: APP });
    for (const call of ['"/vendor/pyodide/pyodide.asm.wasm"', '"https://app.example/vendor/ruby/ruby.wasm"', '"HTTPS://APP.EXAMPLE/assets/x.js"', 'new Request("https://app.example/x")', '"/x", { method: "get" }']) {
      expect(await tryFetch(realm, call), call).toBe('sent');
    }
    expect(realm.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET https://app.example/vendor/pyodide/pyodide.asm.wasm',
      'GET https://app.example/vendor/ruby/ruby.wasm',
      'GET https://app.example/assets/x.js',
      'GET https://app.example/x',
      'GET https://app.example/x',
    ]);
  });

  it('opens allow-listed origins (any method), reduced to their origin', async () => {
    const realm = workerRealm({ allowNet: ['https://api.example/v1/ignored-path'], origin: APP });
    expect(await tryFetch(realm, '"https://api.example/other"')).toBe('sent');
    expect(await tryFetch(realm, '"https://api.example/submit", { method: "POST", body: "x" }')).toBe('sent');
    for (const url of ['"http://api.example/x"', '"https://api.example:8443/x"', '"https://sub.api.example/x"', '"https://evil.example/x"']) {
      expect(await tryFetch(realm, url), url).toMatch(/network access is off/);
    }
    expect(realm.calls).toEqual([
      { url: 'https://api.example/other', method: 'GET' },
      { url: 'https://api.example/submit', method: 'POST' },
    ]);
  });

  it('with `*` lets everything through', async () => {
    const realm = workerRealm({ allowNet: ['*'], origin: APP });
    expect(await tryFetch(realm, '"https://evil.example/x", { method: "POST" }')).toBe('sent');
    expect(await tryFetch(realm, '"http://10.0.0.1:8080/x"')).toBe('sent');
    expect(realm.calls).toHaveLength(2);
  });

  it('in Node (no own origin) nothing counts as the app’s own asset', async () => {
    const realm = workerRealm({ allowNet: [], origin: undefined });
    expect(await tryFetch(realm, '"/x"')).toMatch(/network access is off/);
    expect(await tryFetch(realm, '"http://invalid.invalid/x"')).toMatch(/network access is off/);
    expect(await tryFetch(realm, '"file:///etc/passwd"')).toMatch(/network access is off/);
    expect(realm.calls).toEqual([]);
  });

  // Was a hole (time of check / time of use), closed by fetching exactly what was checked: the guard stringifies `input` once to check it, then hands
  // the same object to the real fetch, which stringifies it again. An object whose toString
  // answers differently the second time passes as the app's own asset and fetches elsewhere.
  // Fix in lockdownGlobals: check and pass one normalized value, e.g.
  // `return realFetch(input instanceof Request ? input : url.href, init && { ...init, method })`.
  it('checks the URL that is really fetched (an input that changes between reads)', async () => {
    const realm = workerRealm({ allowNet: [], origin: APP });
    await tryFetch(realm, '{ n: 0, toString() { return this.n++ === 0 ? "https://app.example/ok" : "https://evil.example/steal"; } }');
    expect(realm.calls.filter((c) => c.url.startsWith('https://evil.example'))).toEqual([]);
  });

  // Was a hole (same cause): `init.method` is read once by the guard and again by the real fetch, so a
  // getter answering GET then POST sends a POST (with a body) to the app's origin.
  it('checks the method that is really sent (an init whose method changes between reads)', async () => {
    const realm = workerRealm({ allowNet: [], origin: APP });
    await tryFetch(realm, '"/x", { n: 0, get method() { return this.n++ === 0 ? "GET" : "POST"; }, body: "x" }');
    expect(realm.calls.filter((c) => c.method !== 'GET')).toEqual([]);
  });
});
