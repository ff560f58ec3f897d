import type { PackageAnswer, PackageDelivery, PackageNeed, PackageRequest, PackageWheel } from '../protocol.ts';
import { parseLock, resolveImports, type Lock, type LockPackage } from './lock.ts';
import { createPypiSource } from './pypi-source.ts';
import { DEFAULT_PYPI_INDEX, pypiIndexUrl } from './pypi.ts';
import { sha256Hex } from './sha256.ts';
import { lockKey, NO_STORE, wheelKey, type PackageStore } from './store.ts';

/** Why packages a program imports were not installed. */
export type RefusalReason = 'denied' | 'cannot-ask';

export interface PackageProviderOptions {
  /** URL of the folder holding `pyodide-lock.json` and the wheels it names. */
  index: string;
  /** Where verified wheels (and the last lock file) are kept for offline use. */
  store?: PackageStore;
  /**
   * Asks a person before anything is downloaded; without it, packages are refused (the run may not
   * ask). `signal` aborts when the run waiting for the answer was stopped: take the question back.
   */
  ask?: (request: PackageRequest, signal?: AbortSignal) => Promise<PackageAnswer>;
  /** PyPI-style JSON index for `micropip.install` / `pip install` (`<index>NAME/json`); default PyPI. */
  pypiIndex?: string;
  /** The one line printed when a program then fails on a refused import (or install): how to allow the packages of `index`. */
  hint(packages: string[], reason: RefusalReason, index: string): string;
  fetch?: typeof globalThis.fetch;
}

/** The host's side of packages: reads the index, asks, downloads and verifies wheels for the worker. */
export interface PackageProvider {
  readonly index: string;
  /** `signal` aborts when the run that needs the packages was stopped. */
  provide(need: PackageNeed, signal?: AbortSignal): Promise<PackageDelivery>;
}

const LOCK_FILE = 'pyodide-lock.json';
const HEAD_TIMEOUT_MS = 5000;

