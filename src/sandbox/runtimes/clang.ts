/**
 * C and C++ through @yowasp/clang (clang + wasm-ld compiled to WebAssembly): compiles files of
 * the workspace to wasm32-wasip1 (yowasp's default target and sysroot), and "Run" = compile +
 * run through the WASI runner. The ~100 MB toolchain loads once, on first use, with progress.
 */
import type { Tree } from '@yowasp/clang';
import { WorkspaceError, joinPath, normalizePath } from '../fs/paths.ts';
import type { FileTree } from '../worker/tree.ts';
import { errorText, type ProgramIo, type ProgramResult, type ReportStatus } from './runtime.ts';
import { EXIT_INTERRUPTED, EXIT_TRAP, Interrupted, compileWasm, createWasiRunner, type RunWasi } from './wasi.ts';
import { START_IN_PWD_FLAGS, START_IN_PWD_PATH, START_IN_PWD_SOURCE } from './wasi-startup.ts';

const startInPwdHeader = new TextEncoder().encode(START_IN_PWD_SOURCE);

/** The @yowasp/clang module, imported lazily by the worker entry. */
export type ClangModule = typeof import('@yowasp/clang');

/** How the worker entry loads the toolchain (its assets sit next to its bundle.js). */
export interface ClangRuntimeDeps {
  loadClang(): Promise<ClangModule>;
  report: ReportStatus;
}

/** The C/C++ toolchain of a worker. */
export interface ClangRuntime {
  /** Loads the toolchain and its resources (once); returns e.g. `clang 22.0.0`. */
  ready(): Promise<string>;
  /**
   * Runs `clang`/`clang++` with `args` (cc's argv without the program name) in `io.cwd`, as
   * `cc` would: output defaults to `a.out`; outputs are written into the tree; diagnostics
   * stream to stderr; a failed compile is `error` with clang's exit code.
   */
  compile(tree: FileTree, io: ProgramIo, args: string[], cxx: boolean): Promise<ProgramResult>;
  /**
   * "Run" for C/C++: compiles `code` as `filename` (workspace-relative, like the other runtimes;
   * the workspace's copy of that file is not read or changed) with `-O2`, then runs the program
   * in `io.cwd` with `io.args`. The binary lives in memory only: nothing of the compile is
   * written to the workspace (repeated runs of the same binary reuse its compiled module).
   */
  compileAndRun(tree: FileTree, io: ProgramIo, code: string, filename: string, cxx: boolean): Promise<ProgramResult>;
}

/** Flags "Run" compiles with. */
export const RUN_FLAGS = ['-O2'];

/** Included into programs run at a terminal: stdout unbuffered, so `printf("a = "); scanf(…)` shows its prompt. */
const UNBUFFERED_STDOUT = {
  path: '.isobox-interactive.h',
  source: '#include <stdio.h>\n__attribute__((constructor)) static void isobox_unbuffered_stdout(void) { setvbuf(stdout, NULL, _IONBF, 0); }\n',
};

/** The sysroot ships no unwinder: C++ exceptions cannot link, so they are off unless asked for. */
const CXX_DEFAULT_FLAGS = ['-fno-exceptions'];

/** Directories the toolchain owns in its virtual root (it removes them from its output). */
const RESERVED = new Set(['tmp', 'usr']);

/** Where the whole workspace also appears in the toolchain's root, so `/workspace/...` paths work. */
const WORKSPACE_ALIAS = 'workspace';

