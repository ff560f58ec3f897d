/**
 * The filesystem WASI programs see, as a user meets it: C and C++ built by Isobox's clang and
 * Ruby scripts, with `/` holding `/workspace` (the cwd) and a per-run `/tmp`.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileTree } from '../worker/tree.ts';
import { createClangRuntime, type ClangRuntime } from './clang.ts';
import { createRubyRuntime, type RubyRuntime } from './ruby.ts';
import { recordingIo } from './test-io.ts';
import { createWasiRunner } from './wasi.ts';

const require = createRequire(import.meta.url);
const SLOW = 180_000;
let clang: ClangRuntime;
let ruby: RubyRuntime;

beforeAll(async () => {
  clang = createClangRuntime({ loadClang: () => import('@yowasp/clang'), report: () => undefined }, createWasiRunner());
  const bytes = await readFile(require.resolve('@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm'));
  ruby = createRubyRuntime({ loadModule: () => WebAssembly.compile(bytes), report: () => undefined });
});

/** Writes /tmp/x, reads it back, lists `/` and the cwd, checks access(), renames, truncates. */
const FS_C = String.raw`#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void list(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  if (!d) { perror(dir); return; }
  while ((e = readdir(d))) if (e->d_name[0] != '.') printf("%s has %s\n", dir, e->d_name);
  closedir(d);
}

int main(void) {
  char cwd[256], buf[64] = {0};
  printf("cwd %s\n", getcwd(cwd, sizeof cwd));
  FILE *f = fopen("/tmp/x", "w");
  if (!f) { perror("/tmp/x"); return 1; }
  fputs("scratch\n", f);
  fclose(f);
  f = fopen("/tmp/x", "r");
  fgets(buf, sizeof buf, f);
  fclose(f);
  printf("read %s", buf);
  list("/");
  list(".");
  printf("access . W_OK %d, /tmp W_OK %d, / W_OK %d\n", access(".", W_OK), access("/tmp", W_OK), access("/", W_OK));
  struct stat st;
  stat("in.txt", &st);
  printf("in.txt size %lld nlink %llu dir %d mtime>0 %d\n", (long long)st.st_size, (unsigned long long)st.st_nlink, S_ISDIR(st.st_mode), st.st_mtime > 0);
  stat("/tmp", &st);
  printf("/tmp dir %d\n", S_ISDIR(st.st_mode));
  f = fopen("out.txt", "w");
  fputs("0123456789", f);
  fclose(f);
  truncate("out.txt", 4);
  printf("rename %d\n", rename("out.txt", "kept.txt"));
  printf("unlink /tmp/x %d\n", unlink("/tmp/x"));
  printf("rmdir /tmp %d, rmdir /workspace %d\n", rmdir("/tmp"), rmdir("/workspace"));
  printf("escape %s\n", fopen("/../../etc/passwd", "r") ? "OPENED" : "refused");
  return 0;
}
`;

