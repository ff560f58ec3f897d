import { afterAll, describe, expect, it } from 'vitest';
import { buildFixture } from '../fixtures/build-wasm.ts';
import { isobox, removeAll, tempDir } from './helpers.ts';

// Ruby, C, C++ and WASI binaries through the CLI. These pass once the runtimes are wired into the
// sandbox worker; the CLI itself only maps the extension to a language and passes the run on.
describe('isobox run / exec: Ruby, C, C++, WASI', { timeout: 300_000 }, () => {
  const dirs: string[] = [];
  afterAll(() => removeAll(dirs));
  const workspace = async (files: Record<string, string | Uint8Array>): Promise<string> => {
    const dir = await tempDir(files);
    dirs.push(dir);
    return dir;
  };

  it('runs a prebuilt WASI binary with args, and propagates its exit code', async () => {
    const ws = await workspace({ 'bin/tool.wasm': await buildFixture('echo'), 'exit3.wasm': await buildFixture('exit3') });
    const echo = await isobox(['run', 'bin/tool.wasm', 'a', 'b c'], { cwd: ws });
    expect([echo.code, echo.stderr]).toEqual([0, '']);
    expect(echo.stdout).toContain('arg1=a\narg2=b c\n');
    const exit3 = await isobox(['exec', './exit3.wasm'], { cwd: ws });
    expect([exit3.code, exit3.stdout]).toEqual([3, 'about to exit\n']);
  });

  it('runs Ruby', async () => {
    const ws = await workspace({ 'hello.rb': 'puts "hello #{ARGV.join(",")}"\nexit 4\n' });
    const r = await isobox(['run', 'hello.rb', 'x', 'y'], { cwd: ws });
    expect([r.code, r.stdout]).toEqual([4, 'hello x,y\n']);
  });

  it('compiles and runs C and C++ files', async () => {
    const ws = await workspace({
      'main.c': '#include <stdio.h>\nint main(int argc, char **argv) { printf("c %d\\n", argc); return 5; }\n',
      'main.cpp': '#include <iostream>\nint main() { std::cout << "c++ ok" << std::endl; return 0; }\n',
    });
    const c = await isobox(['run', 'main.c', 'one'], { cwd: ws });
    expect([c.code, c.stdout]).toEqual([5, 'c 2\n']);
    const cpp = await isobox(['run', 'main.cpp'], { cwd: ws });
    expect([cpp.code, cpp.stdout]).toEqual([0, 'c++ ok\n']);
  });

  it('builds with cc and runs the binary in one shell line', async () => {
    const ws = await workspace({ 'main.c': '#include <stdio.h>\n#include <stdlib.h>\nint main(int argc, char **argv) { printf("%d\\n", atoi(argv[1]) * 2); return 0; }\n' });
    const r = await isobox(['exec', 'cc main.c -o main.wasm && ./main.wasm 21'], { cwd: ws });
    expect([r.code, r.stdout]).toEqual([0, '42\n']);
  });
});
