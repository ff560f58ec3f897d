/**
 * Ruby through ruby.wasm (a WASI reactor) and @ruby/wasm-wasi's RubyVM, on
 * @bjorn3/browser_wasi_shim with the workspace at /workspace.
 *
 * Every run gets a fresh VM: state (classes, globals, monkey patches, `$stdout`) never leaks
 * from one run into the next. The VM for the next run is built in the background right after a
 * run (and by `ready()`), so a run normally starts on a warm VM.
 */
import { Directory, WASI } from '@bjorn3/browser_wasi_shim';
import { RubyVM } from '@ruby/wasm-wasi/dist/vm';
import { normalizePath } from '../fs/paths.ts';
import type { FileTree } from '../worker/tree.ts';
import type { AuditSink, ProgramIo, ProgramResult, ReportStatus } from './runtime.ts';
import { EXIT_OOM, Interrupted, classifyFailure, patchWasiImports } from './wasi.ts';
import { RunStdinFd } from './wasi-stdin.ts';
import { OutputFd, PreopenFd, WORKSPACE_ROOT, mountWorkspace } from './wasi-fs.ts';
import { auditWasiImports } from './wasi-audit.ts';

/** How the worker entry for this environment loads ruby.wasm (compiled, not instantiated). */
export interface RubyRuntimeDeps {
  loadModule(): Promise<WebAssembly.Module>;
  report: ReportStatus;
}

/** The Ruby runtime of a worker. */
export interface RubyRuntime {
  /** Loads ruby.wasm (once), prepares a VM and returns the version, e.g. `Ruby 3.4.1`. */
  ready(): Promise<string>;
  /**
   * Runs `code` as the script `filename` (workspace-relative, like python's; see `scriptName`)
   * with `ARGV` = `io.args`, in `io.cwd`.
   */
  run(tree: FileTree, io: ProgramIo, code: string, filename: string): Promise<ProgramResult>;
}

/** One VM with its WASI plumbing; the stdio sinks and the workspace are rebound per run. */
interface RubyInstance {
  vm: RubyVM;
  stdin: RunStdinFd;
  stdout: OutputFd;
  stderr: OutputFd;
  /** The `/` preopen (fd 3); its directory is replaced by each run's mount. */
  root: PreopenFd;
  run: { interrupt?: Int32Array; audit?: AuditSink };
  memory: WebAssembly.Memory;
}

const discard = (): void => undefined;

/** Creates the Ruby runtime; nothing loads until `ready()` or the first `run()`. */
export function createRubyRuntime(deps: RubyRuntimeDeps): RubyRuntime {
  let loading: Promise<{ module: WebAssembly.Module; version: string }> | undefined;
  let spare: Promise<RubyInstance> | undefined;

  function load(): Promise<{ module: WebAssembly.Module; version: string }> {
    loading ??= (async () => {
      deps.report('loading', 'loading Ruby…');
      try {
        const module = await deps.loadModule();
        const first = await instantiate(module);
        spare = Promise.resolve(first);
        const version = `Ruby ${first.vm.eval('RUBY_VERSION').toString()}`;
        deps.report('ready', version);
        return { module, version };
      } catch (error) {
        deps.report('failed', `Ruby failed to load: ${error instanceof Error ? error.message : String(error)}`);
        loading = undefined;
        throw error;
      }
    })();
    return loading;
  }

  /** Takes the warm VM (or builds one) and starts building the next one after this run. */
  async function take(): Promise<RubyInstance> {
    const { module } = await load();
    const current = spare ?? instantiate(module);
    spare = undefined;
    const instance = await current;
    // Build the next VM once this run has had the thread: a timer, not a microtask.
    setTimeout(() => {
      if (!spare) {
        spare = instantiate(module);
        spare.catch(() => (spare = undefined));
      }
    }, 0);
    return instance;
  }

  return {
    async ready() {
      return (await load()).version;
    },

    async run(tree, io, code, filename) {
      const instance = await take();
      return runIn(instance, tree, io, code, filename);
    },
  };
}

