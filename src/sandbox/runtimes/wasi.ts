/**
 * Runs wasm32-wasip1 commands on @bjorn3/browser_wasi_shim with the workspace at /workspace:
 * args, env, stdin, streamed stdout/stderr, exit codes, traps, OOM and interrupts. The same code
 * runs in a browser Worker and a Node worker_thread.
 */
import { WASI, WASIProcExit, strace, wasi } from '@bjorn3/browser_wasi_shim';
import type { FileTree } from '../worker/tree.ts';
import { errorText, type Program, type ProgramIo, type ProgramResult } from './runtime.ts';
import { OutputFd, StdinFd, mountWorkspace } from './wasi-fs.ts';
import { RunStdinFd } from './wasi-stdin.ts';
import { auditWasiImports } from './wasi-audit.ts';

/** Memory a WASI program may grow to unless told otherwise: enough for real work, not a dead tab. */
export const DEFAULT_MAX_MEMORY_BYTES = 1024 * 1024 * 1024;
const PAGE = 65536;
const WASM32_MAX_BYTES = 65536 * PAGE;

/** Exit codes for ends that are not `proc_exit`, as a POSIX shell would report them. */
export const EXIT_INTERRUPTED = 130;
export const EXIT_TRAP = 134;
export const EXIT_OOM = 137;

/** Options of `createWasiRunner`. */
export interface WasiRunnerOptions {
  /** Log every WASI call and its result to the console (the shim's `strace`). */
  trace?: boolean;
  /** Cap on linear memory for modules compiled from bytes (default 1 GiB); growing past it is `oom`. */
  maxMemoryBytes?: number;
  /** Add `PWD` (the working directory) to the program's environment, as a shell does (default true). */
  exportPwd?: boolean;
}

/** Runs one WASI command; `argv0` is the program name it sees as `argv[0]`. */
export type RunWasi = (tree: FileTree, io: ProgramIo, module: WebAssembly.Module | Uint8Array, argv0: string) => Promise<ProgramResult>;

/** Thrown from inside a WASI call when the host asked for an interrupt; unwinds the guest. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}

/** Thrown by `proc_raise`: the guest killed itself with a signal. */
class Raised extends Error {
  constructor(readonly signal: number) {
    super(`killed by signal ${signal}`);
  }
}

/**
 * Creates a WASI runner. Each run gets a fresh instance, a fresh mount of the tree and its own
 * stdio; files the program wrote are written back to the tree even when it crashed.
 */
export function createWasiRunner(options: WasiRunnerOptions = {}): RunWasi {
  const maxMemoryBytes = options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES;
  return async (tree, io, program, argv0) => {
    const say = (text: string): void => io.stderr(new TextEncoder().encode(`${argv0}: ${text}\n`));
    let module: WebAssembly.Module;
    try {
      module = program instanceof WebAssembly.Module ? program : await compileWasm(program, { maxMemoryBytes });
    } catch (error) {
      if (error instanceof MemoryCapError) {
        say(`refused: ${error.message}`);
        return { status: 'oom', exitCode: EXIT_OOM };
      }
      say(`not a valid WebAssembly module: ${errorText(error)}`);
      return { status: 'error', exitCode: 126 };
    }
    if (!WebAssembly.Module.exports(module).some((e) => e.name === '_start' && e.kind === 'function')) {
      say('not a WASI command (it has no _start export)');
      return { status: 'error', exitCode: 126 };
    }
    let mount: ReturnType<typeof mountWorkspace>;
    try {
      mount = mountWorkspace(tree, io.cwd, { preopens: 'cwd' });
    } catch (error) {
      say(errorText(error));
      return { status: 'error', exitCode: 1 };
    }

    const env = Object.entries(options.exportPwd === false ? io.env : { ...io.env, PWD: mount.cwdPath }).map(([k, v]) => `${k}=${v}`);
    const fds = [new RunStdinFd(io.stdin, true, () => new Interrupted(), io.terminal), new OutputFd((b) => io.stdout(b)), new OutputFd((b) => io.stderr(b)), ...mount.preopens];
    const shim = new WASI([argv0, ...io.args], env, fds, { debug: false });
    patchWasiImports(shim, { interrupt: () => io.interrupt });
    // fds 3 onwards are the preopens.
    const preopenPaths = mount.preopenPaths;
    auditWasiImports(shim, io.audit, () => shim.inst.exports.memory as WebAssembly.Memory, (fd) => preopenPaths[fd - 3]);
    const wasiImport = options.trace ? strace(shim.wasiImport, []) : shim.wasiImport;

    let instance: WebAssembly.Instance;
    try {
      instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasiImport });
    } catch (error) {
      say(`cannot start: ${errorText(error)}`);
      return { status: 'error', exitCode: 126 };
    }
    const command = asCommand(instance);
    if (!command) {
      say('not a WASI command (it exports no memory)');
      return { status: 'error', exitCode: 126 };
    }

    let result: ProgramResult;
    try {
      const code = shim.start(command);
      result = exitResult(code, command.exports.memory, capOf(module));
    } catch (error) {
      const failure = classifyFailure(error, command.exports.memory, capOf(module));
      if (failure.message) say(failure.message);
      result = failure.result;
    } finally {
      io.audit.memory(command.exports.memory.buffer.byteLength);
      for (const { path, reason } of mount.writeBack(tree).skipped) say(`could not save ${JSON.stringify(path)}: ${reason}`);
    }
    return result;
  };
}

