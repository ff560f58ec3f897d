/**
 * Tiny WASI "commands" built byte by byte, for escape tests that need what no C compiler emits:
 * several memories, shared or 64-bit memories, raw atomics, imports beyond WASI. An attacker
 * does not need clang to put a `.wasm` file into the workspace (upload, share link, an agent
 * writing bytes), so the sandbox must hold against any valid module, not only clang's output.
 *
 * Every module exports `memory` (memory 0) and `_start`, imports `proc_exit` from
 * wasi_snapshot_preview1 where it reports a number, and needs nothing else.
 */

/** Pages of 64 KiB that each growth step asks for: 4096 pages = 256 MiB. */
export const GROW_STEP_PAGES = 4096;

/** MiB per growth step: a run that reports `n` steps got `n * GROW_STEP_MIB` MiB on top of what it had. */
export const GROW_STEP_MIB = (GROW_STEP_PAGES * 64) / 1024;

function leb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  for (;;) {
    const byte = v & 0x7f;
    v = Math.floor(v / 128);
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...leb(bytes.length), ...bytes];
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

function vec(items: number[][]): number[] {
  return [...leb(items.length), ...items.flat()];
}

const I32 = 0x7f;
/** Type 0: (i32) -> (), proc_exit. Type 1: () -> (), _start. */
const TYPES = section(1, vec([[0x60, 1, I32, 0], [0x60, 0, 0]]));

/** Memory limits: flags 0 (min), 1 (min, max), 3 (shared, min, max), 4 (64-bit, min). */
interface MemoryType {
  flags: number;
  min: number;
  max?: number;
}

function memoryType(m: MemoryType): number[] {
  return [m.flags, ...leb(m.min), ...(m.max === undefined ? [] : leb(m.max))];
}

/** A command: `proc_exit` imported as function 0, `_start` (function 1) with `body`, the given memories. */
function command(memories: MemoryType[], locals: number[][], body: number[], options: { importProcExit?: boolean; extraImports?: number[][] } = {}): Uint8Array {
  const importProcExit = options.importProcExit ?? true;
  const imports = [...(importProcExit ? [[...name('wasi_snapshot_preview1'), ...name('proc_exit'), 0x00, 0]] : []), ...(options.extraImports ?? [])];
  const startIndex = imports.length;
  const code = [...vec(locals), ...body, 0x0b];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...TYPES,
    ...(imports.length > 0 ? section(2, vec(imports)) : []),
    ...section(3, vec([[1]])),
    ...section(5, vec(memories.map(memoryType))),
    ...section(7, vec([[...name('memory'), 0x02, 0], [...name('_start'), 0x00, startIndex]])),
    ...section(10, vec([[...leb(code.length), ...code]])),
  ];
  return new Uint8Array(bytes);
}

/**
 * `_start` grows memory `memoryIndex` by GROW_STEP_PAGES until growth fails, then exits with the
 * number of steps that succeeded. `index64` uses i64 operands (a 64-bit memory).
 */
function growBody(memoryIndex: number, index64: boolean): number[] {
  const step = index64 ? [0x42, ...sleb(GROW_STEP_PAGES)] : [0x41, ...sleb(GROW_STEP_PAGES)];
  const minusOne = index64 ? [0x42, ...sleb(-1)] : [0x41, ...sleb(-1)];
  const eq = index64 ? 0x51 : 0x46;
  return [
    0x02, 0x40, // block
    0x03, 0x40, // loop
    ...step, 0x40, memoryIndex, // memory.grow <memoryIndex>
    ...minusOne, eq, 0x0d, 0x01, // br_if 1 (out of the block) when growth failed
    0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x00, // n += 1
    0x0c, 0x00, // br 0 (loop again)
    0x0b, 0x0b, // end loop, end block
    0x20, 0x00, 0x10, 0x00, // proc_exit(n)
  ];
}

/** Two memories: a tiny exported `memory`, and an unbounded second one that `_start` grows. */
export function multiMemoryGrower(): Uint8Array {
  return command([{ flags: 0, min: 1 }, { flags: 0, min: 0 }], [[1, I32]], growBody(1, false));
}

/** One shared memory declared with the wasm32 maximum (4 GiB) that `_start` grows. */
export function sharedMemoryGrower(): Uint8Array {
  return command([{ flags: 3, min: 1, max: 65536 }], [[1, I32]], growBody(0, false));
}

/** One 64-bit memory without a maximum that `_start` grows. */
export function memory64Grower(): Uint8Array {
  return command([{ flags: 4, min: 1 }], [[1, I32]], growBody(0, true));
}

/** An ordinary 32-bit memory without a maximum that `_start` grows: the case the cap is built for. */
export function plainGrower(): Uint8Array {
  return command([{ flags: 0, min: 1 }], [[1, I32]], growBody(0, false));
}

/**
 * `_start` blocks the thread in `memory.atomic.wait32` on its own shared memory with no timeout:
 * no WASI call is ever made again, so only terminating the worker can end it.
 */
export function atomicWaitForever(): Uint8Array {
  const body = [
    0x41, 0x00, // address 0
    0x41, 0x00, // expected value 0
    0x42, ...sleb(-1), // timeout -1 ns: forever
    0xfe, 0x01, 0x02, 0x00, // memory.atomic.wait32 align=4 offset=0
    0x1a, // drop
  ];
  return command([{ flags: 3, min: 1, max: 1 }], [], body, { importProcExit: false });
}

/** Imports `env.fetch` (a host function that does not exist in WASI) next to proc_exit. */
export function importsHostFetch(): Uint8Array {
  return command([{ flags: 0, min: 1 }], [], [0x41, 0x00, 0x10, 0x00], { extraImports: [[...name('env'), ...name('fetch'), 0x00, 0]] });
}

/** Exit code base of `bigInitialMemory`: it exits with this plus its memory size in GROW_STEP units. */
export const BIG_EXIT_BASE = 200;

/**
 * What a C program with a 1.5 GiB static array compiles to: a memory whose *initial* size is
 * 1.5 GiB (no maximum). `_start` touches all of it (memory.fill) and exits with
 * BIG_EXIT_BASE + its size in GROW_STEP units (206 when it ran with 1.5 GiB).
 */
export function bigInitialMemory(): Uint8Array {
  const bytes = 1536 * 1024 * 1024;
  const body = [
    0x41, 0x00, 0x41, 0x01, 0x41, ...sleb(bytes), 0xfc, 0x0b, 0x00, // memory.fill(0, 1, 1.5 GiB)
    0x3f, 0x00, 0x41, ...sleb(GROW_STEP_PAGES), 0x6e, // memory.size / GROW_STEP_PAGES
    0x41, ...sleb(BIG_EXIT_BASE), 0x6a, // + BIG_EXIT_BASE
    0x10, 0x00, // proc_exit
  ];
  return command([{ flags: 0, min: bytes / 65536 + 1 }], [], body);
}
