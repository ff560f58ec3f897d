/**
 * The browser/Node parity corpus: small programs across Python, Ruby, C, C++ and WASI binaries,
 * with their files, args and stdin. Data only: tests/parity/run-case.ts runs a case against a
 * sandbox, parity.test.ts (Node, the CLI's sandbox) and e2e/parity.spec.ts (Chromium, the page's
 * sandbox) compare the results with the same tests/parity/expected.json.
 *
 * Every case starts from an empty workspace (in the browser, the project's folder is emptied
 * first, its main.py too) with `$?` = 0 and the workspace root as its working directory.
 * `expect` is the behaviour a reviewer expects, written by hand: it is checked on top of the
 * snapshot, so a regenerated snapshot cannot quietly enshrine a wrong result.
 *
 * Cases that crash (a wasm trap, a Python crash) come last: the sandbox then replaces its worker,
 * and a fresh worker reloads every runtime, which is slow.
 */
import type { Language, RunStatus } from '../../src/sandbox/protocol.ts';

/** Run a program's source (or, for `wasm`, a workspace binary) as the Run button and `isobox run` do. */
export interface CodeRun {
  language: Language;
  code: string;
  args?: string[];
  env?: Record<string, string>;
  stdin?: string;
  timeoutMs?: number;
}

/** Run one shell line, as the terminal and `isobox exec` do. */
export interface ExecRun {
  exec: string;
  env?: Record<string, string>;
  stdin?: string;
  timeoutMs?: number;
}

/** Hand-written expectations, checked against the record on top of the snapshot. */
export interface CaseExpect {
  status?: RunStatus;
  exitCode?: number;
  stdout?: string;
  stdoutIncludes?: string[];
  stdoutExcludes?: string[];
  stderr?: string;
  stderrIncludes?: string[];
  truncated?: boolean;
  filesChanged?: string[];
  /** Exact contents (as text) of changed files; `null` for a removed file. */
  files?: Record<string, string | null>;
}

export interface ParityCase {
  name: string;
  /** Text files written into the workspace before the run. */
  setup?: Record<string, string>;
  /** WASI binaries written before the run: workspace path → fixture name (see fixtures.ts). */
  wasmFixtures?: Record<string, string>;
  run: CodeRun | ExecRun;
  expect?: CaseExpect;
  /**
   * A bug this case shows in Node (and, unless `browserDiffers` says otherwise, identically in the
   * browser). `expect` then describes the correct behaviour and the Node test asserts it is still
   * NOT met, so a fix makes it fail: then drop this field and regenerate expected.json. The
   * snapshot keeps today's behaviour, so browser and Node are still held to the same result.
   */
  knownIssue?: string;
  /**
   * A difference between the browser and Node this case shows (a bug): the browser's record does
   * not equal expected.json (Node's) yet. e2e/parity.spec.ts marks the case as expected to fail,
   * so a fix makes it fail: then drop this field.
   */
  browserDiffers?: string;
}

/** Everything else is one `isobox exec` line. */
export function isExec(run: ParityCase['run']): run is ExecRun {
  return 'exec' in run;
}

const MIB = 1024 * 1024;

