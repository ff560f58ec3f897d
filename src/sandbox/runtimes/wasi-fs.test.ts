import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { type Fd, OpenDirectory, OpenFile, wasi } from '@bjorn3/browser_wasi_shim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture } from '../../../tests/fixtures/build-wasm.ts';
import { FileTree } from '../worker/tree.ts';
import { recordingIo } from './test-io.ts';
import { createWasiRunner } from './wasi.ts';
import { concat } from '../shell/command.ts';
import { type PreopenFd, mountWorkspace } from './wasi-fs.ts';

const run = createWasiRunner();
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

let fileio: Uint8Array;
const temp = mkdtempSync(join(tmpdir(), 'isobox-wasi-fs-'));
beforeAll(async () => {
  fileio = await buildFixture('fileio');
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Runs fileio under node:wasi on a real directory holding `files`; returns stdout and the files after. */
function underNodeWasi(files: Record<string, string>, args: string[]): { stdout: string; read(path: string): Uint8Array } {
  const dir = mkdtempSync(join(temp, 'node-'));
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  const outPath = join(temp, `${Date.now()}-stdout.txt`);
  const out = openSync(outPath, 'w');
  try {
    const node = new WASI({ version: 'preview1', args: ['fileio', ...args], env: {}, preopens: { '/workspace': dir, '.': dir }, returnOnExit: true, stdout: out });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(fileio as Uint8Array<ArrayBuffer>), node.getImportObject() as WebAssembly.Imports);
    expect(node.start(instance)).toBe(0);
  } finally {
    closeSync(out);
  }
  return { stdout: readFileSync(outPath, 'utf8'), read: (path) => new Uint8Array(readFileSync(join(dir, path))) };
}

/** The checksum fileio's `sum` prints (unsigned long is 32 bits on wasm32). */
function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum = (Math.imul(sum, 31) + b) >>> 0;
  return sum;
}

/** The bytes fileio's `fill` writes: byte k is k % 251. */
function pattern(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, k) => k % 251);
}

/** Bytes, text, or that many zero bytes, joined. */
function bytesOf(...parts: (Uint8Array | string | number)[]): Uint8Array {
  return concat(parts.map((p) => (typeof p === 'string' ? encode(p) : typeof p === 'number' ? new Uint8Array(p) : p)));
}

/** The array a FileTree holds must be exactly the file: no spare capacity behind it either. */
function expectExact(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.byteLength).toBe(expected.byteLength);
  expect(actual.buffer.byteLength).toBe(expected.byteLength);
  expect(Buffer.from(actual).equals(Buffer.from(expected))).toBe(true);
}

