import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isobox, removeAll, tempDir } from './helpers.ts';

// The CLI starts Python from a snapshot in its cache directory: made by the first run, used by the next.
describe('isobox: the Python start-up snapshot cache', { timeout: 180_000 }, () => {
  const dirs: string[] = [];
  afterAll(() => removeAll(dirs));

  async function setup(): Promise<{ ws: string; cache: string; file: () => Promise<string> }> {
    const ws = await tempDir({ 'main.py': 'import sys\nprint("hi", sys.argv[1:])\n' });
    const cache = await tempDir();
    dirs.push(ws, cache);
    const file = async (): Promise<string> => {
      const names = (await readdir(cache)).filter((name) => name.endsWith('.snapshot'));
      expect(names).toHaveLength(1);
      return join(cache, names[0] ?? '');
    };
    return { ws, cache, file };
  }

  it('makes the snapshot on the first run and starts from it on the next, with the same output', async () => {
    const { ws, cache, file } = await setup();
    const first = await isobox(['run', '-w', ws, 'main.py', 'x'], { env: { ISOBOX_CACHE_DIR: cache } });
    expect(first).toMatchObject({ code: 0, stdout: "hi ['x']\n" });
    const made = await stat(await file());
    expect(made.size).toBeGreaterThan(1_000_000);
    const second = await isobox(['run', '-w', ws, 'main.py', 'y'], { env: { ISOBOX_CACHE_DIR: cache } });
    expect(second).toMatchObject({ code: 0, stdout: "hi ['y']\n" });
    // Used, not made again.
    expect((await stat(await file())).mtimeMs).toBe(made.mtimeMs);
  });

  it('replaces a damaged snapshot and still runs', async () => {
    const { ws, cache, file } = await setup();
    await isobox(['run', '-w', ws, 'main.py'], { env: { ISOBOX_CACHE_DIR: cache } });
    const path = await file();
    await writeFile(path, 'not a snapshot');
    const r = await isobox(['run', '-w', ws, 'main.py'], { env: { ISOBOX_CACHE_DIR: cache } });
    expect(r).toMatchObject({ code: 0, stdout: 'hi []\n', stderr: '' });
    expect((await readFile(path)).byteLength).toBeGreaterThan(1_000_000);
  });

  it('keeps no snapshot with ISOBOX_CACHE_DIR=off', async () => {
    const { ws } = await setup();
    const r = await isobox(['run', '-w', ws, 'main.py'], { env: { ISOBOX_CACHE_DIR: 'off', HOME: ws, XDG_CACHE_HOME: join(ws, 'cache') } });
    expect(r).toMatchObject({ code: 0, stdout: 'hi []\n' });
    await expect(stat(join(ws, 'cache'))).rejects.toThrow();
    await expect(stat(join(ws, '.cache'))).rejects.toThrow();
  });
});