/** Normalizes an index URL to a folder URL (ending in `/`); throws a clear Error for anything else. */
export function packageIndexUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`the package index "${value}" is not a URL (expected e.g. https://host/pyodide/full/)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`the package index must be an http(s) URL, not ${url.protocol}`);
  if (url.pathname.endsWith(`/${LOCK_FILE}`)) url.pathname = url.pathname.slice(0, -LOCK_FILE.length);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url.href;
}

/**
 * Creates the provider for one package index. Nothing is fetched until a program imports a module
 * that a package of the index provides; then the person is asked (names, size, where from), and only
 * wheels whose bytes match the lock file's sha256 are handed to the worker, all or none.
 */
export function createPackageProvider(options: PackageProviderOptions): PackageProvider {
  const index = packageIndexUrl(options.index);
  const store = options.store ?? NO_STORE;
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const pypiIndex = pypiIndexUrl(options.pypiIndex ?? DEFAULT_PYPI_INDEX);
  const fromPypi = createPypiSource({
    index: pypiIndex,
    store,
    fetch: fetchFn,
    ...(options.ask ? { ask: options.ask } : {}),
    refusal: (names, reason) => options.hint(names, reason, pypiIndex),
  });
  let lock: Promise<Lock> | undefined;
  /** Packages allowed in this provider's lifetime: a fresh interpreter loads them again without asking. */
  const allowed = new Set<string>();

  /** The index's lock file: from the network when it answers, else the copy kept from last time. */
  function readLock(): Promise<Lock> {
    lock ??= (async () => {
      let text: string;
      try {
        const response = await fetchFn(new URL(LOCK_FILE, index).href, { cache: 'no-cache' });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        text = await response.text();
        const parsed = parseLock(text);
        await store.put(lockKey(index), new TextEncoder().encode(text)).catch(() => undefined);
        return parsed;
      } catch (error) {
        const kept = await store.get(lockKey(index)).catch(() => undefined);
        if (kept) return parseLock(new TextDecoder().decode(kept));
        throw new Error(`could not read ${index}${LOCK_FILE}: ${message(error)}`, { cause: error });
      }
    })();
    lock.catch(() => (lock = undefined));
    return lock;
  }

  async function downloadBytes(packages: LockPackage[]): Promise<number | undefined> {
    let total = 0;
    for (const size of await Promise.all(packages.map((pkg) => sizeOf(pkg)))) {
      if (size === undefined) return undefined;
      total += size;
    }
    return total;
  }

  async function sizeOf(pkg: LockPackage): Promise<number | undefined> {
    if (await store.get(wheelKey(pkg.fileName, pkg.sha256)).catch(() => undefined)) return 0;
    try {
      const response = await fetchFn(new URL(pkg.fileName, index).href, { method: 'HEAD', signal: AbortSignal.timeout(HEAD_TIMEOUT_MS) });
      const length = Number(response.headers.get('content-length'));
      return response.ok && Number.isFinite(length) && length > 0 ? length : undefined;
    } catch {
      return undefined;
    }
  }

  /** A wheel's bytes, from the store or the index, checked against the lock file's sha256. */
  async function wheel(pkg: LockPackage): Promise<{ wheel: PackageWheel; key: string; fresh: boolean }> {
    const key = wheelKey(pkg.fileName, pkg.sha256);
    const kept = await store.get(key).catch(() => undefined);
    if (kept && (await sha256Hex(kept)) === pkg.sha256) return { wheel: toWheel(pkg, kept), key, fresh: false };
    const url = new URL(pkg.fileName, index).href;
    let bytes: Uint8Array;
    try {
      const response = await fetchFn(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw new Error(`could not download ${pkg.name} (${url}): ${message(error)}`, { cause: error });
    }
    const actual = await sha256Hex(bytes);
    if (actual !== pkg.sha256) throw new Error(`${pkg.fileName} does not match the sha256 in ${LOCK_FILE} (expected ${pkg.sha256}, got ${actual}): refused`);
    return { wheel: toWheel(pkg, bytes), key, fresh: true };
  }

  return {
    index,
    async provide(need, signal) {
      // PyPI first (`pip install`, `micropip.install`); its wheels are installed after the lock's.
      const pypi = await fromPypi(need, signal);
      if (pypi.error !== undefined) return { wheels: [], index, error: pypi.error };
      const fromLock = await provideFromLock({ ...need, imports: need.imports.filter((module) => !pypi.provided.includes(module)) }, signal);
      return fromLock.error !== undefined || pypi.wheels.length === 0 ? fromLock : { ...fromLock, wheels: [...fromLock.wheels, ...pypi.wheels] };
    },
  };

  async function provideFromLock(need: PackageNeed, signal?: AbortSignal): Promise<PackageDelivery> {
    if (need.imports.length === 0) return { wheels: [], index };
    let resolved;
    try {
      resolved = resolveImports(await readLock(), need.imports, need.loaded);
    } catch (error) {
      return { wheels: [], index, refused: { imports: need.imports, hint: `isobox: packages are not available: ${message(error)}` } };
    }
    if (resolved.install.length === 0) return { wheels: [], index };
    const names = resolved.install.map((pkg) => pkg.name);
    const refuse = (reason: RefusalReason): PackageDelivery => ({ wheels: [], index, refused: { imports: resolved.provided, hint: options.hint(names, reason, index) } });
    const asked = names.some((name) => !allowed.has(name));
    if (asked && !options.ask) return refuse('cannot-ask');
    const request: PackageRequest = {
      index,
      imports: resolved.provided,
      packages: resolved.install.map((pkg) => ({ name: pkg.name, version: pkg.version, fileName: pkg.fileName })),
    };
    if (asked && options.ask) {
      const size = await downloadBytes(resolved.install);
      if (size !== undefined) request.downloadBytes = size;
      if ((await options.ask(request, signal)) !== 'allow' || signal?.aborted) return refuse('denied');
    }
    try {
      // Every wheel is fetched and verified before any is handed over: one bad file installs nothing.
      const fetched = await Promise.all(resolved.install.map((pkg) => wheel(pkg)));
      for (const { wheel: w, key, fresh } of fetched) if (fresh) await store.put(key, w.bytes).catch(() => undefined);
      for (const name of names) allowed.add(name);
      return { wheels: fetched.map((f) => f.wheel), index };
    } catch (error) {
      return { wheels: [], index, error: `isobox: ${message(error)}; nothing was installed` };
    }
  }
}

function toWheel(pkg: LockPackage, bytes: Uint8Array): PackageWheel {
  return { name: pkg.name, version: pkg.version, fileName: pkg.fileName.slice(pkg.fileName.lastIndexOf('/') + 1), installDir: pkg.installDir, bytes };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