describe('workspace files under a WASI program', () => {
  const files = { 'shared.txt': 'hello world', 'old.txt': 'a much longer old content' };
  const args = [
    // 300,000 bytes in 1,000-byte writes: the array grows well past the file.
    ...['fill', 'big.bin', '300', '1000', 'stat', 'big.bin'],
    ...['seek-write', 'big.bin', '-10', 'XYZ', 'seek-write', 'big.bin', '5', 'GAP'],
    ...['pwrite', 'big.bin', '300100', 'END', 'append', 'big.bin', 'APP', 'stat', 'big.bin', 'sum', 'big.bin'],
    // Shrink, then grow within the spare capacity (a write past the end, then ftruncate): the
    // regrown bytes must be zeros, not the old ones.
    ...['fill', 'cut.bin', '10', '1000', 'truncate', 'cut.bin', '2500', 'pwrite', 'cut.bin', '3000', 'X'],
    ...['truncate', 'cut.bin', '4000', 'stat', 'cut.bin', 'sum', 'cut.bin'],
    // A FileTree file shrunk (no copy yet), regrown and appended to.
    ...['truncate', 'shared.txt', '5', 'truncate', 'shared.txt', '8', 'append', 'shared.txt', '!', 'stat', 'shared.txt'],
    ...['rewrite', 'old.txt', 'new', 'stat', 'old.txt', 'sum', 'old.txt'],
  ];
  const big = pattern(300_000);
  big.set(encode('XYZ'), 299_990);
  const bigAfter = bytesOf(big, 5, 'GAP', 92, 'END', 'APP');
  const cutAfter = bytesOf(pattern(2500), 500, 'X', 999);
  const sharedAfter = bytesOf('hello', 3, '!');

  it('sees and saves exactly the bytes node:wasi does: seeks, appends, pwrite past the end, truncation, O_TRUNC', async () => {
    const tree = new FileTree();
    for (const [path, text] of Object.entries(files)) tree.writeFile(path, text);
    const shared = tree.readFile('shared.txt');
    const rec = recordingIo({ args });
    expect(await run(tree, rec.io, fileio, 'fileio')).toEqual({ status: 'ok', exitCode: 0 });

    expect(rec.stdout()).toBe(
      [
        'fill big.bin: 300000 bytes',
        'stat big.bin: 300000 300000 300000',
        'seek-write big.bin: at 299990, now at 299993',
        'seek-write big.bin: at 300005, now at 300008',
        'pwrite big.bin: position still 0',
        'append big.bin: now at 300106',
        'stat big.bin: 300106 300106 300106',
        `sum big.bin: 300106 bytes, ${checksum(bigAfter)}`,
        'fill cut.bin: 10000 bytes',
        'truncate cut.bin: 2500',
        'pwrite cut.bin: position still 0',
        'truncate cut.bin: 4000',
        'stat cut.bin: 4000 4000 4000',
        `sum cut.bin: 4000 bytes, ${checksum(cutAfter)}`,
        'truncate shared.txt: 5',
        'truncate shared.txt: 8',
        'append shared.txt: now at 9',
        'stat shared.txt: 9 9 9',
        'rewrite old.txt',
        'stat old.txt: 3 3 3',
        `sum old.txt: 3 bytes, ${checksum(encode('new'))}`,
        '',
      ].join('\n'),
    );
    expectExact(tree.readFile('big.bin'), bigAfter);
    expectExact(tree.readFile('cut.bin'), cutAfter);
    expectExact(tree.readFile('shared.txt'), sharedAfter);
    expectExact(tree.readFile('old.txt'), encode('new'));
    // The FileTree's own array was copied, never written.
    expect(new TextDecoder().decode(shared)).toBe('hello world');

    const node = underNodeWasi(files, args);
    expect(rec.stdout()).toBe(node.stdout);
    for (const path of ['big.bin', 'cut.bin', 'shared.txt', 'old.txt']) expectExact(tree.readFile(path), node.read(path));
  });

  it('reads back what an earlier run saved, and appends to it without touching the saved array', async () => {
    const tree = new FileTree();
    const first = recordingIo({ args: ['fill', 'big.bin', '70', '1000'] });
    expect(await run(tree, first.io, fileio, 'fileio')).toEqual({ status: 'ok', exitCode: 0 });
    const saved = tree.readFile('big.bin');
    const snapshot = tree.snapshot();

    const second = recordingIo({ args: ['stat', 'big.bin', 'append', 'big.bin', 'more', 'sum', 'big.bin'] });
    expect(await run(tree, second.io, fileio, 'fileio')).toEqual({ status: 'ok', exitCode: 0 });
    const after = bytesOf(pattern(70_000), 'more');
    expect(second.stdout()).toBe(`stat big.bin: 70000 70000 70000\nappend big.bin: now at 70004\nsum big.bin: 70004 bytes, ${checksum(after)}\n`);
    expectExact(tree.readFile('big.bin'), after);
    expectExact(saved, pattern(70_000));
    expect(Object.keys(tree.changesSince(snapshot).written)).toEqual(['big.bin']);
  });
});

/** Opens `path` on a preopen and returns the fd, failing the test on an error. */
function open(dir: Fd, path: string, oflags = 0, fdFlags = 0): OpenFile {
  const { ret, fd_obj } = dir.path_open(0, path, oflags, 0n, 0n, fdFlags);
  expect(ret).toBe(wasi.ERRNO_SUCCESS);
  if (!(fd_obj instanceof OpenFile)) throw new Error(`${path} did not open as a file`);
  return fd_obj;
}

/** Mounts `tree`; `root` is the `/workspace` preopen. */
function mount(tree: FileTree): { root: PreopenFd; writeBack(): void } {
  const m = mountWorkspace(tree, '', { preopens: 'cwd' });
  const root = m.preopens[1];
  if (root?.prestatName !== '/workspace') throw new Error('no /workspace preopen');
  return { root, writeBack: () => void m.writeBack(tree) };
}

/** Writes `count` chunks of `size` bytes through `fd` and counts how often the file's array was replaced. */
function writeChunks(fd: OpenFile, count: number, size: number): number {
  let arrays = 0;
  let last = fd.file.data;
  for (let i = 0; i < count; i++) {
    expect(fd.fd_write(new Uint8Array(size).fill(i % 256))).toEqual({ ret: wasi.ERRNO_SUCCESS, nwritten: size });
    if (fd.file.data !== last) arrays++;
    last = fd.file.data;
  }
  return arrays;
}