function runIn(instance: RubyInstance, tree: FileTree, io: ProgramIo, code: string, filename: string): ProgramResult {
  const encoder = new TextEncoder();
  let mount: ReturnType<typeof mountWorkspace>;
  try {
    // The driver chdirs to the working directory, so wasi-libc resolves every path from `/`.
    mount = mountWorkspace(tree, io.cwd, { preopens: 'root' });
  } catch (error) {
    io.stderr(encoder.encode(`ruby: ${error instanceof Error ? error.message : String(error)}\n`));
    return { status: 'error', exitCode: 1 };
  }
  instance.root.dir = mount.root;
  instance.stdin.reset(io.stdin);
  instance.stdin.terminal = io.terminal;
  instance.stdout.sink = (b) => io.stdout(b);
  instance.stderr.sink = (b) => io.stderr(b);
  instance.run.interrupt = io.interrupt;
  instance.run.audit = io.audit;

  const call = `Isobox.run(${rubyString(code)}, ${rubyString(scriptName(filename, io.cwd))}, [${io.args.map(rubyString).join(', ')}], {${Object.entries({ ...io.env, PWD: mount.cwdPath })
    .map(([k, v]) => `${rubyString(k)} => ${rubyString(v)}`)
    .join(', ')}}, ${rubyString(mount.cwdPath)})`;
  let result: ProgramResult;
  try {
    const status = Number(instance.vm.eval(call).toString());
    if (status === OOM_STATUS) result = { status: 'oom', exitCode: EXIT_OOM };
    else result = { status: status === 0 ? 'ok' : 'error', exitCode: status };
  } catch (error) {
    // Interrupts, `exit!` and VM failures unwind through the guest; this VM is never reused.
    const failure = classifyFailure(error, undefined, Infinity);
    if (failure.message) io.stderr(encoder.encode(`ruby: ${failure.message}\n`));
    result = failure.result;
  } finally {
    instance.stdout.sink = discard;
    instance.stderr.sink = discard;
    instance.stdin.terminal = undefined;
    instance.run.interrupt = undefined;
    instance.run.audit = undefined;
    io.audit.memory(instance.memory.buffer.byteLength);
    for (const { path, reason } of mount.writeBack(tree).skipped) io.stderr(encoder.encode(`ruby: could not save ${JSON.stringify(path)}: ${reason}\n`));
  }
  return result;
}

/**
 * The name the script sees as `$0`/`__FILE__`. `filename` is workspace-relative (as for every
 * runtime); like `ruby FILE` typed in the working directory it is shown relative to the cwd when
 * inside it, else absolute. Pseudo names (`-e`, `<string>`) pass through.
 */
export function scriptName(filename: string, cwd: string): string {
  if (filename.startsWith('/') || filename.startsWith('-') || filename.startsWith('<')) return filename;
  let path: string;
  let dir: string;
  try {
    path = normalizePath(filename);
    dir = normalizePath(cwd);
  } catch {
    return filename;
  }
  if (dir === '') return path;
  return path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : `${WORKSPACE_ROOT}/${path}`;
}

/** Builds a VM: WASI shim with late-bound stdio and workspace, the JS bridge locked, the driver loaded. */
async function instantiate(module: WebAssembly.Module): Promise<RubyInstance> {
  // Not terminals: Ruby would color its messages (and STDOUT.sync is set anyway).
  const stdin = new RunStdinFd(new Uint8Array(0), false, () => new Interrupted());
  const stdout = new OutputFd(discard, false);
  const stderr = new OutputFd(discard, false);
  const root = new PreopenFd('/', new Directory(new Map()));
  const shim = new WASI(['ruby'], [], [stdin, stdout, stderr, root], { debug: false });
  const run: RubyInstance['run'] = {};
  // Whatever the VM prints while an interrupt or `exit!` unwinds it (a bug report) is not the program's output.
  const mute = (): void => {
    stdout.sink = discard;
    stderr.sink = discard;
    run.interrupt = undefined;
  };
  patchWasiImports(shim, { interrupt: () => run.interrupt, onInterrupt: mute });
  // A Stop while `gets` waits on the terminal unwinds the VM like any interrupt.
  stdin.interrupted = () => {
    mute();
    return new Interrupted();
  };
  // The VM outlives runs: its audit goes to whichever run is in progress.
  const audit: AuditSink = {
    get tracing() {
      return run.audit?.tracing ?? false;
    },
    fileRead: (path) => run.audit?.fileRead(path),
    block: (kind, target, rule) => run.audit?.block(kind, target, rule),
    syscall: (record) => run.audit?.syscall(record),
    memory: (bytes) => run.audit?.memory(bytes),
  };
  auditWasiImports(shim, audit, () => shim.inst.exports.memory as WebAssembly.Memory, (fd) => (fd === 3 ? '/' : undefined));
  const procExit = shim.wasiImport.proc_exit;
  shim.wasiImport.proc_exit = (code: number): unknown => {
    mute();
    return procExit?.(code);
  };

  const vm = new RubyVM();
  const locked = lockJsBridge(vm);
  const imports: WebAssembly.Imports = { wasi_snapshot_preview1: shim.wasiImport };
  vm.addToImports(imports);
  if (!locked()) throw new Error('could not lock the JavaScript bridge of ruby.wasm (unexpected @ruby/wasm-wasi version)');
  const instance = await WebAssembly.instantiate(module, imports);
  await vm.setInstance(instance);
  const memory = instance.exports.memory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error('ruby.wasm exports no memory');
  const initialize = instance.exports._initialize;
  shim.initialize({ exports: { memory, ...(typeof initialize === 'function' ? { _initialize: initialize as () => unknown } : {}) } });
  vm.initialize(['ruby.wasm', '-EUTF-8', '-e_=0']);
  vm.eval(`eval(${rubyString(DRIVER)}, TOPLEVEL_BINDING, ${JSON.stringify(DRIVER_FILE)}, 1)`);
  return { vm, stdin, stdout, stderr, root, run, memory };
}

