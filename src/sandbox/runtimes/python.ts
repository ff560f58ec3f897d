import type { PyodideAPI } from 'pyodide';
import type { SnapshotStore } from '../protocol.ts';
import type { FileTree } from '../worker/tree.ts';
import { NO_AUDIT, errorText, type AuditSink, type ProgramIo, type ProgramResult, type ReportStatus } from './runtime.ts';
import { PYTHON_DRIVER } from './python-driver.ts';
import { warmWhenIdle } from './python-warm.ts';
import { preparePackages } from './python-packages.ts';
import { createPythonDebugger, type PythonDebugHandle } from './python-debugger.ts';

/** How to start Pyodide: from a memory snapshot, or from scratch (optionally able to make one). */
export type PyodideStart = { snapshot: Uint8Array } | { makeSnapshot: boolean };

/** How the worker entry for this environment loads Pyodide (URL in a browser, node_modules in Node). */
export interface PythonRuntimeDeps {
  loadPyodide(start: PyodideStart): Promise<PyodideAPI>;
  report: ReportStatus;
  /** Where start-up snapshots are kept; without one, every interpreter starts from scratch. */
  snapshots?: SnapshotStore;
}

/** Pyodide's snapshot call (public but undocumented in its types' `PyodideAPI`). */
type Snapshotting = PyodideAPI & { makeMemorySnapshot(): Uint8Array };

/** The Python runtime: one Pyodide interpreter per worker, reused across runs. */
export interface PythonRuntime {
  /** Loads Pyodide (once) and returns its Python version, e.g. `Python 3.13.2`. */
  ready(): Promise<string>;
  run(tree: FileTree, io: ProgramIo, code: string, filename: string): Promise<ProgramResult>;
}

const ROOT = '/workspace';

/** The subset of Emscripten's FS the runtime uses. */
interface EmscriptenFs {
  mkdirTree(path: string): void;
  writeFile(path: string, data: Uint8Array): void;
  readFile(path: string): Uint8Array;
  readdir(path: string): string[];
  stat(path: string): { mode: number; size: number; mtime: Date | number };
  isDir(mode: number): boolean;
  unlink(path: string): void;
  rmdir(path: string): void;
  utime(path: string, atime: number, mtime: number): void;
  analyzePath(path: string): { exists: boolean };
  chdir(path: string): void;
}