/** A `Program` that runs one module with a fixed `argv[0]`, for the shell's program table. */
export function wasiProgram(run: RunWasi, module: WebAssembly.Module | Uint8Array, argv0: string): Program {
  return (tree, io) => run(tree, io, module, argv0);
}

function exitResult(code: number, memory: WebAssembly.Memory, capBytes: number): ProgramResult {
  if (code === 0) return { status: 'ok', exitCode: 0 };
  // A program that gave up (exit 1 after malloc returned NULL) right at its memory cap ran out of memory.
  if (memory.buffer.byteLength >= capBytes * 0.9) return { status: 'oom', exitCode: code };
  return { status: 'error', exitCode: code };
}

/** Maps how a run blew up to a status, an exit code and a line for stderr. */
export function classifyFailure(error: unknown, memory: WebAssembly.Memory | undefined, capBytes: number): { result: ProgramResult; message?: string } {
  if (error instanceof Interrupted) return { result: { status: 'interrupted', exitCode: EXIT_INTERRUPTED } };
  if (error instanceof WASIProcExit) return { result: { status: error.code === 0 ? 'ok' : 'error', exitCode: error.code } };
  if (error instanceof Raised) return { result: { status: 'crashed', exitCode: 128 + error.signal }, message: error.message };
  const trap = trapMessage(error);
  if (trap !== undefined) {
    const used = memory?.buffer.byteLength ?? 0;
    // Failed growth is invisible to the host (memory.grow returns -1); a trap with memory at
    // half the cap or more is almost always malloc/new giving up (abort, bad_alloc).
    if (used >= capBytes / 2) {
      return { result: { status: 'oom', exitCode: EXIT_OOM }, message: `out of memory (${mib(used)} MiB used, limit ${mib(capBytes)} MiB); wasm trap: ${trap}` };
    }
    return { result: { status: 'crashed', exitCode: EXIT_TRAP }, message: `wasm trap: ${trap}` };
  }
  return { result: { status: 'crashed', exitCode: EXIT_TRAP }, message: `crashed: ${errorText(error)}` };
}

function trapMessage(error: unknown): string | undefined {
  if (error instanceof WebAssembly.RuntimeError) return error.message;
  if (error instanceof RangeError && /call stack/i.test(error.message)) return 'call stack exhausted';
  return undefined;
}

function mib(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}

function asCommand(instance: WebAssembly.Instance): { exports: { memory: WebAssembly.Memory; _start: () => unknown } } | undefined {
  const { memory, _start } = instance.exports;
  if (!(memory instanceof WebAssembly.Memory) || typeof _start !== 'function') return undefined;
  return { exports: { memory, _start: _start as () => unknown } };
}

// ---------------------------------------------------------------------------------------------
// Syscall patches shared with the Ruby runtime.

/** What the patched syscalls need from the runtime that owns the shim. */
export interface SyscallContext {
  /** The interrupt flag of the current run (`undefined`: not interruptible now). */
  interrupt(): Int32Array | undefined;
  /** Called once when an interrupt is seen, before the guest is unwound. */
  onInterrupt?(): void;
}

