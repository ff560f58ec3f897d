import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture } from '../../../tests/fixtures/build-wasm.ts';
import { createMemoryWorkspace } from '../fs/memory.ts';
import type { Sandbox } from './api.ts';
import { createNodeSandbox } from './node.ts';

// Ruby, C and WASI through the whole sandbox (host → worker → shell → runtimes), sharing one workspace with Python.
describe('sandbox: every runtime over one workspace', () => {
  const workspace = createMemoryWorkspace();
  let sb: Sandbox;

  beforeAll(async () => {
    sb = createNodeSandbox({ workspace });
    await workspace.writeFile('tools/hello.wasm', await buildFixture('hello'));
  });
  afterAll(async () => {
    await sb.dispose();
  });

  it('runs Ruby code and reports exceptions as error with Ruby’s message', async () => {
    expect(await sb.run({ language: 'ruby', code: 'puts "hi from ruby"' })).toMatchObject({ status: 'ok', exitCode: 0, stdout: 'hi from ruby\n' });
    const bad = await sb.run({ language: 'ruby', code: 'raise ArgumentError, "nope"' });
    expect([bad.status, bad.exitCode]).toEqual(['error', 1]);
    expect(bad.stderr).toContain('nope (ArgumentError)');
  });

  it('runs a WASI binary from the workspace with args', async () => {
    const r = await sb.exec('./tools/hello.wasm');
    expect(r.status).toBe('ok');
    expect(r.stdout.length).toBeGreaterThan(0);
  });

  it('compiles C with cc, runs it, and shares files with Python and Ruby', async () => {
    await sb.fs.writeFile(
      'count.c',
      '#include <stdio.h>\nint main(int argc, char **argv) {\n  FILE *in = fopen("from_python.txt", "r");\n  int n = 0, c;\n  while ((c = fgetc(in)) != EOF) if (c == \'\\n\') n++;\n  fclose(in);\n  FILE *out = fopen("from_c.txt", "w");\n  fprintf(out, "%d lines\\n", n);\n  fclose(out);\n  printf("counted %d (%s)\\n", n, argc > 1 ? argv[1] : "-");\n  return 3;\n}\n',
    );
    const line = 'python -c "open(\'from_python.txt\', \'w\').write(\'a\\nb\\n\')" && cc count.c -o count.wasm && ./count.wasm arg1';
    const r = await sb.exec(line);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('counted 2 (arg1)\n');
    expect([r.status, r.exitCode]).toEqual(['error', 3]);
    expect(r.filesChanged).toEqual(['count.wasm', 'from_c.txt', 'from_python.txt']);
    const ruby = await sb.exec('ruby -e "puts File.read(\'from_c.txt\')"');
    expect(ruby.stdout).toBe('2 lines\n');
  }, 120_000);

  it('runs C source directly (Run = compile + run) and shows compile errors with file:line', async () => {
    const ok = await sb.run({ language: 'c', code: '#include <stdio.h>\nint main(void) { puts("compiled and ran"); return 0; }\n' });
    expect(ok).toMatchObject({ status: 'ok', stdout: 'compiled and ran\n' });
    const bad = await sb.run({ language: 'c', code: 'int main(void) {\n  return nope;\n}\n', filename: 'broken.c' });
    expect(bad.status).toBe('error');
    expect(bad.stderr).toMatch(/broken\.c:2:\d+: error/);
  }, 120_000);

  it('pipes Python output into a WASI program', async () => {
    await sb.fs.writeFile('wc.c', '#include <stdio.h>\nint main(void) { int n = 0, c; while ((c = getchar()) != EOF) n += c == \'\\n\'; printf("%d\\n", n); return 0; }\n');
    const r = await sb.exec('cc wc.c -o wc.wasm && python -c "print(\'x\\n\' * 4, end=\'\')" | ./wc.wasm');
    expect(r.stdout).toBe('4\n');
  }, 120_000);

  it('stops a C busy loop on timeout and keeps the workspace', async () => {
    await sb.fs.writeFile('spin.c', 'int main(void) { for (;;) {} }\n');
    const r = await sb.exec('cc spin.c -o spin.wasm && ./spin.wasm', { timeoutMs: 1500 });
    expect([r.status, r.exitCode]).toEqual(['timeout', 124]);
    expect(await sb.fs.exists('count.c')).toBe(true);
  }, 120_000);
});
