import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCanary, type Canary } from '../../e2e/helpers/canary.ts';
import { createDirectoryWorkspace } from '../../src/sandbox/fs/directory.ts';
import { createNodeSandbox, type Sandbox } from '../../src/sandbox/host/node.ts';
import { BIG_EXIT_BASE, GROW_STEP_MIB, atomicWaitForever, bigInitialMemory, plainGrower, sharedMemoryGrower } from './hand-made-wasm.ts';

// What the Node sandbox (the CLI's and the MCP server's) holds, and what it does not.
// The sandbox runs user code in a worker_thread of the isobox process over a host-owned
// directory workspace. Cases marked `it.fails` document a hole that exists today (SECURITY.md,
// "Node mode"); each asserts only on positive evidence of the hole, so it cannot pass by accident
// when something else breaks. When a hole is fixed, vitest reports the case: drop `.fails` then.

const HOST_SECRET = `HOST-SECRET-${process.pid}-${Date.now()}`;

let root: string;
let workspaceDir: string;
let secretPath: string;
let sb: Sandbox;
let canary: Canary;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'isobox-security-'));
  workspaceDir = join(root, 'ws');
  secretPath = join(root, 'secret.txt');
  await mkdir(workspaceDir);
  await writeFile(secretPath, HOST_SECRET);
  await writeFile(join(workspaceDir, 'keep.txt'), 'precious');
  // Links that were already in the folder (a cloned repo, an unpacked archive).
  await symlink('../secret.txt', join(workspaceDir, 'escape-link'));
  await symlink('/etc', join(workspaceDir, 'etc-link'));
  await symlink(root, join(workspaceDir, 'outside-dir'));
  await symlink('keep.txt', join(workspaceDir, 'inside-link'));
  canary = await startCanary();
  sb = createNodeSandbox({ workspace: await createDirectoryWorkspace(workspaceDir), keepSpare: false, limits: { timeoutMs: 120_000 } });
  await sb.warmup('python');
}, 180_000);