describe('the filesystem WASI programs see', { timeout: SLOW }, () => {
  it('C: cwd is /workspace, / lists workspace and tmp, /tmp is scratch, the workspace gets only what the program wrote', async () => {
    const tree = new FileTree();
    tree.writeFile('in.txt', 'hello');
    const rec = recordingIo();
    expect(await clang.compileAndRun(tree, rec.io, FS_C, 'fs.c', false)).toEqual({ status: 'ok', exitCode: 0 });
    expect(rec.stderr()).toBe('');
    expect(rec.stdout().split('\n')).toEqual([
      'cwd /workspace',
      'read scratch',
      '/ has workspace',
      '/ has tmp',
      '. has in.txt',
      'access . W_OK 0, /tmp W_OK 0, / W_OK 0',
      'in.txt size 5 nlink 1 dir 0 mtime>0 1',
      '/tmp dir 1',
      'rename 0',
      'unlink /tmp/x 0',
      'rmdir /tmp -1, rmdir /workspace -1',
      'escape refused',
      '',
    ]);
    expect([...tree.allFiles()].map(([p, d]) => [p, new TextDecoder().decode(d)])).toEqual([
      ['in.txt', 'hello'],
      ['kept.txt', '0123'],
    ]);
  });

  it('C: relative and absolute paths agree in a subdirectory, and /tmp starts empty on every run', async () => {
    const tree = new FileTree();
    tree.writeFile('src/data.txt', 'abc');
    const code = String.raw`#include <stdio.h>
#include <unistd.h>
int main(void) {
  char cwd[256];
  printf("%s %d %d %d\n", getcwd(cwd, sizeof cwd), access("data.txt", R_OK), access("/workspace/src/data.txt", R_OK), access("/tmp/left-over", F_OK));
  fclose(fopen("/tmp/left-over", "w"));
  fclose(fopen("../top.txt", "w"));
  return 0;
}
`;
    for (let run = 0; run < 2; run++) {
      const rec = recordingIo({ cwd: 'src' });
      expect(await clang.compileAndRun(tree, rec.io, code, 'src/p.c', false)).toEqual({ status: 'ok', exitCode: 0 });
      expect(rec.stdout()).toBe('/workspace/src 0 0 -1\n');
    }
    expect([...tree.allFiles()].map(([p]) => p).sort()).toEqual(['src/data.txt', 'top.txt']);
  });

  it('C++ built with c++ sees the same root', async () => {
    const tree = new FileTree();
    tree.writeFile('main.cpp', '#include <filesystem>\n#include <fstream>\n#include <iostream>\nint main() {\n  std::ofstream("/tmp/t") << "x";\n  std::cout << std::filesystem::current_path().string() << " " << std::filesystem::exists("/tmp/t") << " " << std::filesystem::is_directory("/workspace") << "\\n";\n}\n');
    const rec = recordingIo();
    expect(await clang.compile(tree, rec.io, ['main.cpp', '-o', 'main.wasm'], true)).toEqual({ status: 'ok', exitCode: 0 });
    const run = recordingIo();
    expect(await createWasiRunner()(tree, run.io, tree.readFile('main.wasm'), 'main.wasm')).toEqual({ status: 'ok', exitCode: 0 });
    expect(run.stdout()).toBe('/workspace 1 1\n');
    expect([...tree.allFiles()].map(([p]) => p).sort()).toEqual(['main.cpp', 'main.wasm']);
  });

  it('Ruby: Tempfile, Dir.tmpdir, File.writable?, FileUtils.mkdir_p and Dir.glob work; /tmp is gone after the run', async () => {
    const tree = new FileTree();
    tree.writeFile('lib/a.rb', '');
    const code = [
      'require "tempfile"',
      'require "tmpdir"',
      'require "fileutils"',
      'puts Dir.pwd, Dir.tmpdir, File.writable?("."), File.writable?("/tmp"), File.directory?("/tmp")',
      'puts Dir.children("/").sort.join(",")',
      't = Tempfile.new("x"); t.write("hi"); t.flush; puts File.read(t.path), File.dirname(t.path); t.close!',
      'Dir.mktmpdir { |d| File.write(File.join(d, "f"), "1"); puts Dir.children(d).join }',
      'FileUtils.mkdir_p("out/deep")',
      'File.write("out/deep/r.txt", "ruby")',
      'puts Dir.glob("**/*").sort.join(",")',
      'puts Dir.children("/tmp").size',
    ].join('\n');
    const rec = recordingIo();
    expect(await ruby.run(tree, rec.io, code, 'main.rb')).toEqual({ status: 'ok', exitCode: 0 });
    expect(rec.stderr()).toBe('');
    expect(rec.stdout().split('\n')).toEqual(['/workspace', '/tmp', 'true', 'true', 'true', 'tmp,workspace', 'hi', '/tmp', 'f', 'lib,lib/a.rb,out,out/deep,out/deep/r.txt', '0', '']);
    expect([...tree.allFiles()].map(([p]) => p).sort()).toEqual(['lib/a.rb', 'out/deep/r.txt']);
    const again = recordingIo();
    expect(await ruby.run(tree, again.io, 'puts Dir.children("/tmp").size', 'main.rb')).toEqual({ status: 'ok', exitCode: 0 });
    expect(again.stdout()).toBe('0\n');
  });
});