/** The JS values `require "js"` itself evaluates while loading; everything else is refused. */
const JS_CONSTANTS = new Map<string, unknown>([
  ['return undefined', undefined],
  ['return null', null],
  ['return true;', true],
  ['return false;', false],
]);

type JsAbiResult = { tag: 'success' | 'failure'; val: unknown };
type ImportsFactory = (toJs: (value: unknown) => unknown, fromJs: (value: unknown) => unknown) => Record<string, unknown>;

/**
 * ruby.wasm ships the `js` gem: `require "js"; JS.global` would hand user code the worker's
 * globals (and `JS.eval` arbitrary JavaScript). This replaces the host side of that bridge
 * before the VM is instantiated: `JS.eval` only yields the constants the gem needs to load,
 * `JS.global` is an empty frozen object, and property get/set and calls fail with a JS::Error.
 * Hooks the private `getImports` of @ruby/wasm-wasi 2.10.x; returns whether the hook ran.
 */
function lockJsBridge(vm: RubyVM): () => boolean {
  const target = vm as unknown as { getImports: ImportsFactory };
  const original = target.getImports.bind(vm);
  let ran = false;
  target.getImports = (toJs, fromJs) => {
    const imports = original(toJs, fromJs);
    // The errors handed to Ruby; JS::Error#message reads their `stack`, which must not fail in turn.
    const refusals = new WeakSet<object>();
    const denied = (what: string): JsAbiResult => {
      const error = new Error(`isobox: ${what} is disabled; Ruby code cannot reach JavaScript`);
      refusals.add(error);
      return { tag: 'failure', val: toJs(error) };
    };
    const emptyGlobal = Object.freeze({});
    imports.evalJs = (code: string): JsAbiResult => (JS_CONSTANTS.has(code) ? { tag: 'success', val: toJs(JS_CONSTANTS.get(code)) } : denied('JS.eval'));
    imports.globalThis = (): unknown => toJs(emptyGlobal);
    imports.reflectApply = (): JsAbiResult => denied('calling JavaScript');
    imports.reflectGet = (target: unknown): JsAbiResult => {
      const value = fromJs(target);
      return typeof value === 'object' && value !== null && refusals.has(value) ? { tag: 'success', val: toJs(undefined) } : denied('reading JavaScript properties');
    };
    imports.reflectSet = (): JsAbiResult => denied('writing JavaScript properties');
    ran = true;
    return imports;
  };
  return () => ran;
}

/** A Ruby expression for a UTF-8 string, hex-encoded so no input can break out of the literal. */
function rubyString(value: string): string {
  const hex = Array.from(new TextEncoder().encode(value), (b) => b.toString(16).padStart(2, '0')).join('');
  return `["${hex}"].pack("H*").force_encoding(Encoding::UTF_8)`;
}

/** The driver's file name in backtraces; its frames are cut from the program's errors. */
const DRIVER_FILE = '<isobox>';

/** What the driver returns for NoMemoryError. */
const OOM_STATUS = -2;

/**
 * Runs one script like `ruby FILE ARGS`: top-level code (the VM is fresh, so TOPLEVEL_BINDING
 * is too), unbuffered stdio, uncaught exceptions printed as Ruby prints them without the
 * driver's frames (exit 1), `exit n` → n, and `at_exit` blocks run at the end (a reactor VM
 * never exits, so Kernel#at_exit is emulated; test-unit and minitest/autorun rely on it).
 */
const DRIVER = String.raw`
module Isobox
  AT_EXIT = []

  def self.report(error)
    trace = error.backtrace
    cut = trace && trace.index { |line| line.start_with?("${DRIVER_FILE}:") }
    if cut == 0
      # Raised by the driver's own eval (a SyntaxError): Ruby prints these without a location.
      first, rest = error.message.split("\n", 2)
      STDERR.write("#{first} (#{error.class})\n#{rest}")
      STDERR.write("\n") unless rest.nil? || rest.end_with?("\n")
      return
    end
    error.set_backtrace(trace[0...cut]) if cut
    STDERR.write(error.full_message(highlight: false))
  rescue Exception
    STDERR.write("#{error.class}: #{error.message}\n") rescue nil
  end

  def self.guard
    yield
    0
  rescue SystemExit => e
    e.status
  rescue NoMemoryError => e
    report(e)
    ${OOM_STATUS}
  rescue Exception => e
    report(e)
    1
  end

  def self.run(code, file, argv, env, dir)
    STDOUT.sync = true
    STDERR.sync = true
    ENV.replace(env)
    Dir.chdir(dir)
    ARGV.replace(argv)
    $PROGRAM_NAME = file
    status = guard { TOPLEVEL_BINDING.eval(code, file, 1) }
    while (block = AT_EXIT.pop)
      after = guard { block.call }
      status = after unless after == 0
    end
    status
  ensure
    $stdout.flush rescue nil
    $stderr.flush rescue nil
  end
end

module Kernel
  private def at_exit(&block)
    raise ArgumentError, "called without a block" unless block
    Isobox::AT_EXIT << block
    block
  end
  module_function :at_exit
end
`;
