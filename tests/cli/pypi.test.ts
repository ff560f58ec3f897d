import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyWheel, startFakeIndex, type FakeIndex } from '../helpers/package-index.ts';
import { nativeOnlyDocument, pypiFiles } from '../helpers/pypi-index.ts';
import { isobox, removeAll, tempDir } from './helpers.ts';

// `pip install` and `micropip.install` against a fake PyPI-style JSON index on 127.0.0.1 serving
// wheels built at test time (fresh names each run, so the cache never answers for them early).
describe('isobox: pip install / micropip.install from a PyPI index', { timeout: 180_000 }, () => {
  const token = randomUUID().slice(0, 8);
  const module = `isobox_pip_${token}`;
  const wheel = buildTinyWheel(module, '1.2.0', `GREETING = "pip wheel ${token}"\n`);
  const lying = buildTinyWheel(`isobox_liar_${token}`, '1.0.0');
  const dirs: string[] = [];
  let index: FakeIndex;
  let ws: string;

  beforeAll(async () => {
    index = await startFakeIndex({ ...pypiFiles(wheel), ...pypiFiles({ ...lying, lockedSha256: 'a'.repeat(64) }), ...nativeOnlyDocument('fastnative', '3.1.0') });
    ws = await tempDir({
      'main.py': `import micropip\nmicropip.install("${wheel.name}")\nimport ${module}\nprint(${module}.GREETING)\n`,
      'dynamic.py': `import micropip\nname = "${wheel.name}"\nmicropip.install(name)\n`,
      'escape.py': `import urllib.request\ntry:\n    urllib.request.urlopen("${index.url}${wheel.name}/json", timeout=5)\n    print("reached the index")\nexcept Exception as e:\n    print("blocked:", type(e).__name__)\n`,
    });
    dirs.push(ws);
  });
  afterAll(async () => {
    await index.close();
    await removeAll(dirs);
  });

  const wheelHits = (): string[] => index.hits.filter((hit) => hit.includes('.whl'));

  it('without --allow-packages, micropip.install fails before the program starts, saying how to allow it', async () => {
    const r = await isobox(['run', '--pypi-index', index.url, 'main.py'], { cwd: ws });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(`isobox: ${wheel.name} is a package from ${index.url}, not downloaded: run with --allow-packages to let Python load it`);
    expect(wheelHits()).toEqual([]);
  });

  it('pip install in a shell line installs the newest pure wheel (sha256 checked); the next command imports it', async () => {
    const r = await isobox(['exec', '--allow-packages', '--pypi-index', index.url, `pip install ${wheel.name} && python -c "import ${module}; print(${module}.GREETING)"`], { cwd: ws });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`Successfully installed ${wheel.name}-1.2.0\npip wheel ${token}\n`);
    expect(r.code).toBe(0);
  });

  it('micropip.install("name") in user code installs it before the program runs', async () => {
    const r = await isobox(['run', '--allow-packages', '--pypi-index', index.url, 'main.py'], { cwd: ws });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`pip wheel ${token}\n`);
  });

  it('a package with only native wheels is refused, saying why', async () => {
    const r = await isobox(['exec', '--allow-packages', '--pypi-index', index.url, '%pip install fastnative'], { cwd: ws });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('isobox: cannot install fastnative 3.1.0 from PyPI: it has a native extension');
    expect(r.stderr).toContain('only pure-Python (py3-none-any) wheels can be installed here');
  });

  it('a wheel whose bytes do not match the index digest is refused and nothing is installed', async () => {
    const r = await isobox(['exec', '--allow-packages', '--pypi-index', index.url, `pip install ${lying.name}; python -c "import ${lying.module}"`], { cwd: ws });
    expect(r.stderr).toContain(`${lying.fileName} does not match the index's sha256`);
    expect(r.stderr).toContain('nothing was installed');
    expect(r.stderr).toContain(`ModuleNotFoundError: No module named '${lying.module}'`);
  });

  it('an unknown name, a version pin and a name computed at run time get clear messages', async () => {
    const unknown = await isobox(['exec', '--allow-packages', '--pypi-index', index.url, 'pip install no-such-thing'], { cwd: ws });
    expect(unknown.stderr).toContain(`isobox: no package named "no-such-thing" on ${index.url}`);
    const pinned = await isobox(['exec', '--allow-packages', '--pypi-index', index.url, 'pip install thing==1.0'], { cwd: ws });
    expect(pinned.stderr).toContain('"thing==1.0" is not a package name');
    const dynamic = await isobox(['run', '--allow-packages', '--pypi-index', index.url, 'dynamic.py'], { cwd: ws });
    expect(dynamic.stderr).toContain(`ValueError: micropip.install: ${wheel.name} is not installed`);
  });

  it('user code cannot reach the index itself', async () => {
    const before = index.hits.length;
    const r = await isobox(['run', '--allow-packages', '--pypi-index', index.url, 'escape.py'], { cwd: ws });
    expect(r.stdout).toMatch(/^blocked: /);
    expect(index.hits.length).toBe(before);
  });

  it('refuses a --pypi-index that is not an http(s) URL', async () => {
    const r = await isobox(['run', '--pypi-index', 'file:///etc/', 'main.py'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--pypi-index: the PyPI index must be an http(s) URL');
  });
});