/**
 * Replaces parts of the shim's `wasiImport`: checks the interrupt flag in I/O, clock and yield
 * calls (throwing `Interrupted` through the guest), implements `poll_oneoff` fully (several
 * subscriptions, fd readiness, sleeps that do not spin and wake on interrupt), fixes
 * `args_sizes_get` for non-ASCII arguments (the shim counts UTF-16 units, not bytes), and turns
 * `proc_raise` and socket calls into defined outcomes instead of thrown strings.
 */
export function patchWasiImports(shim: WASI, ctx: SyscallContext): void {
  const imports = shim.wasiImport;
  const memory = (): WebAssembly.Memory => shim.inst.exports.memory;
  const check = (): void => {
    const flag = ctx.interrupt();
    if (flag && Atomics.load(flag, 0) !== 0) {
      ctx.onInterrupt?.();
      throw new Interrupted();
    }
  };
  const fdWrite = imports.fd_write;
  imports.fd_write = (fd: number, iovs: number, iovsLen: number, nwrittenPtr: number): unknown => {
    check();
    const target = shim.fds[fd];
    if (!(target instanceof OutputFd) || iovsLen <= 1 || !fdWrite) return fdWrite?.(fd, iovs, iovsLen, nwrittenPtr);
    // One sink call per write(), not per iovec: stdio's writev would otherwise split lines.
    const { ret, nwritten } = target.fd_write(gather(memory(), iovs, iovsLen));
    new DataView(memory().buffer).setUint32(nwrittenPtr, nwritten, true);
    return ret;
  };
  for (const name of ['fd_read', 'fd_pread', 'fd_pwrite', 'fd_readdir', 'path_open', 'sched_yield', 'clock_time_get', 'random_get']) {
    const original = imports[name];
    if (!original) continue;
    imports[name] = (...args: unknown[]): unknown => {
      check();
      return original(...args);
    };
  }
  imports.args_sizes_get = (argcPtr: number, bufSizePtr: number): number => {
    const view = new DataView(memory().buffer);
    const encoder = new TextEncoder();
    view.setUint32(argcPtr, shim.args.length, true);
    view.setUint32(bufSizePtr, shim.args.reduce((n, arg) => n + encoder.encode(arg).byteLength + 1, 0), true);
    return wasi.ERRNO_SUCCESS;
  };
  imports.poll_oneoff = (inPtr: number, outPtr: number, count: number, countPtr: number): number => {
    check();
    return pollOneoff(shim, memory(), check, ctx, inPtr, outPtr, count, countPtr);
  };
  imports.proc_raise = (signal: number): number => {
    throw new Raised(signal);
  };
  for (const name of ['sock_accept', 'sock_recv', 'sock_send']) imports[name] = (): number => wasi.ERRNO_NOTSUP;
  // No fd is a socket: shutting one down is EBADF for a closed fd and ENOTSOCK otherwise, as on Linux.
  imports.sock_shutdown = (fd: number): number => (shim.fds[fd] ? wasi.ERRNO_NOTSOCK : wasi.ERRNO_BADF);
}