/** Creates the Python runtime; Pyodide loads on the first `ready()` or `run()`. */
export function createPythonRuntime(deps: PythonRuntimeDeps): PythonRuntime {
  let loading: Promise<{ py: PyodideAPI; version: string }> | undefined;
  let dead: string | undefined;
  /** The audit of the run in progress; the interpreter's audit hook reports into it. */
  let audit: AuditSink = NO_AUDIT;
  /** Bytes last copied into Pyodide's file system, so only changed files are copied again. */
  const mirrored = new Map<string, Uint8Array>();
  /** Set by the first run: from then on nothing else may run in the interpreter (see warmWhenIdle). */
  let runStarted = false;

  function load(): Promise<{ py: PyodideAPI; version: string }> {
    loading ??= (async () => {
      deps.report('loading', 'loading Python…');
      try {
        const py = await startInterpreter(deps);
        py.runPython(PYTHON_DRIVER);
        installAuditHook(py, () => audit);
        fs(py).mkdirTree(ROOT);
        const version = `Python ${String(py.runPython('import sys; sys.version.split()[0]'))}`;
        deps.report('ready', version);
        warmWhenIdle(py, () => runStarted);
        return { py, version };
      } catch (error) {
        deps.report('failed', `Python failed to load: ${errorText(error)}`);
        loading = undefined;
        throw error;
      }
    })();
    return loading;
  }

  return {
    async ready() {
      return (await load()).version;
    },

    async run(tree, io, code, filename) {
      runStarted = true;
      if (dead) return crashed(io, dead);
      const { py } = await load();
      audit = io.audit;
      stageIn(fs(py), tree, mirrored);
      // Packages the program imports are installed (once the person allowed them) before it starts.
      const packages = await preparePackages(py, code, filename.startsWith('/') ? filename : `${ROOT}/${filename}`, io);
      if (packages.failed) return ((audit = NO_AUDIT), packages.failed);
      io = packages.io;
      connectStreams(py, io);
      setInteractive(py, io.terminal !== undefined);
      py.setInterruptBuffer(io.interrupt);
      const path = filename.startsWith('/') ? filename : `${ROOT}/${filename}`;
      const cwd = io.cwd === '' ? ROOT : `${ROOT}/${io.cwd}`;
      let result: ProgramResult;
      let debug: PythonDebugHandle | undefined;
      try {
        const runner = py.globals.get('_isobox_run') as EntryPoint;
        debug = io.debug && createPythonDebugger(py, io.debug, io.interrupt, () => io.flushOutput?.());
        const env = py.toPy(io.env) as { destroy(): void };
        // Like CPython: `python -c CODE` sees "-c" as argv[0].
        const argv0 = filename === '<string>' ? '-c' : path;
        const proxy = await callEntry(runner, [code, path, [argv0, ...io.args], cwd, env, debug?.debugger]);
        env.destroy();
        const [exitCode, status] = proxy.toJs() as [number, ProgramResult['status']];
        proxy.destroy();
        result = { status, exitCode };
      } catch (error) {
        result = fatal(io, error);
        if (result.status === 'crashed' || result.status === 'oom' || !alive(py)) {
          dead = errorText(error);
          // The host replaces a worker whose run crashed; the next run gets a fresh interpreter.
          if (result.status !== 'oom') result = { status: 'crashed', exitCode: result.exitCode === 1 ? 134 : result.exitCode };
        }
      } finally {
        debug?.destroy();
        py.setInterruptBuffer(new Int32Array(1));
      }
      if (!dead) stageOut(fs(py), tree, mirrored);
      io.audit.memory(heapBytes(py));
      audit = NO_AUDIT;
      packages.finish(result);
      return result;
    },
  };
}

/**
 * Starts Pyodide from the stored snapshot when there is one (it skips the interpreter's own
 * start-up); otherwise from scratch, and then stores a snapshot of the pristine interpreter,
 * taken before the run driver, any stream hook or any user code touches it.
 */
async function startInterpreter(deps: PythonRuntimeDeps): Promise<PyodideAPI> {
  const store = deps.snapshots;
  const snapshot = await store?.load().catch(() => undefined);
  if (snapshot) {
    try {
      return await deps.loadPyodide({ snapshot });
    } catch {
      // Made by another Pyodide build, or damaged: start from scratch and replace it.
      await store?.discard().catch(() => undefined);
    }
  }
  const py = await deps.loadPyodide({ makeSnapshot: store !== undefined });
  if (store) {
    try {
      void store.save((py as Snapshotting).makeMemorySnapshot()).catch(() => undefined);
    } catch {
      // A snapshot is an optimisation: Python works the same without one.
    }
  }
  return py;
}

/** Connects the driver's PEP 578 audit hook to whichever run is in progress. */
function installAuditHook(py: PyodideAPI, current: () => AuditSink): void {
  const install = py.globals.get('_isobox_install_audit') as ((report: (kind: string, detail: string) => void) => void) & { destroy(): void };
  install((kind, detail) => {
    const sink = current();
    if (kind === 'read') {
      if (detail.startsWith(`${ROOT}/`)) sink.fileRead(detail.slice(ROOT.length + 1));
    } else if (kind === 'network') {
      sink.block('network', detail, 'network is off');
    } else if (kind === 'syscall') {
      sink.block('syscall', detail, 'no processes in the sandbox');
    }
  });
  install.destroy();
}

/** Size of the interpreter's WebAssembly memory (it only grows, so after a run it is the peak). */
function heapBytes(py: PyodideAPI): number {
  const module = (py as unknown as { _module?: { HEAP8?: Int8Array } })._module;
  return module?.HEAP8?.buffer.byteLength ?? 0;
}

