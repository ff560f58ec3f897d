import type { PyodideAPI } from 'pyodide';
import type { PackageDelivery, PackageNeed } from '../protocol.ts';
import { installMicropipShim, micropipRequests } from './micropip-shim.ts';
import { errorText, type ProgramIo, type ProgramResult } from './runtime.ts';

/**
 * Finds the top-level modules a program imports that nothing can import yet: it follows imports
 * into the workspace's own modules (a helper.py that imports numpy counts) and leaves out what the
 * standard library, installed packages or the workspace provide.
 */
const FIND_MISSING = String.raw`
def _isobox_missing_imports(code, script_dir):
    import importlib.util, os, sys
    from pyodide.code import find_imports
    seen, missing, sources = set(), [], [code]
    while sources:
        try:
            names = find_imports(sources.pop())
        except SyntaxError:
            continue
        for name in names:
            top = name.split(".")[0]
            if not top or top in seen:
                continue
            seen.add(top)
            local = [os.path.join(script_dir, top + ".py"), os.path.join(script_dir, top, "__init__.py")]
            found = next((p for p in local if os.path.isfile(p)), None)
            if found:
                with open(found, encoding="utf-8", errors="replace") as f:
                    sources.append(f.read())
                continue
            if os.path.isdir(os.path.join(script_dir, top)) or top in sys.modules:
                continue
            try:
                if importlib.util.find_spec(top) is not None:
                    continue
            except (ImportError, ValueError):
                pass
            missing.append(top)
    return missing
`;

/** Pyodide internals used to install a wheel the host already verified (what its own loadPackage calls). */
interface PackageApi {
  install(buffer: Uint8Array, filename: string, installDir: string, metadata: Map<string, string>): Promise<void>;
  package_loader: { get_install_dir(kind: string): string };
}

/** How packages were prepared for one run. */
export interface PreparedPackages {
  /** The run's io, with stderr watched for an import of a refused package. */
  io: ProgramIo;
  /** Set when the run must not start (the reason is already on stderr). */
  failed?: ProgramResult;
  /** Prints the refused packages' hint if the program ended on one of their imports. */
  finish(result: ProgramResult): void;
}

const installedFinder = new WeakSet<PyodideAPI>();

/**
 * Before a Python run: finds what the program imports that is not installed and asks the host
 * (io.packages) for it; the host asks the person and hands back verified wheels, installed here
 * into site-packages. Packages stay installed in this interpreter for later runs.
 */
export async function preparePackages(py: PyodideAPI, code: string, scriptPath: string, io: ProgramIo): Promise<PreparedPackages> {
  const none: PreparedPackages = { io, finish: () => undefined };
  installMicropipShim(py);
  if (!io.packages) return none;
  const imports = missingImports(py, code, scriptPath.slice(0, scriptPath.lastIndexOf('/')) || '/');
  const pypi = micropipRequests(code);
  if (imports.length === 0 && pypi.length === 0) return none;
  let delivery: PackageDelivery;
  try {
    delivery = await io.packages({ imports, loaded: Object.keys(py.loadedPackages), ...(pypi.length > 0 ? { pypi } : {}) } satisfies PackageNeed);
  } catch {
    // The host offers no packages (an older host, or none configured): the import fails as usual.
    return none;
  }
  if (delivery.error) {
    io.stderr(new TextEncoder().encode(`${delivery.error}\n`));
    return { io, failed: { status: 'error', exitCode: 1 }, finish: () => undefined };
  }
  try {
    await install(py, delivery);
  } catch (error) {
    io.stderr(new TextEncoder().encode(`isobox: installing packages failed: ${errorText(error)}\n`));
    return { io, failed: { status: 'error', exitCode: 1 }, finish: () => undefined };
  }
  const refused = delivery.refused;
  if (!refused) return none;
  return watchForRefused(io, refused);
}

/** Installs the missing-import finder's Python source in an interpreter (once; later calls do nothing). */
export function installImportFinder(py: PyodideAPI): void {
  if (installedFinder.has(py)) return;
  py.runPython(FIND_MISSING);
  installedFinder.add(py);
}

function missingImports(py: PyodideAPI, code: string, scriptDir: string): string[] {
  installImportFinder(py);
  type Finder = ((code: string, dir: string) => { toJs(): unknown; destroy(): void }) & { destroy(): void };
  let find = py.globals.get('_isobox_missing_imports') as Finder | undefined;
  if (!find) {
    // The interpreter's globals were reset since the finder was installed: install it again.
    py.runPython(FIND_MISSING);
    find = py.globals.get('_isobox_missing_imports') as Finder | undefined;
  }
  if (!find) return [];
  try {
    const result = find(code, scriptDir);
    const names = result.toJs() as string[];
    result.destroy();
    return names;
  } catch {
    // A finder failure must not stop the program: it then fails (or not) on its own imports.
    return [];
  } finally {
    find.destroy();
  }
}

async function install(py: PyodideAPI, delivery: PackageDelivery): Promise<void> {
  if (delivery.wheels.length === 0) return;
  const api = (py as unknown as { _api: PackageApi })._api;
  const loaded = py.loadedPackages as Record<string, string>;
  for (const wheel of delivery.wheels) {
    const dir = api.package_loader.get_install_dir(wheel.installDir);
    await api.install(wheel.bytes, wheel.fileName, dir, new Map([['INSTALLER', 'isobox'], ['PYODIDE_SOURCE', delivery.index]]));
    loaded[wheel.name] = delivery.index;
  }
  py.runPython('import importlib; importlib.invalidate_caches()');
}

/** Keeps the end of stderr; when the run ends on `No module named 'x'` for a refused x, prints the hint. */
function watchForRefused(io: ProgramIo, refused: NonNullable<PackageDelivery['refused']>): PreparedPackages {
  let tail = '';
  const decoder = new TextDecoder();
  const watched: ProgramIo = {
    ...io,
    stderr(bytes) {
      tail = (tail + decoder.decode(bytes, { stream: true })).slice(-2048);
      io.stderr(bytes);
    },
  };
  return {
    io: watched,
    finish(result) {
      if (result.status !== 'error') return;
      const missing = /No module named '([\w.]+)'/.exec(tail)?.[1]?.split('.')[0];
      if (missing && refused.imports.includes(missing)) io.stderr(new TextEncoder().encode(`${refused.hint}\n`));
    },
  };
}