/** Creates the clang runtime; `runWasi` runs what `compileAndRun` builds. */
export function createClangRuntime(deps: ClangRuntimeDeps, runWasi: RunWasi = createWasiRunner()): ClangRuntime {
  let loading: Promise<{ clang: ClangModule; version: string }> | undefined;

  function load(): Promise<{ clang: ClangModule; version: string }> {
    loading ??= (async () => {
      deps.report('loading', 'loading clang…', 0);
      try {
        const clang = await deps.loadClang();
        let shown = -1;
        // Called without arguments, a command only fetches the resources (wasm + sysroot).
        await clang.commands.clang(undefined, {}, {
          fetchProgress: ({ totalLength, doneLength }) => {
            const fraction = totalLength > 0 ? Math.min(1, doneLength / totalLength) : 0;
            const percent = Math.floor(fraction * 100);
            if (percent === shown) return;
            shown = percent;
            deps.report('loading', `downloading clang ${percent}%`, fraction);
          },
        });
        const raw = (clang as unknown as { version?: unknown }).version;
        const version = `clang ${typeof raw === 'string' ? raw.replace(/-.*$/, '') : ''}`.trim();
        deps.report('ready', version);
        return { clang, version };
      } catch (error) {
        deps.report('failed', `clang failed to load: ${errorText(error)}`);
        loading = undefined;
        throw error;
      }
    })();
    return loading;
  }

  /** Runs one clang command on `files`; returns its output tree, or how it failed. */
  async function invoke(io: ProgramIo, args: string[], cxx: boolean, files: Tree): Promise<{ files: Tree } | { failed: ProgramResult }> {
    const say = (text: string): void => io.stderr(new TextEncoder().encode(`${cxx ? 'clang++' : 'clang'}: ${text}\n`));
    let clang: ClangModule;
    try {
      ({ clang } = await load());
    } catch (error) {
      say(`the compiler could not be loaded: ${errorText(error)}`);
      return { failed: { status: 'error', exitCode: 1 } };
    }
    const stream = (sink: (bytes: Uint8Array) => void) => (bytes: Uint8Array | null) => {
      // The only place the toolchain calls out while it works: honour interrupts here.
      if (Atomics.load(io.interrupt, 0) !== 0) throw new Interrupted();
      if (bytes && bytes.byteLength > 0) sink(bytes.slice());
    };
    const flags = [...START_IN_PWD_FLAGS, ...(cxx && !args.some((a) => /^-f(no-)?(wasm-)?exceptions$/.test(a)) ? [...CXX_DEFAULT_FLAGS, ...args] : args)];
    // Programs start in their working directory (see wasi-startup.ts); the header is not an output.
    files[START_IN_PWD_PATH.slice(1)] = startInPwdHeader;
    try {
      if (Atomics.load(io.interrupt, 0) !== 0) throw new Interrupted();
      const out = await clang.commands[cxx ? 'clang++' : 'clang'](flags, files, {
        stdout: stream(io.stdout),
        stderr: stream(io.stderr),
        decodeASCII: false,
      });
      return { files: out ?? {} };
    } catch (error) {
      if (error instanceof clang.Exit) return { failed: { status: 'error', exitCode: error.code || 1 } };
      if (error instanceof Interrupted) return { failed: { status: 'interrupted', exitCode: EXIT_INTERRUPTED } };
      say(`crashed: ${errorText(error)}`);
      return { failed: { status: 'crashed', exitCode: EXIT_TRAP } };
    }
  }

  return {
    async ready() {
      return (await load()).version;
    },

    async compile(tree, io, args, cxx) {
      const cwd = workingDir(tree, io);
      if (cwd === undefined) return { status: 'error', exitCode: 1 };
      const input = toolchainRoot(tree, cwd);
      const out = await invoke(io, args, cxx, input);
      if ('failed' in out) return out.failed;
      for (const skipped of writeOutputs(tree, cwd, input, out.files)) {
        io.stderr(new TextEncoder().encode(`clang: could not save ${JSON.stringify(skipped)}\n`));
      }
      return { status: 'ok', exitCode: 0 };
    },

    async compileAndRun(tree, io, code, filename, cxx) {
      if (workingDir(tree, io) === undefined) return { status: 'error', exitCode: 1 };
      let source: string;
      try {
        source = normalizePath(filename);
      } catch (error) {
        io.stderr(new TextEncoder().encode(`clang: ${errorText(error)}\n`));
        return { status: 'error', exitCode: 1 };
      }
      // Compiled from the workspace root (includes resolve next to the source); run in io.cwd.
      const files = toolchainRoot(tree, '');
      setIn(files, source, new TextEncoder().encode(code));
      const output = `.isobox-run-${Math.random().toString(36).slice(2)}.wasm`;
      // wasi-libc does not flush stdout before reading stdin: at a terminal, a prompt must show first.
      if (io.terminal) setIn(files, UNBUFFERED_STDOUT.path, new TextEncoder().encode(UNBUFFERED_STDOUT.source));
      const interactive = io.terminal ? ['-include', UNBUFFERED_STDOUT.path] : [];
      const out = await invoke(io, [source, '-o', output, ...RUN_FLAGS, ...interactive], cxx, files);
      if ('failed' in out) return out.failed;
      const binary = out.files[output];
      if (!(binary instanceof Uint8Array)) {
        io.stderr(new TextEncoder().encode('clang: the compiler produced no program\n'));
        return { status: 'error', exitCode: 1 };
      }
      const argv0 = source.slice(source.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '') || 'a.out';
      return runWasi(tree, io, await compileWasm(binary), argv0);
    },
  };
}

