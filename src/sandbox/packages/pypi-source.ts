import type { PackageAnswer, PackageNeed, PackageRequest, PackageWheel } from '../protocol.ts';
import { normalizeName } from './lock.ts';
import { choosePureWheel, isPackageName, pypiDocumentUrl, wheelTopLevel, type PypiWheel } from './pypi.ts';
import { sha256Hex } from './sha256.ts';
import { wheelKey, type PackageStore } from './store.ts';

/** What the PyPI index contributes to one run. */
export interface PypiDelivery {
  wheels: PackageWheel[];
  /** Imports these wheels provide (the lock-file index need not look for them). */
  provided: string[];
  /** The run does not start: this message is printed. */
  error?: string;
}

export interface PypiSourceOptions {
  index: string;
  store: PackageStore;
  fetch: typeof globalThis.fetch;
  ask?: (request: PackageRequest, signal?: AbortSignal) => Promise<PackageAnswer>;
  /** The message when installing is not allowed (denied, or nothing can ask). */
  refusal(names: string[], reason: 'denied' | 'cannot-ask'): string;
}

/**
 * Pure-Python wheels from a PyPI-style JSON index, for `micropip.install` and `pip install`: the
 * host reads `<index>NAME/json`, asks, downloads the newest pure wheel and checks its sha256 against
 * the index's digest. Wheels installed in this source's lifetime are handed again to a fresh
 * interpreter whose program imports one of their modules.
 */
export function createPypiSource(options: PypiSourceOptions): (need: PackageNeed, signal?: AbortSignal) => Promise<PypiDelivery> {
  /** Allowed and verified wheels by normalized name, with the modules they provide. */
  const installed = new Map<string, { wheel: PackageWheel; modules: string[] }>();

  async function describe(name: string): Promise<PypiWheel> {
    const url = pypiDocumentUrl(options.index, name);
    let json: unknown;
    try {
      const response = await options.fetch(url, { cache: 'no-cache' });
      if (response.status === 404) throw new Error(`no package named "${name}" on ${options.index}`);
      if (!response.ok) throw new Error(`could not read ${url}: HTTP ${response.status}`);
      json = await response.json();
    } catch (error) {
      throw error instanceof Error && error.message.startsWith('no package') ? error : new Error(`could not read ${url}: ${message(error)}`, { cause: error });
    }
    return choosePureWheel(name, json, url);
  }

  async function download(pkg: PypiWheel): Promise<PackageWheel> {
    const key = wheelKey(pkg.fileName, pkg.sha256);
    let bytes = await options.store.get(key).catch(() => undefined);
    if (!bytes || (await sha256Hex(bytes)) !== pkg.sha256) {
      try {
        const response = await options.fetch(pkg.url);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        bytes = new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        throw new Error(`could not download ${pkg.fileName} (${pkg.url}): ${message(error)}`, { cause: error });
      }
      const actual = await sha256Hex(bytes);
      if (actual !== pkg.sha256) throw new Error(`${pkg.fileName} does not match the index's sha256 (expected ${pkg.sha256}, got ${actual}): refused`);
      await options.store.put(key, bytes).catch(() => undefined);
    }
    return { name: pkg.name, version: pkg.version, fileName: pkg.fileName, installDir: 'site', bytes };
  }

  return async (need, signal) => {
    const loaded = new Set(need.loaded.map(normalizeName));
    const wheels: PackageWheel[] = [];
    const provided: string[] = [];
    // Imports of wheels installed earlier from PyPI (by a `pip install` in another run).
    for (const [key, entry] of installed) {
      const imports = need.imports.filter((module) => entry.modules.includes(module));
      if (imports.length === 0 || loaded.has(key)) continue;
      wheels.push(entry.wheel);
      provided.push(...imports);
      loaded.add(key);
    }
    const wanted = [...new Set((need.pypi ?? []).filter((name) => !loaded.has(normalizeName(name))))];
    const bad = wanted.find((name) => !isPackageName(name));
    if (bad !== undefined) return { wheels: [], provided: [], error: `isobox: "${bad}" is not a package name; only names from the PyPI index can be installed (no versions, URLs or files)` };
    const fresh = wanted.filter((name) => !installed.has(normalizeName(name)));
    for (const name of wanted) {
      const entry = installed.get(normalizeName(name));
      if (entry) wheels.push(entry.wheel);
    }
    if (fresh.length === 0) return { wheels, provided };
    let chosen: PypiWheel[];
    try {
      chosen = await Promise.all(fresh.map((name) => describe(name)));
    } catch (error) {
      return { wheels: [], provided: [], error: `isobox: ${message(error)}` };
    }
    const names = chosen.map((pkg) => pkg.name);
    if (!options.ask) return { wheels: [], provided: [], error: options.refusal(names, 'cannot-ask') };
    const sizes = chosen.map((pkg) => pkg.size);
    const request: PackageRequest = {
      index: options.index,
      imports: [],
      packages: chosen.map((pkg) => ({ name: pkg.name, version: pkg.version, fileName: pkg.fileName })),
      ...(sizes.every((size) => size !== undefined) ? { downloadBytes: sizes.reduce<number>((a, b) => a + (b ?? 0), 0) } : {}),
    };
    if ((await options.ask(request, signal)) !== 'allow' || signal?.aborted) return { wheels: [], provided: [], error: options.refusal(names, 'denied') };
    try {
      // Every wheel is downloaded and verified before any is handed over: one bad file installs nothing.
      const fetched = await Promise.all(chosen.map((pkg) => download(pkg)));
      for (const wheel of fetched) {
        const modules = wheelTopLevel(wheel.bytes);
        installed.set(normalizeName(wheel.name), { wheel, modules });
        wheels.push(wheel);
      }
      return { wheels, provided };
    } catch (error) {
      return { wheels: [], provided: [], error: `isobox: ${message(error)}; nothing was installed` };
    }
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
