import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyWheel, lockWith, startFakeIndex, type FakeIndex } from '../../../tests/helpers/package-index.ts';
import { createMemoryWorkspace } from '../fs/memory.ts';
import type { Sandbox } from '../host/api.ts';
import { createNodeSandbox } from '../host/node.ts';
import type { PackageRequest } from '../protocol.ts';
import { createPackageProvider, type PackageProviderOptions } from './provider.ts';
import type { PackageStore } from './store.ts';

// Packages through the whole path (worker finds imports → host asks, downloads, verifies → worker
// installs) against a local index built at test time: no internet.
describe('sandbox: Python packages from an index', () => {
  const good = buildTinyWheel('isobox_tiny', '1.0.0');
  const tampered = buildTinyWheel('isobox_bad', '1.0.0');
  let index: FakeIndex;
  const sandboxes: Sandbox[] = [];

  beforeAll(async () => {
    index = await startFakeIndex({
      'pyodide-lock.json': lockWith([good, { ...tampered, lockedSha256: 'a'.repeat(64) }]),
      [good.fileName]: good.bytes,
      [tampered.fileName]: tampered.bytes,
    });
  });
  afterAll(async () => {
    await Promise.all(sandboxes.map((sb) => sb.dispose()));
    await index.close();
  });

  function sandboxWith(options: Partial<PackageProviderOptions>): Sandbox {
    const packages = createPackageProvider({ index: index.url, hint: (names, reason) => `isobox: ${names.join(', ')} ${reason}`, ...options });
    const sb = createNodeSandbox({ workspace: createMemoryWorkspace({ 'helper.py': 'import isobox_tiny\n' }), limits: { timeoutMs: 20_000 }, packages });
    sandboxes.push(sb);
    return sb;
  }

  it('asks with names, size and index, then installs the allowed package and runs', async () => {
    const asked: PackageRequest[] = [];
    const sb = sandboxWith({ ask: (request) => (asked.push(request), Promise.resolve('allow')) });
    const r = await sb.run({ language: 'python', code: 'import isobox_tiny\nprint(isobox_tiny.GREETING)' });
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ status: 'ok', stdout: 'hello from isobox_tiny 1.0.0\n' });
    expect(asked).toEqual([{ index: index.url, imports: ['isobox_tiny'], packages: [{ name: 'isobox-tiny', version: '1.0.0', fileName: good.fileName }], downloadBytes: good.bytes.byteLength }]);
    // Installed once: the next run (and an import through a workspace module) asks nothing.
    const again = await sb.run({ language: 'python', code: 'import helper, isobox_tiny\nprint(isobox_tiny.__name__)' });
    expect(again.stdout).toBe('isobox_tiny\n');
    expect(asked).toHaveLength(1);
  });

  it('a denied package ends in ModuleNotFoundError plus the line saying how to allow it', async () => {
    const sb = sandboxWith({ ask: () => Promise.resolve('deny') });
    const r = await sb.run({ language: 'python', code: 'import helper' });
    expect(r.status).toBe('error');
    expect(r.stderr).toContain("ModuleNotFoundError: No module named 'isobox_tiny'");
    expect(r.stderr.trimEnd().split('\n').pop()).toBe('isobox: isobox-tiny denied');
  });

  it('a run that may not ask fails fast with the hint, and nothing is downloaded', async () => {
    const before = index.hits.filter((h) => h.includes('.whl')).length;
    const sb = sandboxWith({});
    const r = await sb.run({ language: 'python', code: 'import isobox_tiny' });
    expect(r.status).toBe('error');
    expect(r.stderr.trimEnd().split('\n').pop()).toBe('isobox: isobox-tiny cannot-ask');
    expect(index.hits.filter((h) => h.includes('.whl')).length).toBe(before);
  });

  it('a wheel whose bytes do not match its sha256 is refused and nothing is installed', async () => {
    const sb = sandboxWith({ ask: () => Promise.resolve('allow') });
    const r = await sb.run({ language: 'python', code: 'import isobox_tiny, isobox_bad\nprint("ran")' });
    expect(r).toMatchObject({ status: 'error', exitCode: 1, stdout: '' });
    expect(r.stderr).toContain(`${tampered.fileName} does not match the sha256 in pyodide-lock.json`);
    expect(r.stderr).toContain('nothing was installed');
    const after = await sb.run({ language: 'python', code: 'import importlib.util\nprint(importlib.util.find_spec("isobox_tiny"), importlib.util.find_spec("isobox_bad"))' });
    expect(after.stdout).toBe('None None\n');
  });

  it('loads a wheel kept in the store when the index is unreachable', async () => {
    const kept = new Map<string, Uint8Array>();
    const store: PackageStore = { get: (key) => Promise.resolve(kept.get(key)), put: (key, bytes) => (kept.set(key, bytes), Promise.resolve()) };
    const first = sandboxWith({ store, ask: () => Promise.resolve('allow') });
    expect((await first.run({ language: 'python', code: 'import isobox_tiny' })).status).toBe('ok');
    const offline = sandboxWith({ store, ask: () => Promise.resolve('allow'), fetch: () => Promise.reject(new TypeError('network is down')) });
    const r = await offline.run({ language: 'python', code: 'import isobox_tiny\nprint(isobox_tiny.GREETING)' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello from isobox_tiny 1.0.0\n');
  });

  it('user code cannot reach the index', async () => {
    const sb = sandboxWith({ ask: () => Promise.resolve('allow') });
    const before = index.hits.length;
    const r = await sb.run({
      language: 'python',
      code: `import urllib.request, pyodide_js\ntry:\n    urllib.request.urlopen("${index.url}pyodide-lock.json")\nexcept Exception as e:\n    print("urlopen", type(e).__name__)\ntry:\n    pyodide_js.loadPackage("${index.url}${good.fileName}")\nexcept Exception as e:\n    print("loadPackage", type(e).__name__)\n`,
    });
    expect(r.stdout).toContain('urlopen');
    expect(index.hits.length).toBe(before);
  });
});