export const CORPUS: ParityCase[] = [
  // ---------------------------------------------------------------- Python
  {
    name: 'python: unicode on stdout and stderr',
    run: { language: 'python', code: 'import sys\nprint("héllo wörld 🌍 你好")\nprint("ошибка ⚠", file=sys.stderr)\n' },
    expect: { status: 'ok', exitCode: 0, stdout: 'héllo wörld 🌍 你好\n', stderr: 'ошибка ⚠\n', filesChanged: [] },
  },
  {
    name: 'python: uncaught exception is a traceback and exit 1',
    run: { language: 'python', code: 'def parse(text):\n    return int(text)\n\nprint("before")\nparse("twelve")\n' },
    expect: { status: 'error', exitCode: 1, stdout: 'before\n', stderrIncludes: ['Traceback (most recent call last):', "ValueError: invalid literal for int() with base 10: 'twelve'"] },
  },
  {
    name: 'python: syntax error',
    run: { language: 'python', code: 'print("never")\nif True\n    pass\n' },
    expect: { status: 'error', exitCode: 1, stdout: '', stderrIncludes: ['SyntaxError'] },
  },
  {
    name: 'python: sys.exit(3) after output',
    run: { language: 'python', code: 'import sys\nprint("partial")\nsys.stdout.flush()\nsys.exit(3)\n' },
    expect: { status: 'error', exitCode: 3, stdout: 'partial\n', stderr: '' },
  },
  {
    name: 'python: args and stdin, unicode in both',
    run: {
      language: 'python',
      code: 'import sys\nprint(sys.argv[1:])\nlines = sys.stdin.read().splitlines()\nprint(len(lines), "lines")\nfor line in lines:\n    print(line[::-1])\n',
      args: ['plain', 'with space', 'ünïcødé', '🌍', ''],
      stdin: 'abc\nnaïve\n日本語\n',
    },
    expect: { status: 'ok', exitCode: 0, stdout: "['plain', 'with space', 'ünïcødé', '🌍', '']\n3 lines\ncba\nevïan\n語本日\n" },
  },
  {
    name: 'python: what the program sees of its environment',
    run: {
      language: 'python',
      code: 'import os, sys\nprint(sys.platform)\nprint(os.getcwd())\nprint(sys.argv)\nprint(sorted(os.listdir(".")))\nprint(sorted(os.environ.items()))\n',
      args: ['x'],
    },
    expect: {
      status: 'ok',
      exitCode: 0,
      // Every run starts from the same small environment, in the browser and in Node.
      stdout:
        "emscripten\n/workspace\n['/workspace/main.py', 'x']\n[]\n[('HOME', '/home/pyodide'), ('LANG', 'C.UTF-8'), ('LOGNAME', 'web_user'), ('PATH', '/'), ('PWD', '/workspace'), ('USER', 'web_user')]\n",
    },
  },
  {
    name: 'python: the environment variable _',
    run: { language: 'python', code: 'import os\nprint(os.environ.get("_"))\n' },
    expect: { status: 'ok', exitCode: 0, stdout: 'None\n' },
  },
  {
    name: 'python: LANG',
    run: { language: 'python', code: 'import locale, os\nprint(os.environ.get("LANG"), locale.getpreferredencoding())\n' },
    expect: { status: 'ok', exitCode: 0, stdout: 'C.UTF-8 UTF-8\n' },
  },
  {
    name: 'python: environment variables from the run',
    run: { language: 'python', code: 'import os\nprint(os.environ.get("GREETING"), os.environ.get("EMPTY"))\n', env: { GREETING: 'grüß dich', EMPTY: '' } },
    expect: { status: 'ok', exitCode: 0, stdout: 'grüß dich \n' },
  },
  {
    name: 'python: writes text, unicode-named and binary files',
    run: {
      language: 'python',
      code: [
        'import os',
        'os.makedirs("out/nested", exist_ok=True)',
        'with open("out/nested/data.txt", "w", encoding="utf-8") as f:',
        '    f.write("line 1\\nligne 2 ✓\\n")',
        'with open("résumé ünï.txt", "w", encoding="utf-8") as f:',
        '    f.write("名前\\n")',
        'with open("out/bytes.bin", "wb") as f:',
        '    f.write(bytes(range(256)))',
        'print(sorted(os.listdir("out")))',
        '',
      ].join('\n'),
    },
    expect: {
      status: 'ok',
      exitCode: 0,
      stdout: "['bytes.bin', 'nested']\n",
      filesChanged: ['out/bytes.bin', 'out/nested/data.txt', 'résumé ünï.txt'],
      files: { 'out/nested/data.txt': 'line 1\nligne 2 ✓\n', 'résumé ünï.txt': '名前\n' },
    },
  },
  {
    name: 'python: edits, appends and removes existing files',
    setup: { 'notes.txt': 'first\n', 'old.txt': 'to be removed\n', 'keep.txt': 'untouched\n' },
    run: {
      language: 'python',
      code: 'import os\nwith open("notes.txt", "a") as f:\n    f.write("second\\n")\nos.remove("old.txt")\nos.rename("keep.txt", "kept.txt")\nprint(open("notes.txt").read(), end="")\n',
    },
    expect: {
      status: 'ok',
      stdout: 'first\nsecond\n',
      filesChanged: ['keep.txt', 'kept.txt', 'notes.txt', 'old.txt'],
      files: { 'notes.txt': 'first\nsecond\n', 'old.txt': null, 'keep.txt': null, 'kept.txt': 'untouched\n' },
    },
  },
  {
    name: 'python: output over the 1 MiB cap is truncated',
    run: { language: 'python', code: 'import sys\nfor i in range(100000):\n    print(f"line {i:06d} " + "x" * 20)\nprint("done", file=sys.stderr)\n' },
    expect: { status: 'ok', exitCode: 0, truncated: true, stderr: 'done\n' },
  },
  {
    name: 'python: the cap cuts a multi-byte character',
    // 3 bytes per '€': the cap (1 MiB) falls inside the 349526th one.
    run: { language: 'python', code: `print("€" * ${Math.ceil(MIB / 3) + 10})\n` },
    expect: { status: 'ok', exitCode: 0, truncated: true },
  },
  {
    name: 'python: a timeout keeps what was printed',
    run: { language: 'python', code: 'print("started", flush=True)\nwhile True:\n    pass\n', timeoutMs: 1500 },
    expect: { status: 'timeout', exitCode: 124, stdoutIncludes: ['started\n'] },
  },

  // ---------------------------------------------------------------- Ruby
  {
    name: 'ruby: unicode, args and $0',
    run: { language: 'ruby', code: 'puts "héllo 🌍 #{ARGV.inspect}"\nputs $0\nputs Dir.pwd\nwarn "warnung ⚠"\n', args: ['ä b', 'ç'] },
    expect: { status: 'ok', exitCode: 0, stdout: 'héllo 🌍 ["ä b", "ç"]\nmain.rb\n/workspace\n', stderr: 'warnung ⚠\n' },
  },
  {
    name: 'ruby: exception is exit 1 with the message',
    run: { language: 'ruby', code: 'def check(n)\n  raise ArgumentError, "n must be positive, got #{n}" if n <= 0\nend\nputs "checking"\ncheck(-2)\n' },
    expect: { status: 'error', exitCode: 1, stdout: 'checking\n', stderrIncludes: ['n must be positive, got -2 (ArgumentError)'] },
  },
  {
    name: 'ruby: syntax error',
    run: { language: 'ruby', code: 'puts "never"\ndef broken(\n' },
    expect: { status: 'error', exitCode: 1, stdout: '' },
  },
  {
    name: 'ruby: exit 4',
    run: { language: 'ruby', code: '$stdout.puts "bye"\nexit 4\n' },
    expect: { status: 'error', exitCode: 4, stdout: 'bye\n', stderr: '' },
  },
  {
    name: 'ruby: stdin lines',
    run: { language: 'ruby', code: 'lines = $stdin.read.lines.map(&:chomp)\nputs lines.map(&:upcase).join(",")\nputs lines.sum(&:length)\n', stdin: 'eins\nzwei\ndrëi\n' },
    expect: { status: 'ok', stdout: 'EINS,ZWEI,DRËI\n12\n' },
  },
  {
    name: 'ruby: reads a file, writes JSON and a unicode-named file',
    setup: { 'data/scores.csv': 'ana,3\nbo,5\nçé,4\n' },
    run: {
      language: 'ruby',
      code: [
        "require 'json'",
        "rows = File.readlines('data/scores.csv', chomp: true).map { |l| n, s = l.split(','); [n, s.to_i] }",
        "File.write('data/summary.json', JSON.generate({ total: rows.sum { |r| r[1] }, names: rows.map(&:first) }))",
        "File.write('données.txt', \"ok\\n\")",
        "puts Dir.children('data').sort.inspect",
        '',
      ].join('\n'),
    },
    expect: {
      status: 'ok',
      stdout: '["scores.csv", "summary.json"]\n',
      filesChanged: ['data/summary.json', 'données.txt'],
      files: { 'data/summary.json': '{"total":12,"names":["ana","bo","çé"]}', 'données.txt': 'ok\n' },
    },
  },
  {
    name: 'ruby: environment variables the program sees',
    run: { language: 'ruby', code: 'puts ENV.to_h.sort.inspect\n' },
    expect: { status: 'ok', exitCode: 0, stdout: '[["PWD", "/workspace"]]\n' },
  },
  {
    name: 'ruby: environment variables from the run',
    run: { language: 'ruby', code: 'puts ENV["GREETING"]\np ENV["GREETING"]\np ENV["GREETING"].encoding\n', env: { GREETING: 'grüß dich' } },
    knownIssue: 'Ruby ENV strings are ASCII-8BIT, not UTF-8: inspect shows "gr\\xC3\\xBC\\xC3\\x9F dich" (ARGV and stdin are UTF-8)',
    expect: { status: 'ok', exitCode: 0, stdout: 'grüß dich\n"grüß dich"\n#<Encoding:UTF-8>\n' },
  },

  // ---------------------------------------------------------------- C
  {
    name: 'c: return 5 from main',
    run: { language: 'c', code: '#include <stdio.h>\nint main(void) {\n  puts("five");\n  return 5;\n}\n' },
    expect: { status: 'error', exitCode: 5, stdout: 'five\n', stderr: '' },
  },
  {
    name: 'c: compile error names file and line',
    run: { language: 'c', code: '#include <stdio.h>\nint main(void) {\n  printf("%d\\n", undefined_thing);\n  return 0;\n}\n' },
    expect: { status: 'error', exitCode: 1, stdout: '', stderrIncludes: ["main.c:3:18: error: use of undeclared identifier 'undefined_thing'"] },
  },
  {
    name: 'c: args and stdin',
    run: {
      language: 'c',
      code: [
        '#include <stdio.h>',
        'int main(int argc, char **argv) {',
        '  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\\n", i, argv[i]);',
        '  long sum = 0, n;',
        '  while (scanf("%ld", &n) == 1) sum += n;',
        '  printf("sum=%ld\\n", sum);',
        '  return 0;',
        '}',
        '',
      ].join('\n'),
      args: ['one', 'two words', 'ünï'],
      stdin: '1 2 3\n40\n',
    },
    expect: { status: 'ok', exitCode: 0, stdout: 'argv[0]=main\nargv[1]=one\nargv[2]=two words\nargv[3]=ünï\nsum=46\n' },
  },
  {
    name: 'c: exit(7) from a helper, stderr kept',
    run: {
      language: 'c',
      code: '#include <stdio.h>\n#include <stdlib.h>\nstatic void die(const char *why) {\n  fprintf(stderr, "fatal: %s\\n", why);\n  exit(7);\n}\nint main(void) {\n  printf("working\\n");\n  die("no input ✗");\n  return 0;\n}\n',
    },
    expect: { status: 'error', exitCode: 7, stdout: 'working\n', stderr: 'fatal: no input ✗\n' },
  },
  {
    name: 'c: unicode text and a unicode file name',
    setup: { 'entrée.txt': 'grüße\n' },
    run: {
      language: 'c',
      code: [
        '#include <stdio.h>',
        'int main(void) {',
        '  char buf[64] = {0};',
        '  FILE *in = fopen("entrée.txt", "r");',
        '  if (!in) { perror("entrée.txt"); return 1; }',
        '  fgets(buf, sizeof buf, in);',
        '  fclose(in);',
        '  FILE *out = fopen("sortie→.txt", "w");',
        '  fprintf(out, "copié: %s", buf);',
        '  fclose(out);',
        '  printf("%s", buf);',
        '  printf("π≈3.14 ✓ 日本\\n");',
        '  return 0;',
        '}',
        '',
      ].join('\n'),
    },
    expect: { status: 'ok', stdout: 'grüße\nπ≈3.14 ✓ 日本\n', filesChanged: ['sortie→.txt'], files: { 'sortie→.txt': 'copié: grüße\n' } },
  },
  {
    name: 'c: directory listing, cwd and environment',
    setup: { 'in/a.txt': 'a', 'in/b.txt': 'bb' },
    run: {
      language: 'c',
      code: [
        '#include <dirent.h>',
        '#include <stdio.h>',
        '#include <stdlib.h>',
        '#include <string.h>',
        '#include <sys/stat.h>',
        '#include <unistd.h>',
        'extern char **environ;',
        'static int cmp(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }',
        'int main(void) {',
        '  char cwd[256];',
        '  printf("cwd=%s\\n", getcwd(cwd, sizeof cwd) ? cwd : "?");',
        '  DIR *d = opendir("in");',
        '  char *names[16]; int n = 0;',
        '  struct dirent *e;',
        '  while ((e = readdir(d)) && n < 16) if (e->d_name[0] != \'.\') names[n++] = strdup(e->d_name);',
        '  closedir(d);',
        '  qsort(names, n, sizeof *names, cmp);',
        '  for (int i = 0; i < n; i++) {',
        '    struct stat st; char path[300];',
        '    snprintf(path, sizeof path, "in/%s", names[i]);',
        '    stat(path, &st);',
        '    printf("%s %lld\\n", names[i], (long long)st.st_size);',
        '  }',
        '  int vars = 0;',
        '  for (char **v = environ; *v; v++) vars++;',
        '  printf("env vars: %d\\n", vars);',
        '  return 0;',
        '}',
        '',
      ].join('\n'),
    },
    expect: { status: 'ok', stdout: 'cwd=/workspace\na.txt 1\nb.txt 2\nenv vars: 1\n' },
  },
  {
    name: 'c: output over the cap is truncated',
    run: {
      language: 'c',
      code: '#include <stdio.h>\nint main(void) {\n  for (int i = 0; i < 200000; i++) printf("row %06d ........\\n", i);\n  fprintf(stderr, "end\\n");\n  return 0;\n}\n',
    },
    expect: { status: 'ok', exitCode: 0, truncated: true, stderr: 'end\n' },
  },

  // ---------------------------------------------------------------- C++
  {
    // Language features only: STL headers take clang 10-30 s to compile here, over the default timeout on a busy machine.
    name: 'c++: templates, classes, virtuals and lambdas over stdin and args',
    run: {
      language: 'cpp',
      code: [
        '#include <cstdio>',
        'template <typename T, int N> struct Stack {',
        '  T items[N];',
        '  int size = 0;',
        '  void push(T v) { items[size++] = v; }',
        '  T pop() { return items[--size]; }',
        '};',
        'struct Shape {',
        '  virtual ~Shape() = default;',
        '  virtual double area() const = 0;',
        '  virtual const char *name() const = 0;',
        '};',
        'struct Rect : Shape {',
        '  double w, h;',
        '  Rect(double w, double h) : w(w), h(h) {}',
        '  double area() const override { return w * h; }',
        '  const char *name() const override { return "rect"; }',
        '};',
        'struct Square : Rect {',
        '  explicit Square(double s) : Rect(s, s) {}',
        '  const char *name() const override { return "square ■"; }',
        '};',
        'int main(int argc, char **argv) {',
        '  Stack<long, 64> stack;',
        '  long n;',
        '  while (std::scanf("%ld", &n) == 1) stack.push(n);',
        '  auto square = [](long v) { return v * v; };',
        '  long total = 0;',
        '  while (stack.size > 0) total += square(stack.pop());',
        '  std::printf("sum of squares: %ld\\n", total);',
        '  Rect r(2, 3.5);',
        '  Square s(1.5);',
        '  const Shape *shapes[] = {&r, &s};',
        '  for (const Shape *shape : shapes) std::printf("%s %.2f\\n", shape->name(), shape->area());',
        '  std::printf("args: %d, last: %s\\n", argc - 1, argv[argc - 1]);',
        '  return static_cast<int>(total);',
        '}',
        '',
      ].join('\n'),
      args: ['--flag', 'zürich'],
      stdin: '1 2 3\n4\n',
    },
    expect: { status: 'error', exitCode: 30, stdout: 'sum of squares: 30\nrect 7.00\nsquare ■ 2.25\nargs: 2, last: zürich\n', stderr: '' },
  },
  {
    name: 'c++: compile error',
    run: { language: 'cpp', code: 'struct Point { int x; };\nint main() {\n  Point p;\n  return p.y;\n}\n' },
    expect: { status: 'error', exitCode: 1, stdout: '', stderrIncludes: ["main.cpp:4:12: error: no member named 'y' in 'Point'"] },
  },
  {
    name: 'c++: exceptions are off by default',
    run: { language: 'cpp', code: 'int main() {\n  try { throw 1; } catch (int) { return 2; }\n}\n' },
    expect: { status: 'error', exitCode: 1, stdout: '' },
  },

  // ---------------------------------------------------------------- WASI binaries
  {
    name: 'wasi: args with unicode and spaces, env from the shell',
    wasmFixtures: { 'bin/echo.wasm': 'echo' },
    run: { exec: './bin/echo.wasm héllo "two words" 🌍 \'$NOT\' "$GREETING" $MISSING', env: { ECHO_VARS: 'GREETING,MISSING', GREETING: 'grüß dich' } },
    expect: {
      status: 'ok',
      exitCode: 0,
      stdout: 'arg0=./bin/echo.wasm\narg1=héllo\narg2=two words\narg3=🌍\narg4=$NOT\narg5=grüß dich\nGREETING=grüß dich\nMISSING=(unset)\n',
    },
  },
  {
    name: 'wasi: run a workspace binary with args',
    wasmFixtures: { 'tools/echo.wasm': 'echo' },
    run: { language: 'wasm', code: 'tools/echo.wasm', args: ['α', 'β γ'] },
    expect: { status: 'ok', exitCode: 0, stdout: 'arg0=tools/echo.wasm\narg1=α\narg2=β γ\n' },
  },
  {
    name: 'wasi: raw proc_exit skips stdio buffers',
    wasmFixtures: { 'bin/procexit.wasm': 'procexit' },
    run: { language: 'wasm', code: 'bin/procexit.wasm', args: ['42', 'written', 'ünï'] },
    expect: { status: 'error', exitCode: 42, stdout: 'written\nünï\n', stderr: 'exiting\n' },
  },
  {
    name: 'wasi: exit(3), then $? in the same line',
    wasmFixtures: { 'bin/exit3.wasm': 'exit3', 'bin/procexit.wasm': 'procexit' },
    run: { exec: './bin/exit3.wasm; echo "exit3 gave $?"; ./bin/procexit.wasm 0 quiet; echo "procexit gave $?"' },
    expect: { status: 'ok', exitCode: 0, stdout: 'about to exit\nexit3 gave 3\nquiet\nprocexit gave 0\n', stderr: 'exiting\n' },
  },
  {
    name: 'wasi: stdin from the run, a file and a pipe',
    wasmFixtures: { 'cat.wasm': 'cat', 'echo.wasm': 'echo' },
    setup: { 'in.txt': 'from a file ✓\n' },
    run: { exec: './cat.wasm && ./cat.wasm < in.txt && ./echo.wasm piped | ./cat.wasm', stdin: 'from the run 🌍\n' },
    expect: {
      status: 'ok',
      exitCode: 0,
      stdout: 'from the run 🌍\nfrom a file ✓\narg0=./echo.wasm\narg1=piped\n',
      stderr: 'read 18 bytes\nread 16 bytes\nread 28 bytes\n',
    },
  },
  {
    name: 'wasi: file operations inside the workspace',
    wasmFixtures: { 'fsops.wasm': 'fsops' },
    setup: { 'start.txt': 'początek' },
    run: {
      exec: './fsops.wasm cwd read start.txt mkdir work write work/a.txt alpha append work/a.txt +beta mv start.txt work/moved.txt ls work read work/a.txt rm work/a.txt read missing.txt',
    },
    expect: {
      status: 'error',
      exitCode: 1,
      stdout: [
        'cwd /',
        'READ start.txt: początek',
        'OK mkdir work',
        'OK write work/a.txt',
        'OK append work/a.txt',
        'OK mv start.txt work/moved.txt',
        'LS work: a.txt moved.txt',
        'READ work/a.txt: alpha+beta',
        'OK rm work/a.txt',
        'ERR read missing.txt: No such file or directory',
        '',
      ].join('\n'),
      // work/a.txt was created and removed by the same run: no net change, so not listed.
      filesChanged: ['start.txt', 'work/moved.txt'],
      files: { 'start.txt': null, 'work/moved.txt': 'początek' },
    },
  },
  {
    name: 'wasi: a missing binary and a non-program',
    setup: { 'notes.txt': 'not a program' },
    run: { exec: './nothere.wasm; echo "missing: $?"; ./notes.txt; echo "not a program: $?"' },
    expect: { status: 'ok', exitCode: 0, stdoutIncludes: ['missing: 127\n'] },
  },

  // ---------------------------------------------------------------- shell lines across languages
  {
    name: 'shell: Python writes, C reads, Ruby writes back',
    setup: {
      'sum.c': [
        '#include <stdio.h>',
        'int main(void) {',
        '  FILE *in = fopen("numbers.txt", "r");',
        '  long n, sum = 0, count = 0;',
        '  while (fscanf(in, "%ld", &n) == 1) { sum += n; count++; }',
        '  fclose(in);',
        '  FILE *out = fopen("sum.txt", "w");',
        '  fprintf(out, "%ld %ld\\n", count, sum);',
        '  fclose(out);',
        '  return 0;',
        '}',
        '',
      ].join('\n'),
      'gen.py': 'with open("numbers.txt", "w") as f:\n    for i in range(1, 11):\n        f.write(f"{i * i}\\n")\n',
      'report.rb': 'count, sum = File.read("sum.txt").split.map(&:to_i)\nFile.write("report.txt", "#{count} squares, total #{sum}, mean #{sum / count}\\n")\n',
    },
    run: { exec: 'python gen.py && cc sum.c -o sum.wasm && ./sum.wasm && ruby report.rb && cat report.txt' },
    expect: {
      status: 'ok',
      exitCode: 0,
      stdout: '10 squares, total 385, mean 38\n',
      stderr: '',
      filesChanged: ['numbers.txt', 'report.txt', 'sum.txt', 'sum.wasm'],
      files: { 'numbers.txt': '1\n4\n9\n16\n25\n36\n49\n64\n81\n100\n', 'sum.txt': '10 385\n', 'report.txt': '10 squares, total 385, mean 38\n' },
    },
  },
  {
    name: 'shell: a pipe through Python, Ruby and a WASI binary into a file',
    wasmFixtures: { 'cat.wasm': 'cat' },
    setup: { 'up.py': 'import sys\nfor line in sys.stdin:\n    print(line.strip().upper())\n', 'num.rb': 'STDIN.each_line.with_index(1) { |l, i| puts "#{i}: #{l}" }\n' },
    run: { exec: 'echo -e "ab\\ncd" | python up.py | ruby num.rb | ./cat.wasm > out.txt; cat out.txt', stdin: 'unused\n' },
    expect: { status: 'ok', exitCode: 0, stdout: '1: AB\n2: CD\n', stderr: 'read 12 bytes\n', filesChanged: ['out.txt'], files: { 'out.txt': '1: AB\n2: CD\n' } },
  },
  {
    name: 'shell: redirections > >> < 2> 2>&1',
    setup: { 'err.py': 'import sys\nprint("to out")\nprint("to err", file=sys.stderr)\n' },
    run: { exec: 'echo one > f.txt && echo two >> f.txt && cat < f.txt && python err.py 2> e.txt > o.txt; python err.py > both.txt 2>&1; cat e.txt o.txt both.txt' },
    expect: {
      status: 'ok',
      exitCode: 0,
      stdout: 'one\ntwo\nto err\nto out\nto out\nto err\n',
      stderr: '',
      filesChanged: ['both.txt', 'e.txt', 'f.txt', 'o.txt'],
    },
  },
  {
    name: 'shell: $? after each language, && and ||',
    run: { exec: 'python -c "import sys; sys.exit(3)"; echo "py=$?"; ruby -e "exit 4"; echo "rb=$?"; false || echo "or ran"; true && echo "and ran"; false && echo never; echo "last=$?"' },
    expect: { status: 'ok', exitCode: 0, stdout: 'py=3\nrb=4\nor ran\nand ran\nlast=1\n', stderr: '' },
  },
  {
    name: 'shell: the line ends with the last exit code',
    run: { exec: 'echo start && ruby -e \'STDERR.puts "ruby failed"; exit 6\'' },
    expect: { status: 'error', exitCode: 6, stdout: 'start\n', stderr: 'ruby failed\n' },
  },
  {
    name: 'shell: cd, pwd, mkdir -p and relative paths',
    run: { exec: 'mkdir -p a/b && cd a/b && pwd && echo hi > here.txt && cd ../.. && pwd && cat a/b/here.txt && ls a && cd a && ruby -e "puts Dir.pwd" && cd nowhere' },
    expect: {
      status: 'error',
      exitCode: 1,
      stdout: '/workspace/a/b\n/workspace\nhi\nb/\n/workspace/a\n',
      stderr: 'cd: nowhere: No such file or directory\n',
      filesChanged: ['a/b/here.txt'],
    },
  },
  {
    name: 'shell: unknown command is 127',
    run: { exec: 'echo before && frobnicate --now' },
    expect: { status: 'error', exitCode: 127, stdout: 'before\n' },
  },
  {
    name: 'shell: syntax error',
    run: { exec: 'echo "unterminated' },
    expect: { status: 'error', stdout: '' },
  },
  {
    name: 'shell: unicode file names through ls, cat, cp, mv and rm',
    setup: { 'données/été.txt': 'soleil ☀\n', 'tmp.txt': 'x' },
    run: { exec: 'echo 日本語 > 名前.txt && cp données/été.txt 夏.txt && mv 名前.txt données/ && rm tmp.txt && ls && ls données && cat données/名前.txt 夏.txt' },
    expect: {
      status: 'ok',
      stdout: 'données/\n夏.txt\nété.txt\n名前.txt\n日本語\nsoleil ☀\n',
      filesChanged: ['données/名前.txt', 'tmp.txt', '夏.txt'],
      files: { 'données/名前.txt': '日本語\n', 'tmp.txt': null, '夏.txt': 'soleil ☀\n' },
    },
  },
  {
    name: 'shell: unicode args and quoting reach Python and Ruby',
    run: { exec: `python -c "import sys; print(sys.argv[1:])" ünï 'a b' "c\\"d" '' && ruby -e 'p ARGV' ünï 'a  b' "\\$HOME"` },
    expect: { status: 'ok', exitCode: 0, stdout: `['ünï', 'a b', 'c"d', '']\n["ünï", "a  b", "$HOME"]\n`, stderr: '' },
  },
  {
    name: 'shell: python -c and sys.argv[0]',
    run: { exec: 'python -c "import sys; print(sys.argv[0])" x' },
    expect: { status: 'ok', exitCode: 0, stdout: '-c\n' },
  },
  {
    name: 'shell: a binary file from C, byte for byte in Python and Ruby',
    setup: {
      'bytes.c': [
        '#include <stdio.h>',
        'int main(void) {',
        '  FILE *f = fopen("all.bin", "wb");',
        '  for (int i = 0; i < 1024; i++) fputc((i * 7) & 255, f);',
        '  fclose(f);',
        '  return 0;',
        '}',
        '',
      ].join('\n'),
    },
    run: {
      exec: `cc bytes.c -o bytes.wasm && ./bytes.wasm && python -c "import hashlib; d = open('all.bin', 'rb').read(); print(len(d), d[:4].hex(), hashlib.sha256(d).hexdigest()[:16])" && ruby -e 'd = File.binread("all.bin"); puts d.bytesize, d.bytes.sum'`,
    },
    expect: {
      status: 'ok',
      exitCode: 0,
      stdoutIncludes: ['1024 00070e15 ', '\n1024\n130560\n'],
      filesChanged: ['all.bin', 'bytes.wasm'],
    },
  },
  {
    name: 'shell: cc and c++ compile errors stop the line',
    setup: { 'bad.c': 'int main(void) { return missing; }\n', 'bad.cpp': 'int main() { undefined(); }\n' },
    run: { exec: 'cc bad.c -o bad.wasm && ./bad.wasm; echo "cc=$?"; c++ bad.cpp -o badpp.wasm; echo "c++=$?"' },
    expect: { status: 'ok', exitCode: 0, stdoutIncludes: ['cc=1\n', 'c++=1\n'], filesChanged: [] },
  },
  {
    name: 'shell: python and ruby on missing scripts',
    run: { exec: 'python nothere.py; echo "python=$?"; ruby nothere.rb; echo "ruby=$?"' },
    expect: { status: 'ok', exitCode: 0 },
  },
  {
    name: 'shell: large output through a pipe is truncated',
    run: { exec: `python -c "print('y' * (3 * 1024 * 1024))" | ruby -e "s = STDIN.read; puts s.length; print s"` },
    expect: { status: 'ok', exitCode: 0, truncated: true },
  },

  // ---------------------------------------------------------------- the filesystem: / holds /workspace and a per-run /tmp
  {
    name: 'c: /tmp scratch, access() and a sorted directory walk',
    setup: { 'in/a.txt': 'a', 'in/sub/b.txt': 'bb', 'in/sub/deeper/c.txt': 'ccc' },
    run: {
      language: 'c',
      code: [
        '#include <dirent.h>',
        '#include <stdio.h>',
        '#include <stdlib.h>',
        '#include <string.h>',
        '#include <sys/stat.h>',
        '#include <unistd.h>',
        'static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }',
        'static void walk(const char *dir) {',
        '  char *names[32]; int n = 0;',
        '  DIR *d = opendir(dir); struct dirent *e;',
        '  while ((e = readdir(d)) && n < 32) if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);',
        '  closedir(d);',
        '  qsort(names, n, sizeof *names, cmp);',
        '  for (int i = 0; i < n; i++) {',
        '    char path[512]; struct stat st;',
        '    snprintf(path, sizeof path, "%s/%s", dir, names[i]);',
        '    stat(path, &st);',
        '    if (S_ISDIR(st.st_mode)) { printf("%s/\\n", path); walk(path); } else printf("%s %lld\\n", path, (long long)st.st_size);',
        '  }',
        '}',
        'int main(void) {',
        '  FILE *f = fopen("/tmp/scratch.txt", "w");',
        '  if (!f) { perror("/tmp/scratch.txt"); return 1; }',
        '  fputs("scratch", f); fclose(f);',
        '  char buf[16] = {0}; f = fopen("/tmp/scratch.txt", "r"); fread(buf, 1, sizeof buf - 1, f); fclose(f);',
        '  printf("read %s\\n", buf);',
        '  printf("access . W_OK=%d /tmp W_OK=%d in/a.txt R_OK=%d missing F_OK=%d\\n", access(".", W_OK), access("/tmp", W_OK), access("in/a.txt", R_OK), access("missing", F_OK));',
        '  walk("/");',
        '  return 0;',
        '}',
        '',
      ].join('\n'),
    },
    expect: {
      status: 'ok',
      exitCode: 0,
      stdout: [
        'read scratch',
        'access . W_OK=0 /tmp W_OK=0 in/a.txt R_OK=0 missing F_OK=-1',
        '//tmp/',
        '//tmp/scratch.txt 7',
        '//workspace/',
        '//workspace/in/',
        '//workspace/in/a.txt 1',
        '//workspace/in/sub/',
        '//workspace/in/sub/b.txt 2',
        '//workspace/in/sub/deeper/',
        '//workspace/in/sub/deeper/c.txt 3',
        '',
      ].join('\n'),
      filesChanged: [],
    },
  },
  {
    name: 'ruby: Tempfile, Dir.tmpdir, File.writable?, FileUtils.mkdir_p and Dir.glob',
    setup: { 'lib/a.rb': '' },
    run: {
      language: 'ruby',
      code: [
        'require "tempfile"',
        'require "tmpdir"',
        'require "fileutils"',
        'puts Dir.pwd, Dir.tmpdir, File.writable?("."), File.writable?("/tmp"), Dir.children("/").sort.inspect',
        't = Tempfile.new(["report", ".txt"])',
        't.write("draft")',
        't.flush',
        'puts File.read(t.path), File.dirname(t.path), File.basename(t.path).end_with?(".txt")',
        't.close!',
        'Dir.mktmpdir { |d| File.write(File.join(d, "x"), "1"); puts Dir.children(d).inspect }',
        'FileUtils.mkdir_p("out/deep")',
        'File.write("out/deep/kept.txt", "kept")',
        'puts Dir.glob("**/*").sort.inspect, Dir.children("/tmp").inspect',
        '',
      ].join('\n'),
    },
    expect: {
      status: 'ok',
      exitCode: 0,
      stdout: '/workspace\n/tmp\ntrue\ntrue\n["tmp", "workspace"]\ndraft\n/tmp\ntrue\n["x"]\n["lib", "lib/a.rb", "out", "out/deep", "out/deep/kept.txt"]\n[]\n',
      stderr: '',
      filesChanged: ['out/deep/kept.txt'],
    },
  },
  {
    name: 'shell: /tmp starts empty for every program, in C, Ruby and Python alike',
    setup: { 'w.c': '#include <stdio.h>\nint main(void) {\n  FILE *f = fopen("/tmp/from-c", "w");\n  fputs("c", f);\n  return fclose(f);\n}\n' },
    run: {
      exec: `cc w.c -o w.wasm && ./w.wasm && ruby -e 'p Dir.children("/tmp"); File.write("/tmp/from-ruby", "r")' && python -c "import os; print(os.listdir('/tmp')); open('/tmp/from-py', 'w').write('p')" && python -c "import os, tempfile; print(os.listdir('/tmp'), tempfile.gettempdir(), os.getcwd())"`,
    },
    expect: { status: 'ok', exitCode: 0, stdout: '[]\n[]\n[] /tmp /workspace\n', stderr: '', filesChanged: ['w.wasm'] },
  },

  // ---------------------------------------------------------------- the shell's own commands (issue 17)
  {
    name: 'shell: NAME=value, export, env, unset and ${NAME:-default}; a program sees only exported and prefixed variables',
    wasmFixtures: { 'echo.wasm': 'echo' },
    run: {
      exec: 'LOCAL=shell; export SHARED=yes; ECHO_VARS=BASE,SHARED,LOCAL,ONCE ONCE=1 ./echo.wasm; echo "$LOCAL ${ONCE:-no-once} ${MISSING:-dflt} $BASE"; env | grep -c \'^SHARED=yes$\'; unset SHARED; echo "[${SHARED}]"',
      env: { BASE: 'from-env' },
    },
    expect: {
      status: 'ok',
      exitCode: 0,
      stdout: 'arg0=./echo.wasm\nBASE=from-env\nSHARED=yes\nLOCAL=(unset)\nONCE=1\nshell no-once dflt from-env\n1\n[]\n',
      stderr: '',
    },
  },
  {
    name: 'shell: head, tail, wc, grep, sort and uniq over workspace files',
    setup: { 'log.txt': 'ok start\nERROR disk\nok step\nerror net\nERROR disk\nok end\n', 'src/a.py': '# TODO one\nprint(1)\n', 'src/b.py': 'print(2)  # todo two\n' },
    run: { exec: 'head -n 2 log.txt; tail -1 log.txt; wc -l log.txt; grep -ic error log.txt; grep -rn -i todo src; grep ERROR log.txt | sort | uniq -c; grep -v ok log.txt | wc -l; grep nothing log.txt; echo "grep=$?"' },
    expect: {
      status: 'ok',
      exitCode: 0,
      stdout: 'ok start\nERROR disk\nok end\n6 log.txt\n3\nsrc/a.py:1:# TODO one\nsrc/b.py:1:print(2)  # todo two\n      2 ERROR disk\n3\ngrep=1\n',
      stderr: '',
      filesChanged: [],
    },
  },
  {
    name: 'shell: test, [, seq, basename, dirname, touch, which and 2>&1',
    run: {
      exec: 'touch new.txt && [ -f new.txt ] && test ! -s new.txt && echo empty; seq 3 | sort -rn | head -n 2; basename /workspace/src/main.py .py; dirname src/main.py; [ 2 -lt 10 ] && echo lt; which python grep > /dev/null && echo found; which nosuch; echo "which=$?"; cat missing.txt 2>&1 | wc -l; [ a = b ]; echo "test=$?"',
    },
    expect: { status: 'ok', exitCode: 0, stdout: 'empty\n3\n2\nmain\nsrc\nlt\nfound\nwhich=1\n1\ntest=1\n', stderr: '', filesChanged: ['new.txt'], files: { 'new.txt': '' } },
  },

  // ---------------------------------------------------------------- last: replaces the worker
  {
    name: 'wasi: a trap crashes the program, not the sandbox',
    wasmFixtures: { 'trap.wasm': 'trap' },
    run: { exec: 'echo first && ./trap.wasm && echo never' },
    expect: { status: 'crashed', exitCode: 134, stdout: 'first\nbefore trap\n', stderr: './trap.wasm: wasm trap: unreachable\n' },
  },
  {
    name: 'python: a later run after its working directory was removed',
    run: { exec: 'mkdir d && cd d && python -c "print(1)" && cd .. && rm -r d && python -c "print(2)"' },
    expect: { status: 'ok', exitCode: 0, stdout: '1\n2\n', stderr: '' },
  },
];
