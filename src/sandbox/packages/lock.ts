/**
 * Pyodide's package lock file (`pyodide-lock.json`), the parts Isobox reads: which package provides
 * an import, what it depends on, and the wheel file with its sha256.
 */

/** One package of a lock file. */
export interface LockPackage {
  name: string;
  version: string;
  /** The wheel's file name (relative to the index folder) or an absolute URL. */
  fileName: string;
  sha256: string;
  /** `site` (site-packages) or `dynlib` (a shared library on the loader's path). */
  installDir: 'site' | 'dynlib';
  imports: string[];
  depends: string[];
}

/** A parsed lock file: packages by normalized name, and import name → package name. */
export interface Lock {
  /** The Python version the wheels were built for, e.g. `3.14.2`. */
  python: string;
  packages: Map<string, LockPackage>;
  importToPackage: Map<string, string>;
}

/** PEP 503 normalization, as Pyodide keys its lock file. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Parses a lock file's JSON; throws an Error saying what is wrong with it. */
export function parseLock(text: string): Lock {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('pyodide-lock.json is not valid JSON');
  }
  const root = raw as { info?: { python?: unknown }; packages?: unknown };
  if (typeof root !== 'object' || root === null || typeof root.packages !== 'object' || root.packages === null) {
    throw new Error('pyodide-lock.json has no "packages"');
  }
  const packages = new Map<string, LockPackage>();
  const importToPackage = new Map<string, string>();
  for (const [key, value] of Object.entries(root.packages as Record<string, unknown>)) {
    const entry = value as Record<string, unknown>;
    const strings = (field: unknown): string[] => (Array.isArray(field) ? field.filter((x): x is string => typeof x === 'string') : []);
    if (typeof entry.file_name !== 'string' || typeof entry.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(entry.sha256)) {
      throw new Error(`pyodide-lock.json: package "${key}" has no file_name or sha256`);
    }
    const name = normalizeName(key);
    const pkg: LockPackage = {
      name: typeof entry.name === 'string' ? entry.name : key,
      version: typeof entry.version === 'string' ? entry.version : '',
      fileName: entry.file_name,
      sha256: entry.sha256.toLowerCase(),
      installDir: entry.install_dir === 'dynlib' ? 'dynlib' : 'site',
      imports: strings(entry.imports),
      depends: strings(entry.depends).map(normalizeName),
    };
    packages.set(name, pkg);
    for (const module of pkg.imports) importToPackage.set(module, name);
  }
  return { python: typeof root.info?.python === 'string' ? root.info.python : '', packages, importToPackage };
}

/** What a set of imports needs from a lock file. */
export interface Resolution {
  /** Packages to install, dependencies before their dependents. */
  install: LockPackage[];
  /** The imports that some package of the lock provides (the rest are unknown to the index). */
  provided: string[];
}

/**
 * The packages (with their dependencies, dependencies first) that provide `imports`, leaving out
 * those already `loaded` (normalized names) and their own dependencies.
 */
export function resolveImports(lock: Lock, imports: string[], loaded: Iterable<string>): Resolution {
  const done = new Set([...loaded].map(normalizeName));
  const install: LockPackage[] = [];
  const provided: string[] = [];
  const visit = (name: string, trail: Set<string>): void => {
    if (done.has(name) || trail.has(name)) return;
    const pkg = lock.packages.get(name);
    if (!pkg) throw new Error(`pyodide-lock.json: a dependency "${name}" is not in the lock file`);
    trail.add(name);
    for (const dependency of pkg.depends) visit(dependency, trail);
    done.add(name);
    install.push(pkg);
  };
  for (const module of imports) {
    const name = lock.importToPackage.get(module);
    if (!name) continue;
    provided.push(module);
    visit(name, new Set());
  }
  return { install, provided };
}