/** Concatenates the buffers of an iovec array in guest memory. */
function gather(memory: WebAssembly.Memory, iovs: number, count: number): Uint8Array {
  const view = new DataView(memory.buffer);
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    const ptr = view.getUint32(iovs + i * 8, true);
    const len = view.getUint32(iovs + i * 8 + 4, true);
    parts.push(new Uint8Array(memory.buffer, ptr, len));
    total += len;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

const SUBSCRIPTION_SIZE = 48;
const EVENT_SIZE = 32;

interface PollEvent {
  userdata: bigint;
  error: number;
  type: number;
  nbytes: bigint;
  flags: number;
}

/** poll_oneoff per wasip1: fd subscriptions are ready at once (stdin never blocks), clocks sleep. */
function pollOneoff(shim: WASI, memory: WebAssembly.Memory, check: () => void, ctx: SyscallContext, inPtr: number, outPtr: number, count: number, countPtr: number): number {
  if (count === 0) return wasi.ERRNO_INVAL;
  let view = new DataView(memory.buffer);
  const ready: PollEvent[] = [];
  const clocks: { userdata: bigint; delayMs: number }[] = [];
  for (let i = 0; i < count; i++) {
    const base = inPtr + i * SUBSCRIPTION_SIZE;
    const userdata = view.getBigUint64(base, true);
    const type = view.getUint8(base + 8);
    if (type === wasi.EVENTTYPE_CLOCK) {
      const clock = view.getUint32(base + 16, true);
      const timeout = Number(view.getBigUint64(base + 24, true)) / 1e6;
      const absolute = (view.getUint16(base + 40, true) & wasi.SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME) !== 0;
      const now = clock === wasi.CLOCKID_REALTIME ? Date.now() : performance.now();
      clocks.push({ userdata, delayMs: absolute ? timeout - now : timeout });
    } else if (type === wasi.EVENTTYPE_FD_READ || type === wasi.EVENTTYPE_FD_WRITE) {
      const fd = shim.fds[view.getUint32(base + 16, true)];
      if (!fd) {
        ready.push({ userdata, error: wasi.ERRNO_BADF, type, nbytes: 0n, flags: 0 });
      } else if (fd instanceof StdinFd && type === wasi.EVENTTYPE_FD_READ) {
        const left = fd.remaining;
        ready.push({ userdata, error: 0, type, nbytes: BigInt(left), flags: left === 0 ? wasi.EVENTRWFLAGS_FD_READWRITE_HANGUP : 0 });
      } else {
        ready.push({ userdata, error: 0, type, nbytes: 0n, flags: 0 });
      }
    } else {
      return wasi.ERRNO_INVAL;
    }
  }
  if (ready.length === 0) {
    const soonest = Math.min(...clocks.map((c) => c.delayMs));
    if (soonest > 0) sleep(soonest, check, ctx);
    view = new DataView(memory.buffer);
    for (const c of clocks) if (c.delayMs <= soonest) ready.push({ userdata: c.userdata, error: 0, type: wasi.EVENTTYPE_CLOCK, nbytes: 0n, flags: 0 });
  } else {
    for (const c of clocks) if (c.delayMs <= 0) ready.push({ userdata: c.userdata, error: 0, type: wasi.EVENTTYPE_CLOCK, nbytes: 0n, flags: 0 });
  }
  ready.forEach((event, i) => {
    const base = outPtr + i * EVENT_SIZE;
    for (let b = 0; b < EVENT_SIZE; b++) view.setUint8(base + b, 0);
    view.setBigUint64(base, event.userdata, true);
    view.setUint16(base + 8, event.error, true);
    view.setUint8(base + 10, event.type);
    view.setBigUint64(base + 16, event.nbytes, true);
    view.setUint16(base + 24, event.flags, true);
  });
  view.setUint32(countPtr, ready.length, true);
  return wasi.ERRNO_SUCCESS;
}

let sleeper: Int32Array | null | undefined;

/** Blocks the thread for `ms` without spinning where Atomics.wait is allowed; wakes early on interrupt. */
function sleep(ms: number, check: () => void, ctx: SyscallContext): void {
  const end = performance.now() + ms;
  for (;;) {
    check();
    const left = end - performance.now();
    if (left <= 0) return;
    const slice = Math.min(left, 50);
    if (!tryWait(waitTarget(ctx.interrupt()), slice)) {
      // No SharedArrayBuffer (a page that is not cross-origin isolated): spin.
      const until = performance.now() + slice;
      while (performance.now() < until) check();
    }
  }
}

/** Waiting on the interrupt flag itself wakes at once when the host notifies it. */
function waitTarget(flag: Int32Array | undefined): Int32Array | null {
  const shared = typeof SharedArrayBuffer === 'function';
  if (shared && flag && flag.buffer instanceof SharedArrayBuffer) return flag;
  sleeper ??= shared ? new Int32Array(new SharedArrayBuffer(4)) : null;
  return sleeper;
}

function tryWait(target: Int32Array | null, ms: number): boolean {
  if (!target) return false;
  try {
    Atomics.wait(target, 0, 0, ms);
    return true;
  } catch {
    // Atomics.wait is not allowed on this thread.
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Compilation with a content-addressed cache and a memory cap.

/** Options of `compileWasm`. */
export interface CompileOptions {
  /** Rewrites the module's memory maximum down to this (default 1 GiB). */
  maxMemoryBytes?: number;
}

const CACHE_SIZE = 8;
const cache = new Map<string, Promise<WebAssembly.Module>>();
const caps = new WeakMap<WebAssembly.Module, number>();

/**
 * Compiles a module, reusing the result for identical bytes (SHA-256 of the content, a small
 * LRU), so running the same `.wasm` again costs no compile. The module's own memory maximum is
 * lowered to `maxMemoryBytes`, which is what lets a runaway allocation end as `oom`.
 */
export async function compileWasm(bytes: Uint8Array, options: CompileOptions = {}): Promise<WebAssembly.Module> {
  const capBytes = options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES;
  const capPages = Math.max(1, Math.min(65536, Math.floor(capBytes / PAGE)));
  const owned = ownBuffer(bytes);
  const key = `${await sha256(owned)}:${capPages}`;
  let compiled = cache.get(key);
  if (compiled) {
    cache.delete(key);
  } else {
    compiled = WebAssembly.compile(ownBuffer(capMemory(owned, capPages))).then((module) => {
      caps.set(module, capPages * PAGE);
      return module;
    });
    compiled.catch(() => cache.delete(key));
  }
  cache.set(key, compiled);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value ?? '');
  return compiled;
}

/** The memory cap a module was compiled with (the wasm32 limit for modules compiled elsewhere). */
function capOf(module: WebAssembly.Module): number {
  return caps.get(module) ?? WASM32_MAX_BYTES;
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Web APIs want bytes over a plain ArrayBuffer; copy only when they are over a shared one. */
function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (bytes.buffer instanceof ArrayBuffer) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

/** Thrown for a module whose memory cannot be held under the cap: it does not run. */
export class MemoryCapError extends Error {}

/**
 * Caps every memory a module defines at `maxPages` (32- and 64-bit, shared or not), by rewriting
 * the memory section. A memory that must start above the cap, or a section that cannot be read,
 * refuses the module: a memory the cap cannot hold must never run.
 */
export function capMemory(bytes: Uint8Array, maxPages: number): Uint8Array {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (bytes.byteLength < 8 || magic.some((b, i) => bytes[i] !== b)) return bytes;
  let pos = 8;
  while (pos < bytes.byteLength) {
    const id = bytes[pos] ?? 0;
    const size = readLeb(bytes, pos + 1);
    if (!size) return bytes;
    const start = pos + 1 + size.length;
    const end = start + size.value;
    if (end > bytes.byteLength) return bytes;
    if (id === 5) return rewriteMemorySection(bytes, pos, start, end, maxPages);
    pos = end;
  }
  return bytes;
}

function rewriteMemorySection(bytes: Uint8Array, sectionStart: number, start: number, end: number, maxPages: number): Uint8Array {
  const unreadable = (): never => {
    throw new MemoryCapError('its memory section cannot be read, so its memory cannot be capped');
  };
  const count = readLeb(bytes, start) ?? unreadable();
  let p = start + count.length;
  const content: number[] = [...leb(count.value)];
  for (let i = 0; i < count.value; i++) {
    const flags = bytes[p++] ?? unreadable();
    // Bits: 1 = has a maximum, 2 = shared, 4 = 64-bit; anything else is unknown.
    if (flags > 7) unreadable();
    const min = readLeb(bytes, p) ?? unreadable();
    p += min.length;
    let max = Infinity;
    if (flags & 1) {
      const m = readLeb(bytes, p) ?? unreadable();
      max = m.value;
      p += m.length;
    }
    if (min.value > maxPages) {
      throw new MemoryCapError(`it needs ${Math.round((min.value * 64) / 1024)} MiB of memory to start, over the ${Math.round((maxPages * 64) / 1024)} MiB cap`);
    }
    content.push(flags | 1, ...leb(min.value), ...leb(Math.min(max, maxPages)));
  }
  if (p !== end) unreadable();
  const header = [5, ...leb(content.length)];
  const out = new Uint8Array(sectionStart + header.length + content.length + (bytes.byteLength - end));
  out.set(bytes.subarray(0, sectionStart), 0);
  out.set(header, sectionStart);
  out.set(content, sectionStart + header.length);
  out.set(bytes.subarray(end), sectionStart + header.length + content.length);
  return out;
}

function readLeb(bytes: Uint8Array, pos: number): { value: number; length: number } | undefined {
  let value = 0;
  // Up to 10 bytes: 64-bit memories encode their limits as u64.
  for (let i = 0; i < 10; i++) {
    const byte = bytes[pos + i];
    if (byte === undefined) return undefined;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return { value, length: i + 1 };
  }
  return undefined;
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}
