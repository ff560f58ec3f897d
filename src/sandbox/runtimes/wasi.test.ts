import { Worker } from 'node:worker_threads';
import { wasi } from '@bjorn3/browser_wasi_shim';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixtures } from '../../../tests/fixtures/build-wasm.ts';
import { FileTree } from '../worker/tree.ts';
import { recordingIo } from './test-io.ts';
import { capMemory, compileWasm, createWasiRunner } from './wasi.ts';
import { mountWorkspace } from './wasi-fs.ts';

let bin: Record<string, Uint8Array>;
beforeAll(async () => {
  bin = await buildFixtures();
});

const fixture = (name: string): Uint8Array => {
  const bytes = bin[name];
  if (!bytes) throw new Error(`no fixture ${name}`);
  return bytes;
};

const run = createWasiRunner();

describe('WASI runner', () => {
  it('runs hello and streams stdout', async () => {
    const rec = recordingIo();
    const result = await run(new FileTree(), rec.io, fixture('hello'), 'hello');
    expect(result).toEqual({ status: 'ok', exitCode: 0 });
    expect(rec.stdout()).toBe('hello from wasi\n');
    expect(rec.stderr()).toBe('');
  });

  it('passes argv (argv0 first, UTF-8 safe) and env, with PWD set', async () => {
    const rec = recordingIo({ args: ['a b', 'héllo ✓'], env: { GREETING: 'hi there', ECHO_VARS: 'GREETING,PWD,MISSING' } });
    const result = await run(new FileTree(), rec.io, fixture('echo'), 'echo.wasm');
    expect(result.status).toBe('ok');
    expect(rec.stdout()).toBe(
      ['arg0=echo.wasm', 'arg1=a b', 'arg2=héllo ✓', 'GREETING=hi there', 'PWD=/workspace', 'MISSING=(unset)', ''].join('\n'),
    );
  });

  it('serves stdin then EOF, and gives EOF at once when there is no stdin', async () => {
    const rec = recordingIo({ stdin: new TextEncoder().encode('line 1\nline 2\n') });
    expect(await run(new FileTree(), rec.io, fixture('cat'), 'cat')).toEqual({ status: 'ok', exitCode: 0 });
    expect(rec.stdout()).toBe('line 1\nline 2\n');
    expect(rec.stderr()).toBe('read 14 bytes\n');

    const empty = recordingIo();
    expect(await run(new FileTree(), empty.io, fixture('cat'), 'cat')).toEqual({ status: 'ok', exitCode: 0 });
    expect(empty.stdout()).toBe('');
    expect(empty.stderr()).toBe('read 0 bytes\n');
  });

  it('reports the exit code of proc_exit', async () => {
    const rec = recordingIo();
    expect(await run(new FileTree(), rec.io, fixture('exit3'), 'exit3')).toEqual({ status: 'error', exitCode: 3 });
    expect(rec.stdout()).toBe('about to exit\n');
  });

  it('writes new files and directories back into the FileTree', async () => {
    const tree = new FileTree();
    const before = tree.snapshot();
    const rec = recordingIo({ args: ['write', 'out.txt', 'hello file', 'mkdir', 'd', 'write', 'd/x.txt', 'deep', 'mkdir', 'empty'] });
    expect(await run(tree, rec.io, fixture('fsops'), 'fsops')).toEqual({ status: 'ok', exitCode: 0 });
    expect(tree.readText('out.txt')).toBe('hello file');
    expect(tree.readText('d/x.txt')).toBe('deep');
    expect(tree.isDir('empty')).toBe(true);
    const changes = tree.changesSince(before);
    expect(Object.keys(changes.written).sort()).toEqual(['d/x.txt', 'out.txt']);
    expect(changes.dirs).toEqual(['d', 'empty']);
  });

  it('reads files the FileTree has, by relative and absolute path, and lists directories', async () => {
    const tree = new FileTree();
    tree.writeFile('data/in.txt', 'from the tree');
    tree.writeFile('data/more.txt', 'x');
    const rec = recordingIo({ args: ['read', 'data/in.txt', 'read', '/workspace/data/in.txt', 'read', './data/in.txt', 'ls', 'data'] });
    expect(await run(tree, rec.io, fixture('fsops'), 'fsops')).toEqual({ status: 'ok', exitCode: 0 });
    expect(rec.stdout()).toBe(
      'READ data/in.txt: from the tree\nREAD /workspace/data/in.txt: from the tree\nREAD ./data/in.txt: from the tree\nLS data: in.txt more.txt\n',
    );
  });

  it('resolves relative paths against io.cwd', async () => {
    const tree = new FileTree();
    tree.writeFile('sub/in.txt', 'in sub');
    tree.writeFile('top.txt', 'at the root');
    const rec = recordingIo({ cwd: 'sub', args: ['read', 'in.txt', 'read', '../top.txt', 'write', 'out.txt', 'made in sub'] });
    expect(await run(tree, rec.io, fixture('fsops'), 'fsops')).toEqual({ status: 'ok', exitCode: 0 });
    expect(rec.stdout()).toContain('READ in.txt: in sub\nREAD ../top.txt: at the root\n');
    expect(tree.readText('sub/out.txt')).toBe('made in sub');
    expect(tree.isFile('out.txt')).toBe(false);

    const env = recordingIo({ cwd: 'sub', env: { ECHO_VARS: 'PWD' } });
    await run(tree, env.io, fixture('echo'), 'echo');
    expect(env.stdout()).toContain('PWD=/workspace/sub\n');
  });

  it('applies renames and removals, and never mutates the FileTree arrays in place', async () => {
    const tree = new FileTree();
    tree.writeFile('a.txt', 'alpha');
    tree.writeFile('keep.txt', 'original');
    tree.writeFile('gone.txt', 'bye');
    tree.mkdir('olddir');
    const keep = tree.readFile('keep.txt');
    const snapshot = tree.snapshot();
    const rec = recordingIo({ args: ['mv', 'a.txt', 'b.txt', 'rm', 'gone.txt', 'append', 'keep.txt', '+more', 'rmdir', 'olddir'] });
    expect(await run(tree, rec.io, fixture('fsops'), 'fsops')).toEqual({ status: 'ok', exitCode: 0 });
    expect(tree.isFile('a.txt')).toBe(false);
    expect(tree.readText('b.txt')).toBe('alpha');
    expect(tree.isFile('gone.txt')).toBe(false);
    expect(tree.isDir('olddir')).toBe(false);
    expect(tree.readText('keep.txt')).toBe('original+more');
    expect(new TextDecoder().decode(keep)).toBe('original');
    const changes = tree.changesSince(snapshot);
    expect(Object.keys(changes.written).sort()).toEqual(['b.txt', 'keep.txt']);
    // A directory moved away is reported removed, so the host removes it too.
    expect(changes.removed.sort()).toEqual(['a.txt', 'gone.txt', 'olddir']);
  });

  it('refuses paths above `/` and keeps what lands outside /workspace out of the workspace', async () => {
    const tree = new FileTree();
    tree.writeFile('sub/x.txt', 'x');
    const rec = recordingIo({
      cwd: 'sub',
      args: ['read', '../../../x', 'read', '/etc/passwd', 'write', '../../../escape.txt', 'no', 'read', '/workspace/../etc/passwd', 'write', '/escape.txt/y', 'no'],
    });
    const result = await run(tree, rec.io, fixture('fsops'), 'fsops');
    expect(result).toEqual({ status: 'error', exitCode: 1 });
    const lines = rec.stdout().trim().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatch(/^ERR (read|write) \S+: (Capabilities insufficient|No such file or directory|Operation not permitted)$/);
    expect([...tree.allFiles()].map(([p]) => p)).toEqual(['sub/x.txt']);
  });

  it('refuses escapes and NUL at the shim level (ENOTCAPABLE, EINVAL)', () => {
    const tree = new FileTree();
    tree.writeFile('a/b.txt', 'b');
    const [root, workspace, tmp, cwd] = mountWorkspace(tree, 'a', { preopens: 'cwd' }).preopens;
    if (!root || !workspace || !tmp || !cwd) throw new Error('expected four preopens');
    expect([root, workspace, tmp, cwd].map((p) => p.prestatName)).toEqual(['/', '/workspace', '/tmp', '.']);
    expect(root.path_open(0, '../x', 0, 0n, 0n, 0).ret).toBe(wasi.ERRNO_NOTCAPABLE);
    expect(cwd.path_open(0, '../../../b.txt', 0, 0n, 0n, 0).ret).toBe(wasi.ERRNO_NOTCAPABLE);
    expect(tmp.path_open(0, '../../workspace/a/b.txt', 0, 0n, 0n, 0).ret).toBe(wasi.ERRNO_NOTCAPABLE);
    expect(tmp.path_open(0, '../workspace/a/b.txt', 0, 0n, 0n, 0).ret).toBe(wasi.ERRNO_SUCCESS);
    expect(cwd.path_open(0, '../a/b.txt', 0, 0n, 0n, 0).ret).toBe(wasi.ERRNO_SUCCESS);
    expect(root.path_open(0, '/etc/passwd', 0, 0n, 0n, 0).ret).toBe(wasi.ERRNO_NOTCAPABLE);
    expect(root.path_open(0, 'workspace/a/b.txt\0', 0, 0n, 0n, 0).ret).toBe(wasi.ERRNO_INVAL);
    expect(cwd.path_open(0, 'b.txt', 0, 0n, 0n, 0).ret).toBe(wasi.ERRNO_SUCCESS);
  });

  it('reports a trap as crashed with a message on stderr', async () => {
    const rec = recordingIo();
    expect(await run(new FileTree(), rec.io, fixture('trap'), 'trap')).toEqual({ status: 'crashed', exitCode: 134 });
    expect(rec.stdout()).toBe('before trap\n');
    expect(rec.stderr()).toBe('trap: wasm trap: unreachable\n');
  });

  it('streams output while the program is still running', async () => {
    const rec = recordingIo({ args: ['300'] });
    const started = performance.now();
    const result = await run(new FileTree(), rec.io, fixture('stream'), 'stream');
    const ended = performance.now();
    expect(result.status).toBe('ok');
    const [first, second] = rec.chunks;
    expect(first?.text).toBe('first\n');
    expect(second?.text).toBe('second\n');
    if (!first || !second) throw new Error('missing output');
    // The first line arrived before the 300 ms spin, not at the end of the run.
    expect(second.at - first.at).toBeGreaterThanOrEqual(250);
    expect(first.at - started).toBeLessThan(ended - started - 250);
  });

  it('ends with interrupted when the flag is set during output', async () => {
    const rec = recordingIo();
    let ticks = 0;
    rec.io.stdout = () => {
      if (++ticks === 5) Atomics.store(rec.io.interrupt, 0, 2);
    };
    const result = await run(new FileTree(), rec.io, fixture('ticker'), 'ticker');
    expect(result).toEqual({ status: 'interrupted', exitCode: 130 });
    expect(ticks).toBe(5);
  });

  it('sleeps without spinning and wakes when another thread sets the flag', async () => {
    const rec = recordingIo({ args: ['3', '40000'] });
    const t0 = performance.now();
    expect(await run(new FileTree(), rec.io, fixture('ticker'), 'ticker')).toEqual({ status: 'ok', exitCode: 0 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);

    const sleepy = recordingIo({ args: ['-1', '10000000'] });
    const setter = new Worker(
      `const { workerData } = require('node:worker_threads');
       setTimeout(() => { const a = new Int32Array(workerData); Atomics.store(a, 0, 2); Atomics.notify(a, 0); }, 150);`,
      { eval: true, workerData: sleepy.io.interrupt.buffer },
    );
    const t1 = performance.now();
    const result = await run(new FileTree(), sleepy.io, fixture('ticker'), 'ticker');
    const took = performance.now() - t1;
    await setter.terminate();
    expect(result.status).toBe('interrupted');
    expect(took).toBeLessThan(2000);
    expect(sleepy.stdout()).toBe('tick 0\n');
  });

  it('ends a runaway allocation as oom at the memory cap', async () => {
    const small = createWasiRunner({ maxMemoryBytes: 64 * 1024 * 1024 });
    const rec = recordingIo();
    const result = await small(new FileTree(), rec.io, fixture('oom'), 'oom');
    expect(result.status).toBe('oom');
    expect(rec.stderr()).toMatch(/malloc failed after \d+ MiB/);
    expect(rec.stderr()).toMatch(/out of memory/);
  });

  it('refuses bytes that are not a WASI command', async () => {
    const rec = recordingIo();
    expect(await run(new FileTree(), rec.io, new TextEncoder().encode('not wasm'), 'junk.wasm')).toEqual({ status: 'error', exitCode: 126 });
    expect(rec.stderr()).toMatch(/^junk\.wasm: not a valid WebAssembly module/);
  });

  it('reports a missing working directory', async () => {
    const rec = recordingIo({ cwd: 'nope' });
    expect(await run(new FileTree(), rec.io, fixture('hello'), 'hello')).toEqual({ status: 'error', exitCode: 1 });
    expect(rec.stderr()).toMatch(/working directory not found: nope/);
  });
});

describe('compileWasm', () => {
  it('reuses the compiled module for identical bytes', async () => {
    const a = await compileWasm(fixture('hello'));
    const b = await compileWasm(fixture('hello').slice());
    expect(b).toBe(a);
    expect(await compileWasm(fixture('echo'))).not.toBe(a);
  });

  it('caps the module memory maximum', async () => {
    const capped = capMemory(fixture('hello'), 32);
    const module = await WebAssembly.compile(capped as Uint8Array<ArrayBuffer>);
    const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: new Proxy({}, { get: () => () => 0 }) });
    const memory = instance.exports.memory as WebAssembly.Memory;
    const pages = memory.buffer.byteLength / 65536;
    expect(pages).toBeLessThanOrEqual(32);
    expect(() => memory.grow(33 - pages)).toThrow(RangeError);
    expect(memory.grow(32 - pages)).toBe(pages);
  });
});