afterAll(async () => {
  await sb?.dispose();
  await canary?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Host files directly in the temp root (next to the workspace), which programs must never create. */
async function hostFilesNextToWorkspace(): Promise<string[]> {
  return (await readdir(root)).sort();
}

const PY_ATTEMPT = `
def attempt(label, fn):
    try:
        print(label, "REACHED", repr(fn())[:80])
    except BaseException as e:
        print(label, "refused", type(e).__name__)
`;

describe('Node sandbox: the workspace directory is all a program sees', () => {
  it('Python opens the in-memory file system: ../, absolute host paths and links out find nothing', async () => {
    const planted = `/tmp/isobox-planted-${process.pid}.txt`;
    const r = await sb.run({
      language: 'python',
      code: `${PY_ATTEMPT}
import os
attempt("../secret.txt", lambda: open("../secret.txt").read())
attempt("absolute", lambda: open(${JSON.stringify(secretPath)}).read())
attempt("escape-link", lambda: open("escape-link").read())
attempt("etc-link", lambda: open("etc-link/hostname").read())
attempt("outside-dir", lambda: open("outside-dir/secret.txt").read())
print("hostname:", open("/etc/hostname").read() if os.path.exists("/etc/hostname") else "(none)")
print("listing:", sorted(os.listdir(".")))
open("../planted.txt", "w").write("x")
open(${JSON.stringify(planted)}, "w").write("x")
`,
    });
    expect(r.status).toBe('ok');
    expect(r.stdout).not.toContain('REACHED');
    expect(r.stdout.match(/ refused /g)).toHaveLength(5);
    expect(r.stdout).not.toContain(HOST_SECRET);
    // /etc/hostname is Pyodide's (there is none), never the host's.
    const hostHostname = existsSync('/etc/hostname') ? (await readFile('/etc/hostname', 'utf8')).trim() : undefined;
    expect(r.stdout).toContain('hostname: (none)');
    if (hostHostname) expect(r.stdout).not.toContain(`hostname: ${hostHostname}`);
    // Links out of the workspace are not listed; a link inside it is.
    expect(r.stdout).toContain("listing: ['inside-link', 'keep.txt']");
    // Writes above /workspace stayed in Pyodide's memory.
    expect(await hostFilesNextToWorkspace()).toEqual(['secret.txt', 'ws']);
    expect(existsSync(planted)).toBe(false);
  });

  // `..` from /workspace is the sandbox's own `/` (in memory, discarded after the run); above it is refused.
  it('Ruby: ../../, absolute host paths and links out are refused', async () => {
    const r = await sb.run({
      language: 'ruby',
      code: `def attempt(label)
  r = yield
  puts "#{label} REACHED #{r.inspect[0, 80]}"
rescue Exception => e
  puts "#{label} refused #{e.class}"
end
attempt("../secret.txt") { File.read("../secret.txt") }
attempt("absolute") { File.read(${JSON.stringify(secretPath)}) }
attempt("escape-link") { File.read("escape-link") }
attempt("etc-link") { File.read("etc-link/hostname") }
attempt("outside-dir") { File.read("outside-dir/secret.txt") }
attempt("write ../../") { File.write("../../planted-rb.txt", "x") }
attempt("symlink") { File.symlink(${JSON.stringify(secretPath)}, "new-link") }
`,
    });
    expect(r.status).toBe('ok');
    expect(r.stdout).not.toContain('REACHED');
    expect(r.stdout.match(/ refused /g)).toHaveLength(7);
    expect(await hostFilesNextToWorkspace()).toEqual(['secret.txt', 'ws']);
  });

  it(
    'C (compiled by cc in the sandbox): ../../, absolute host paths and links out are refused; symlink is not supported',
    async () => {
      await sb.fs.writeFile(
        'escape.c',
        String.raw`#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static void try_open(const char *path, const char *mode) {
  FILE *f = fopen(path, mode);
  if (!f) { printf("refused %s %s: %s\n", mode, path, strerror(errno)); return; }
  char buf[80] = {0};
  fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  printf("OPENED %s %s: %s\n", mode, path, buf);
}
int main(int argc, char **argv) {
  const char *paths[] = {"../secret.txt", argv[1], "escape-link", "etc-link/hostname", "outside-dir/secret.txt", "/etc/hostname", "/workspace/../secret.txt"};
  for (unsigned i = 0; i < sizeof paths / sizeof *paths; i++) try_open(paths[i], "r");
  try_open("../../planted-c.txt", "a");
  try_open("/workspace/../../planted-c.txt", "a");
  try_open(argv[1], "a");
  printf("symlink: %d %s\n", symlink(argv[1], "new-link"), strerror(errno));
  return 0;
}
`,
      );
      const r = await sb.exec(`cc escape.c -O2 -o escape.wasm && ./escape.wasm ${secretPath}`);
      expect(r.stderr).toBe('');
      expect(r.status).toBe('ok');
      expect(r.stdout).not.toContain('OPENED');
      expect(r.stdout.match(/^refused /gm)).toHaveLength(10);
      expect(r.stdout).toContain('symlink: -1 Not supported');
      expect(r.stdout).not.toContain(HOST_SECRET);
      expect(await hostFilesNextToWorkspace()).toEqual(['secret.txt', 'ws']);
    },
    300_000,
  );

  it('a link planted in the workspace is not followed out by the host side either (read, cat, write through it)', async () => {
    await expect(sb.fs.readFile('escape-link')).rejects.toMatchObject({ code: 'EACCES' });
    const cat = await sb.exec('cat escape-link');
    expect(cat.status).toBe('error');
    expect(cat.stdout).not.toContain(HOST_SECRET);
    // Python sees no escape-link, creates one in memory, and the host refuses to write it through the link.
    const write = await sb.run({ language: 'python', code: 'open("escape-link", "w").write("OVERWRITTEN")' });
    expect(write.status).toBe('error');
    expect(write.stderr).toMatch(/symbolic link leads out of the workspace/);
    expect(await readFile(secretPath, 'utf8')).toBe(HOST_SECRET);
    expect(await readFile(join(workspaceDir, 'keep.txt'), 'utf8')).toBe('precious');
  });
});

describe('Node sandbox: JavaScript from Python', () => {
  it('the js module is empty and run_js has no eval to call (jsglobals is {})', async () => {
    const r = await sb.run({
      language: 'python',
      code: `${PY_ATTEMPT}
import js
attempt("js.process", lambda: js.process)
attempt("js.require", lambda: js.require)
attempt("js.globalThis.process", lambda: js.globalThis.process)
from pyodide.code import run_js
attempt("run_js", lambda: run_js("process"))
`,
    });
    expect(r.status).toBe('ok');
    expect(r.stdout).not.toContain('REACHED');
    expect(r.stdout).toContain('run_js refused ImportError');
  });

  // Was a hole (Node only): the worker_thread has no CSP, so any JS function Python holds led to
  // the Function constructor, and from there to `process`: the host's files, processes and network.
  // Closed by --disallow-code-generation-from-strings (src/sandbox/host/spawn.node.ts): EvalError,
  // as the worker CSP gives in the browser.
  it('Python cannot read host files through the Function constructor and process', async () => {
    const r = await sb.run({
      language: 'python',
      code: `from pyodide.ffi import to_js
F = to_js([]).constructor.constructor
print(F("return process.getBuiltinModule('fs').readFileSync(${JSON.stringify(secretPath).replace(/"/g, "'")}, 'utf8')")())
`,
    });
    expect(r.stdout).not.toContain(HOST_SECRET);
  });

  // Was a hole (same cause): running host programs.
  it('Python cannot start host processes', async () => {
    const marker = join(root, 'ran-on-host');
    await sb.run({
      language: 'python',
      code: `from pyodide.ffi import to_js
F = to_js([]).constructor.constructor
F("const cp = process.getBuiltinModule('child_process'); cp.execFileSync(process.execPath, ['-e', 'require(\\"fs\\").writeFileSync(process.argv[1], \\"x\\")', ${JSON.stringify(marker).replace(/"/g, "'")}])")()
`,
    });
    expect(existsSync(marker)).toBe(false);
  });

  // Was a hole (same cause): the network, whatever the allow-list said.
  it('Python cannot open a socket with node:http while the network is off', async () => {
    await sb.run({
      language: 'python',
      code: `from pyodide.ffi import to_js
F = to_js([]).constructor.constructor
F("process.getBuiltinModule('http').get('${canary.url}/node-http').on('error', () => {})")()
`,
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(canary.hits.filter((hit) => hit.includes('/node-http'))).toEqual([]);
  });

  // Was a hole (Node only, needs no eval): Pyodide's mountNodeFS mounted any host directory.
  // Closed in src/sandbox/worker/entry.node.ts (sealNodeFileSystem), with NODEFS and loadBinaryFile.
  it('Python cannot mount the host file system with pyodide_js.mountNodeFS', async () => {
    const r = await sb.run({
      language: 'python',
      code: `import pyodide_js
pyodide_js.mountNodeFS("/host", ${JSON.stringify(root)})
print(open("/host/secret.txt").read())
`,
    });
    expect(r.stdout).not.toContain(HOST_SECRET);
  });
});

describe('Node sandbox: network and --allow-net', () => {
  it('with no allow-list nothing reaches the network: the guarded fetch (loadPackage) and Ruby sockets', async () => {
    const before = canary.hits.length;
    const py = await sb.run({ language: 'python', code: `import pyodide_js\npyodide_js.loadPackage("${canary.url}/off-1.0-py3-none-any.whl")\n` });
    expect(py.status).toBe('ok');
    const rb = await sb.run({ language: 'ruby', code: `begin\n  require "net/http"\n  Net::HTTP.get(URI("${canary.url}/ruby"))\nrescue LoadError => e\n  puts "refused #{e.message}"\nend\n` });
    expect(rb.stdout).toContain('refused cannot load such file -- socket');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(canary.hits.slice(before)).toEqual([]);
  });

  // Every Python run gets a fresh interpreter and its worker is retired with the run, so a fetch the
  // program started but did not wait for (Python under Node cannot wait for one: no JSPI, no sync
  // XHR) never happens, even to an origin --allow-net opens. The guard's allow-list itself (an
  // allowed origin passes, others are refused) is tested in src/sandbox/worker/lockdown.test.ts.
  it('a fetch a run started but did not wait for never outlives the run, even to an --allow-net origin', async () => {
    const code = `import pyodide_js
pyodide_js.loadPackage("${canary.url}/allowed-1.0-py3-none-any.whl")
print("fetch scheduled")
`;
    const before = canary.hits.length;
    const allowed = createNodeSandbox({ workspace: await createDirectoryWorkspace(workspaceDir), keepSpare: false, allowNet: [canary.url] });
    try {
      const result = await allowed.run({ language: 'python', code });
      expect(result.status).toBe('ok');
      expect(result.stdout).toContain('fetch scheduled');
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      await allowed.dispose();
    }
    expect(canary.hits.slice(before)).toEqual([]);
  }, 120_000);
});

describe('Node sandbox: resources', () => {
  beforeAll(async () => {
    await sb.fs.writeFile('plain.wasm', plainGrower());
    await sb.fs.writeFile('shared.wasm', sharedMemoryGrower());
    await sb.fs.writeFile('big.wasm', bigInitialMemory());
    await sb.fs.writeFile('wait.wasm', atomicWaitForever());
  });

  it('a module growing its memory stops at the 1 GiB cap (the case the cap is built for)', async () => {
    const r = await sb.exec('./plain.wasm');
    expect(r.exitCode * GROW_STEP_MIB).toBeLessThanOrEqual(1024);
  });

  // Was a hole: shared memories were left uncapped and grew to 4 GiB.
  it('a module with a shared memory stays under the 1 GiB cap', async () => {
    const r = await sb.exec('./shared.wasm');
    expect(r.exitCode * GROW_STEP_MIB > 1024).toBe(false);
  });

  // Was a hole: a memory whose initial size is above the cap kept it; such a module is now refused (oom).
  it('a module whose initial memory is above the cap does not run', async () => {
    const r = await sb.exec('./big.wasm');
    expect(r.exitCode).not.toBe(BIG_EXIT_BASE + 6);
  });

  it('a thread blocked forever in memory.atomic.wait32 is ended by interrupt (the worker is terminated)', async () => {
    const running = sb.exec('./wait.wasm');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const stoppedAt = Date.now();
    sb.interrupt();
    const r = await running;
    expect([r.status, r.exitCode]).toEqual(['killed', 137]);
    expect(Date.now() - stoppedAt).toBeLessThan(2000);
    expect((await sb.exec('cat keep.txt')).stdout).toBe('precious');
  });

  // Was a hole: OutputPump.write dropped writes past a cap reached exactly on a write boundary
  // without marking the stream truncated.
  it('output past the cap is marked truncated even when the cap falls on a write boundary', async () => {
    const r = await sb.run({ language: 'python', code: 'import os\nos.write(1, b"A" * (1024 * 1024))\nos.write(1, b"B" * 10)\n' });
    const cutSilently = r.stdout.length === 1024 * 1024 && !r.stdout.includes('B') && !r.truncated;
    expect(cutSilently).toBe(false);
  });
});