describe('workspace files in the shim', () => {
  it('grow geometrically, created at the root, in a new directory or through a directory fd, and report the logical size', () => {
    const tree = new FileTree();
    const { root, writeBack } = mount(tree);
    expect(root.path_create_directory('d')).toBe(wasi.ERRNO_SUCCESS);
    const dirFd = root.path_open(0, 'd', wasi.OFLAGS_DIRECTORY, 0n, 0n, 0).fd_obj;
    if (!(dirFd instanceof OpenDirectory)) throw new Error('d did not open as a directory');
    const fds = {
      'top.bin': open(root, 'top.bin', wasi.OFLAGS_CREAT),
      'd/nested.bin': open(root, 'd/x/../nested.bin', wasi.OFLAGS_CREAT),
      'd/via-fd.bin': open(dirFd, './via-fd.bin', wasi.OFLAGS_CREAT),
    };
    for (const [path, fd] of Object.entries(fds)) {
      // Exact-size reallocation would replace the array on each of the 1,000 writes.
      expect(writeChunks(fd, 1000, 100)).toBeLessThanOrEqual(20);
      expect(fd.file.data.byteLength).toBeGreaterThan(100_000);
      expect(fd.fd_filestat_get().filestat.size).toBe(100_000n);
      expect(root.path_filestat_get(0, path).filestat?.size).toBe(100_000n);
      expect(fd.fd_seek(0n, wasi.WHENCE_END)).toEqual({ ret: wasi.ERRNO_SUCCESS, offset: 100_000n });
      expect(fd.fd_read(10).data.byteLength).toBe(0);
      expect(fd.fd_pread(10, 99_995n).data).toEqual(new Uint8Array(5).fill(999 % 256));
    }
    writeBack();
    for (const path of Object.keys(fds)) {
      const expected = new Uint8Array(100_000);
      for (let i = 0; i < 1000; i++) expected.fill(i % 256, i * 100, i * 100 + 100);
      expectExact(tree.readFile(path), expected);
    }
  });

  it('keep FileTree arrays intact: reads and shrinking share them, writes copy them, O_TRUNC replaces them', () => {
    const tree = new FileTree();
    tree.writeFile('a.txt', 'hello world');
    tree.writeFile('b.txt', 'bravo');
    const a = tree.readFile('a.txt');
    const b = tree.readFile('b.txt');
    const { root, writeBack } = mount(tree);

    const reader = open(root, 'a.txt');
    expect(new TextDecoder().decode(reader.fd_read(100).data)).toBe('hello world');
    expect(reader.file.data).toBe(a);
    expect(reader.fd_filestat_set_size(5n)).toBe(wasi.ERRNO_SUCCESS);
    expect(reader.file.data).toBe(a);
    expect(reader.fd_filestat_get().filestat.size).toBe(5n);
    expect(reader.fd_pread(100, 0n).data).toEqual(encode('hello'));
    // Growing again: zeros, not the FileTree's " wo".
    expect(reader.fd_filestat_set_size(8n)).toBe(wasi.ERRNO_SUCCESS);
    expect(reader.fd_pread(100, 0n).data).toEqual(bytesOf('hello', 3));
    // pwrite past the end leaves a zero-filled gap; O_APPEND writes at the end even after a seek.
    expect(reader.fd_pwrite(encode('!'), 10n)).toEqual({ ret: wasi.ERRNO_SUCCESS, nwritten: 1 });
    const appender = open(root, 'a.txt', 0, wasi.FDFLAGS_APPEND);
    expect(appender.fd_tell().offset).toBe(11n);
    appender.fd_seek(0n, wasi.WHENCE_SET);
    appender.fd_write(encode('?'));
    expect(appender.fd_tell().offset).toBe(12n);

    const truncated = open(root, 'b.txt', wasi.OFLAGS_TRUNC);
    expect(truncated.fd_filestat_get().filestat.size).toBe(0n);
    expect(truncated.fd_read(10).data.byteLength).toBe(0);
    truncated.fd_write(encode('new'));

    writeBack();
    expectExact(tree.readFile('a.txt'), bytesOf('hello', 5, '!?'));
    expectExact(tree.readFile('b.txt'), encode('new'));
    expect(new TextDecoder().decode(a)).toBe('hello world');
    expect(new TextDecoder().decode(b)).toBe('bravo');
  });

  it('rewrite a FileTree file (O_TRUNC, as much again) into one array, saved as is', () => {
    const tree = new FileTree();
    const old = new Uint8Array(100_000).fill(7);
    tree.writeFile('out.bin', old);
    const { root, writeBack } = mount(tree);
    const fd = open(root, 'out.bin', wasi.OFLAGS_TRUNC);
    expect(fd.fd_filestat_get().filestat.size).toBe(0n);
    expect(writeChunks(fd, 1000, 100)).toBe(1);
    const written = fd.file.data;
    writeBack();
    expect(tree.readFile('out.bin')).toBe(written);
    expect(old.every((b) => b === 7)).toBe(true);
  });

  it('saves nothing for files that were only read, and refuses negative offsets and sizes', () => {
    const tree = new FileTree();
    tree.writeFile('r.txt', 'read me');
    const snapshot = tree.snapshot();
    const { root, writeBack } = mount(tree);
    const fd = open(root, 'r.txt');
    fd.fd_read(3);
    expect(fd.fd_pwrite(encode('x'), -1n).ret).toBe(wasi.ERRNO_INVAL);
    expect(fd.fd_pread(1, -1n).ret).toBe(wasi.ERRNO_INVAL);
    expect(fd.fd_filestat_set_size(-1n)).toBe(wasi.ERRNO_INVAL);
    expect(fd.fd_seek(-8n, wasi.WHENCE_END).ret).toBe(wasi.ERRNO_INVAL);
    expect(fd.fd_seek(-7n, wasi.WHENCE_END)).toEqual({ ret: wasi.ERRNO_SUCCESS, offset: 0n });
    writeBack();
    expect(tree.changesSince(snapshot).written).toEqual({});
  });
});
