import { beforeAll, describe, expect, it } from 'vitest';
import { FileTree } from '../worker/tree.ts';
import { createClangRuntime, type ClangRuntime } from './clang.ts';
import type { ReportStatus } from './runtime.ts';
import { recordingIo } from './test-io.ts';
import { createWasiRunner } from './wasi.ts';

// The toolchain is ~100 MB of wasm: loading takes seconds, each compile a fraction of one.
const SLOW = 180_000;

const reports: Parameters<ReportStatus>[] = [];
const runWasi = createWasiRunner();
let clang: ClangRuntime;

beforeAll(() => {
  clang = createClangRuntime({ loadClang: () => import('@yowasp/clang'), report: (...args) => reports.push(args) }, runWasi);
});

const recorder = recordingIo;

const HELLO_C = '#include <stdio.h>\n\nint main(void) {\n  printf("hello from clang\\n");\n  return 0;\n}\n';

describe('clang runtime', { timeout: SLOW }, () => {
  it('loads once, reporting download progress, then ready', async () => {
    const version = await clang.ready();
    expect(version).toMatch(/^clang \d+\./);
    const loading = reports.filter(([phase]) => phase === 'loading');
    expect(loading.some(([, detail, progress]) => /^downloading clang \d+%$/.test(detail) && typeof progress === 'number')).toBe(true);
    expect(reports.at(-1)).toEqual(['ready', version]);
    expect(await clang.ready()).toBe(version);
    expect(reports.filter(([phase]) => phase === 'ready')).toHaveLength(1);
  });

  it('compiles hello.c from the workspace into it, and the WASI runner runs the result', async () => {
    const tree = new FileTree();
    tree.writeFile('hello.c', HELLO_C);
    const before = tree.snapshot();
    const rec = recorder();
    expect(await clang.compile(tree, rec.io, ['hello.c', '-o', 'hello.wasm'], false)).toEqual({ status: 'ok', exitCode: 0 });
    expect(rec.stderr()).toBe('');
    expect(Object.keys(tree.changesSince(before).written)).toEqual(['hello.wasm']);

    const run = recorder();
    expect(await runWasi(tree, run.io, tree.readFile('hello.wasm'), 'hello.wasm')).toEqual({ status: 'ok', exitCode: 0 });
    expect(run.stdout()).toBe('hello from clang\n');
  });

  it('writes a.out by default, like cc, in the working directory', async () => {
    const tree = new FileTree();
    tree.writeFile('proj/util.h', '#define GREETING "from a header"\n');
    tree.writeFile('proj/main.c', '#include <stdio.h>\n#include "util.h"\nint main(void) { puts(GREETING); return 0; }\n');
    const rec = recorder({ cwd: 'proj' });
    expect(await clang.compile(tree, rec.io, ['main.c'], false)).toEqual({ status: 'ok', exitCode: 0 });
    expect(tree.isFile('proj/a.out')).toBe(true);
    const run = recorder({ cwd: 'proj' });
    await runWasi(tree, run.io, tree.readFile('proj/a.out'), 'a.out');
    expect(run.stdout()).toBe('from a header\n');

    // Absolute /workspace paths work too, whatever the working directory.
    const abs = recorder({ cwd: 'proj' });
    expect(await clang.compile(tree, abs.io, ['/workspace/proj/main.c', '-o', '/workspace/out/main.wasm'], false)).toEqual({ status: 'ok', exitCode: 0 });
    expect(tree.isFile('out/main.wasm')).toBe(true);
    expect(tree.isFile('proj/workspace/out/main.wasm')).toBe(false);
  });

  it('reports a compile error with file:line and a non-zero exit', async () => {
    const tree = new FileTree();
    tree.writeFile('main.c', 'int main(void) {\n  return missing;\n}\n');
    const before = tree.snapshot();
    const rec = recorder();
    const result = await clang.compile(tree, rec.io, ['main.c'], false);
    expect(result.status).toBe('error');
    expect(result.exitCode).not.toBe(0);
    expect(rec.stderr()).toMatch(/main\.c:2:\d+: error: use of undeclared identifier 'missing'/);
    expect(tree.changesSince(before).written).toEqual({});
  });

  it('compiles and runs C++ with iostream, leaving the workspace untouched', async () => {
    const tree = new FileTree();
    tree.writeFile('main.cpp', '// the editor buffer, not this file, is compiled\n');
    const before = tree.snapshot();
    const code = '#include <iostream>\n#include <vector>\nint main(int argc, char** argv) {\n  std::vector<int> v{1, 2, 3};\n  std::cout << "hello c++ " << v.size() << " " << argv[1] << std::endl;\n  return 0;\n}\n';
    const rec = recorder({ args: ['arg!'] });
    expect(await clang.compileAndRun(tree, rec.io, code, 'main.cpp', true)).toEqual({ status: 'ok', exitCode: 0 });
    expect(rec.stdout()).toBe('hello c++ 3 arg!\n');
    expect(tree.changesSince(before)).toEqual({ written: {}, removed: [], dirs: [] });
  });

  it('Run reports compile errors without running, and passes the program exit code through', async () => {
    const broken = recorder();
    const failed = await clang.compileAndRun(new FileTree(), broken.io, 'int main(void) {\n  oops\n}\n', 'main.c', false);
    expect(failed.status).toBe('error');
    expect(broken.stderr()).toMatch(/main\.c:2:/);

    const exits = recorder({ args: ['a', 'b'] });
    const code = '#include <stdio.h>\nint main(int argc, char **argv) { printf("%s\\n", argv[0]); return argc; }\n';
    expect(await clang.compileAndRun(new FileTree(), exits.io, code, 'prog.c', false)).toEqual({ status: 'error', exitCode: 3 });
    expect(exits.stdout()).toBe('prog\n');
  });
});