/** Whether the interpreter still runs code (a JS stack overflow inside Python kills it for good). */
function alive(py: PyodideAPI): boolean {
  try {
    py.runPython('None');
    return true;
  } catch {
    return false;
  }
}

function fs(py: PyodideAPI): EmscriptenFs {
  return py.FS as unknown as EmscriptenFs;
}

/** Copies the tree into Pyodide's /workspace; files already there with the same bytes are left alone. */
function stageIn(efs: EmscriptenFs, tree: FileTree, mirrored: Map<string, Uint8Array>): void {
  // The last run's directory may be removed below; the interpreter must not be left inside it.
  efs.chdir(ROOT);
  const wanted = new Set<string>();
  for (const dir of tree.allDirs()) efs.mkdirTree(`${ROOT}/${dir}`);
  for (const [path, data] of tree.allFiles()) {
    wanted.add(path);
    const full = `${ROOT}/${path}`;
    if (mirrored.get(path) !== data || !efs.analyzePath(full).exists) {
      efs.mkdirTree(full.slice(0, full.lastIndexOf('/')));
      efs.writeFile(full, data);
      mirrored.set(path, data);
    }
    // mtime 0 marks "as staged": any write by the program gives a later mtime.
    efs.utime(full, 0, 0);
  }
  for (const { path, isDir } of walk(efs, ROOT, '')) {
    if (isDir) continue;
    if (!wanted.has(path)) {
      efs.unlink(`${ROOT}/${path}`);
      mirrored.delete(path);
    }
  }
  const dirs = new Set(tree.allDirs());
  const extraDirs = walk(efs, ROOT, '').filter((e) => e.isDir && !dirs.has(e.path)).map((e) => e.path);
  for (const dir of extraDirs.sort().reverse()) efs.rmdir(`${ROOT}/${dir}`);
}

/** Copies what the program changed in Pyodide's /workspace back into the tree. */
function stageOut(efs: EmscriptenFs, tree: FileTree, mirrored: Map<string, Uint8Array>): void {
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();
  for (const { path, isDir, mtime } of walk(efs, ROOT, '')) {
    if (isDir) {
      seenDirs.add(path);
      if (!tree.isDir(path)) tree.mkdir(path);
      continue;
    }
    seenFiles.add(path);
    if (mtime === 0 && mirrored.has(path)) continue;
    const data = efs.readFile(`${ROOT}/${path}`);
    tree.writeFile(path, data);
    mirrored.set(path, data);
    efs.utime(`${ROOT}/${path}`, 0, 0);
  }
  for (const [path] of [...tree.allFiles()]) {
    if (!seenFiles.has(path)) {
      tree.remove(path);
      mirrored.delete(path);
    }
  }
  for (const dir of [...tree.allDirs()].sort().reverse()) {
    if (!seenDirs.has(dir) && tree.isDir(dir)) tree.remove(dir);
  }
}

interface WalkEntry {
  path: string;
  isDir: boolean;
  mtime: number;
}

function walk(efs: EmscriptenFs, root: string, rel: string): WalkEntry[] {
  const out: WalkEntry[] = [];
  const dir = rel === '' ? root : `${root}/${rel}`;
  for (const name of efs.readdir(dir)) {
    if (name === '.' || name === '..') continue;
    const path = rel === '' ? name : `${rel}/${name}`;
    const stat = efs.stat(`${root}/${path}`);
    const isDir = efs.isDir(stat.mode);
    out.push({ path, isDir, mtime: Number(stat.mtime instanceof Date ? stat.mtime.getTime() : stat.mtime) });
    if (isDir) out.push(...walk(efs, root, path));
  }
  return out;
}

