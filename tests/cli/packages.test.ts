import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyWheel, lockWith, startFakeIndex, type FakeIndex } from '../helpers/package-index.ts';
import { isobox, removeAll, TEST_CACHE_DIR, tempDir } from './helpers.ts';

// `isobox run --allow-packages --package-index URL` against a local index with a wheel built at
// test time (a fresh one each run, so the cache under TEST_CACHE_DIR never answers for it early).
describe('isobox run: Python packages', { timeout: 180_000 }, () => {
  const token = randomUUID().slice(0, 8);
  const wheel = buildTinyWheel('isobox_cli', '1.0.0', `GREETING = "cli wheel ${token}"\n`);
  const dirs: string[] = [];
  let index: FakeIndex;
  let ws: string;

  beforeAll(async () => {
    index = await startFakeIndex({ 'pyodide-lock.json': lockWith([wheel]), [wheel.fileName]: wheel.bytes });
    ws = await tempDir({ 'main.py': 'import isobox_cli\nprint(isobox_cli.GREETING)\n' });
    dirs.push(ws);
  });
  afterAll(async () => {
    await index.close();
    await removeAll(dirs);
  });

  it('without --allow-packages, fails at the import saying how to allow it, and downloads nothing', async () => {
    const r = await isobox(['run', '--package-index', index.url, 'main.py'], { cwd: ws });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("ModuleNotFoundError: No module named 'isobox_cli'");
    expect(r.stderr.trimEnd().split('\n').pop()).toBe(`isobox: isobox-cli is a package from ${index.url}, not downloaded: run with --allow-packages to let Python load it`);
    expect(index.hits.filter((hit) => hit.includes('.whl'))).toEqual([]);
  });

  it('with --allow-packages, loads the wheel (sha256 checked), runs, and keeps it in the cache directory', async () => {
    const r = await isobox(['run', '--allow-packages', '--package-index', index.url, 'main.py'], { cwd: ws });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`cli wheel ${token}\n`);
    expect(r.code).toBe(0);
    expect(await readdir(join(TEST_CACHE_DIR, 'packages', 'wheel', wheel.sha256))).toEqual([wheel.fileName]);
  });

  it('python in a shell line (isobox exec) gets the package too', async () => {
    const r = await isobox(['exec', '--allow-packages', '--package-index', index.url, 'python main.py | wc -l'], { cwd: ws });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('1');
  });

  it('runs again from the cache with the index gone', async () => {
    await index.close();
    const r = await isobox(['run', '--allow-packages', '--package-index', index.url, 'main.py'], { cwd: ws });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`cli wheel ${token}\n`);
  });

  it('refuses a --package-index that is not an http(s) URL', async () => {
    const r = await isobox(['run', '--package-index', 'ftp://x.example/', 'main.py'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--package-index: the package index must be an http(s) URL');
  });
});