/** The normalized working directory, or undefined (with a message) when it is not a directory. */
function workingDir(tree: FileTree, io: ProgramIo): string | undefined {
  try {
    const cwd = normalizePath(io.cwd);
    if (tree.isDir(cwd)) return cwd;
    throw new WorkspaceError('ENOENT', `working directory not found: ${cwd}`);
  } catch (error) {
    io.stderr(new TextEncoder().encode(`clang: ${errorText(error)}\n`));
    return undefined;
  }
}

/**
 * The toolchain's virtual root: yowasp runs clang with cwd `/`, so the working directory's files
 * sit at the root, and the whole workspace again under `/workspace` for absolute paths. (A
 * `workspace`, `tmp` or `usr` directory in the working directory is shadowed.)
 */
function toolchainRoot(tree: FileTree, cwd: string): Tree {
  const root = treeOf(tree, cwd);
  root[WORKSPACE_ALIAS] = treeOf(tree, '');
  return root;
}

/**
 * The files under `dir` as a yowasp Tree. The arrays are the FileTree's own: yowasp replaces
 * file data on write and never mutates it, and unchanged outputs come back as the same arrays.
 */
function treeOf(tree: FileTree, dir: string): Tree {
  const root: Tree = {};
  const prefix = dir === '' ? '' : `${dir}/`;
  for (const path of tree.allDirs()) {
    if (path.startsWith(prefix) && path !== dir) ensureDir(root, path.slice(prefix.length).split('/'));
  }
  for (const [path, data] of tree.allFiles()) {
    if (path.startsWith(prefix)) setIn(root, path.slice(prefix.length), data);
  }
  return root;
}

function ensureDir(root: Tree, parts: string[]): Tree {
  let node = root;
  for (const part of parts) {
    const next = node[part];
    if (next === undefined || typeof next === 'string' || next instanceof Uint8Array) {
      const created: Tree = {};
      node[part] = created;
      node = created;
    } else {
      node = next;
    }
  }
  return node;
}

function setIn(root: Tree, path: string, data: Uint8Array): void {
  const parts = path.split('/');
  const name = parts.pop() ?? path;
  ensureDir(root, parts)[name] = data;
}

/**
 * Writes files the compile created or changed (anything not the very input array) into the
 * tree: under `cwd`, or from the root for the `/workspace` alias. Removals are not applied: the
 * toolchain drops its own `tmp`/`usr` from the output, which must not delete the user's
 * directories of those names. Returns skipped names.
 */
function writeOutputs(tree: FileTree, cwd: string, input: Tree, output: Tree): string[] {
  const skipped: string[] = [];
  const walk = (out: Tree, before: Tree | undefined, dir: string, top: boolean): void => {
    for (const [name, entry] of Object.entries(out)) {
      if (top && RESERVED.has(name)) continue;
      const old = before?.[name];
      if (top && name === WORKSPACE_ALIAS) {
        if (isDir(entry)) walk(entry, isDir(old) ? old : undefined, '', false);
        continue;
      }
      let path: string;
      try {
        path = joinPath(dir, name);
      } catch {
        skipped.push(dir === '' ? name : `${dir}/${name}`);
        continue;
      }
      if (typeof entry === 'string' || entry instanceof Uint8Array) {
        if (entry === old) continue;
        tree.writeFile(path, typeof entry === 'string' ? new TextEncoder().encode(entry) : entry);
      } else {
        tree.mkdir(path);
        walk(entry, isDir(old) ? old : undefined, path, false);
      }
    }
  };
  walk(output, input, cwd, true);
  return skipped;
}

function isDir(entry: Tree[string] | undefined): entry is Tree {
  return typeof entry === 'object' && !(entry instanceof Uint8Array);
}