/** Points Python's stdio at this run: raw bytes out as they are written, stdin from the run's input or the user's terminal. */
function connectStreams(py: PyodideAPI, io: ProgramIo): void {
  // Pyodide answers TIOCGWINSZ (os.get_terminal_size) from the devices' getTerminalSize.
  const getTerminalSize = (): { columns: number; rows: number } => terminalSize(io.env);
  // isatty makes CPython line-buffer stdout, so `print` shows up while the program runs.
  py.setStdout({ write: (buffer: Uint8Array) => (io.stdout(buffer.slice()), buffer.length), isatty: true, getTerminalSize } as Parameters<PyodideAPI['setStdout']>[0]);
  py.setStderr({ write: (buffer: Uint8Array) => (io.stderr(buffer.slice()), buffer.length), isatty: true, getTerminalSize } as Parameters<PyodideAPI['setStderr']>[0]);
  const terminal = io.terminal;
  if (terminal) {
    py.setStdin({
      read: (buffer: Uint8Array) => {
        // Python released its GIL around this read: no Python may be called from here.
        const got = terminal.read(buffer.length);
        // EINTR makes CPython check for signals, where Pyodide raises KeyboardInterrupt from the interrupt buffer.
        if (got === 'interrupted') throw Object.assign(new Error('interrupted'), { code: 'EINTR' });
        buffer.set(got);
        return got.length;
      },
      isatty: true,
      getTerminalSize,
    } as Parameters<PyodideAPI['setStdin']>[0]);
    return;
  }
  let offset = 0;
  py.setStdin({
    read: (buffer: Uint8Array) => {
      const n = Math.min(buffer.length, io.stdin.length - offset);
      buffer.set(io.stdin.subarray(offset, offset + n));
      offset += n;
      return n;
    },
  });
}

/** The driver's `_isobox_run`, as Pyodide hands it to JavaScript. */
type EntryPoint = ((...args: unknown[]) => EntryResult) & { callPromising(...args: unknown[]): Promise<EntryResult> };
type EntryResult = { toJs(): unknown[]; destroy(): void };

/** Whether this JavaScript runtime has WebAssembly stack switching (JSPI: Chromium has it, Node 20 not). */
const STACK_SWITCHING = typeof (WebAssembly as { Suspending?: unknown }).Suspending === 'function';

/**
 * Calls the run driver so that the program may switch stacks where the runtime can: then
 * `asyncio.run`, `run_until_complete` and `pyodide.ffi.run_sync` work inside an ordinary script.
 */
function callEntry(entry: EntryPoint, args: unknown[]): Promise<EntryResult> {
  return STACK_SWITCHING ? entry.callPromising(...args) : Promise.resolve(entry(...args));
}

/** Tells the driver whether this run's stdin is the user's terminal (it then leaves stdout unbuffered). */
function setInteractive(py: PyodideAPI, interactive: boolean): void {
  const set = py.globals.get('_isobox_set_interactive') as ((flag: boolean) => void) & { destroy(): void };
  set(interactive);
  set.destroy();
}

/** The terminal size a program sees: COLUMNS and LINES when they hold positive numbers, else 80×24. */
export function terminalSize(env: Record<string, string>): { columns: number; rows: number } {
  const positive = (value: string | undefined, fallback: number): number => {
    const n = Number(value);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return { columns: positive(env.COLUMNS, 80), rows: positive(env.LINES, 24) };
}

/** Maps an error that escaped the driver (the interpreter itself failed) to a result. */
function fatal(io: ProgramIo, error: unknown): ProgramResult {
  const text = errorText(error);
  if (/KeyboardInterrupt/.test(text)) return { status: 'interrupted', exitCode: 130 };
  if (/MemoryError|out of memory|OOM|Cannot enlarge memory|Array buffer allocation failed/i.test(text)) {
    io.stderr(new TextEncoder().encode(`MemoryError: the program ran out of memory\n`));
    return { status: 'oom', exitCode: 137 };
  }
  if (/Maximum call stack size exceeded|RangeError/.test(text)) {
    io.stderr(new TextEncoder().encode(`RecursionError: the program overflowed the stack\n`));
    return { status: 'error', exitCode: 1 };
  }
  return crashed(io, text);
}

function crashed(io: ProgramIo, text: string): ProgramResult {
  io.stderr(new TextEncoder().encode(`isobox: the Python runtime crashed: ${text}\n`));
  return { status: 'crashed', exitCode: 134 };
}
