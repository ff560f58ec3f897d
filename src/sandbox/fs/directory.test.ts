import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDirectoryWorkspace } from './directory.ts';
import { WorkspaceError } from './paths.ts';
import type { Workspace } from './workspace.ts';
import { describeWorkspaceContract, errorCode } from './workspace-contract.ts';

let base = '';
let counter = 0;

beforeAll(async () => {
  base = await fs.mkdtemp(nodePath.join(os.tmpdir(), 'isobox-dirws-'));
});

afterAll(async () => {
  if (base) await fs.rm(base, { recursive: true, force: true });
});

/** A fresh folder under the test's temp dir. */
async function freshDir(): Promise<string> {
  const dir = nodePath.join(base, `t${++counter}`);
  await fs.mkdir(dir);
  return dir;
}

describeWorkspaceContract('directory workspace', async () => createDirectoryWorkspace(await freshDir()));

/** A workspace at `<dir>/root` next to `<dir>/outside/secret.txt`, which it must never reach. */
async function withOutside(): Promise<{ ws: Workspace; root: string; outside: string }> {
  const dir = await freshDir();
  const root = nodePath.join(dir, 'root');
  const outside = nodePath.join(dir, 'outside');
  await fs.mkdir(root);
  await fs.mkdir(outside);
  await fs.writeFile(nodePath.join(outside, 'secret.txt'), 'secret');
  return { ws: await createDirectoryWorkspace(root), root, outside };
}

const posix = process.platform !== 'win32';

describe('createDirectoryWorkspace', () => {
  it('is kind directory, creates a missing root and opens an existing tree', async () => {
    const dir = await freshDir();
    await fs.mkdir(nodePath.join(dir, 'existing/sub'), { recursive: true });
    await fs.writeFile(nodePath.join(dir, 'existing/sub/f.txt'), 'there before');
    const ws = await createDirectoryWorkspace(nodePath.join(dir, 'existing'));
    expect(ws.kind).toBe('directory');
    expect(await ws.readText('sub/f.txt')).toBe('there before');
    const created = await createDirectoryWorkspace(nodePath.join(dir, 'new/deep'));
    await created.writeFile('x', '1');
    expect(await fs.readFile(nodePath.join(dir, 'new/deep/x'), 'utf8')).toBe('1');
  });

  it('refuses a root that is a file', async () => {
    const dir = await freshDir();
    await fs.writeFile(nodePath.join(dir, 'file'), 'x');
    expect(await errorCode(createDirectoryWorkspace(nodePath.join(dir, 'file')))).toBe('ENOTDIR');
  });

  it('writes where it says, and nothing outside for refused paths', async () => {
    const { ws, root, outside } = await withOutside();
    await ws.writeFile('a/b.txt', 'b');
    expect(await fs.readFile(nodePath.join(root, 'a/b.txt'), 'utf8')).toBe('b');
    expect(await errorCode(ws.writeFile('../outside/secret.txt', 'pwned'))).toBe('EACCES');
    expect(await errorCode(ws.writeFile('../escaped.txt', 'x'))).toBe('EACCES');
    expect(await errorCode(ws.remove('../outside'))).toBe('EACCES');
    expect(await fs.readFile(nodePath.join(outside, 'secret.txt'), 'utf8')).toBe('secret');
    await expect(fs.access(nodePath.join(root, '../escaped.txt'))).rejects.toThrow();
  });

  it('does not name host paths in its errors', async () => {
    const { ws, root } = await withOutside();
    const err: unknown = await ws.readFile('missing/file.txt').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkspaceError);
    expect((err as WorkspaceError).message).toContain('missing/file.txt');
    expect((err as WorkspaceError).message).not.toContain(root);
  });

  it('works when the root itself is reached through a symlink', async () => {
    const dir = await freshDir();
    await fs.mkdir(nodePath.join(dir, 'real'));
    await fs.symlink(nodePath.join(dir, 'real'), nodePath.join(dir, 'alias'));
    const ws = await createDirectoryWorkspace(nodePath.join(dir, 'alias'));
    await ws.writeFile('f.txt', 'via alias');
    expect(await fs.readFile(nodePath.join(dir, 'real/f.txt'), 'utf8')).toBe('via alias');
    expect(Object.keys((await ws.manifest()).files)).toEqual(['f.txt']);
  });
});

describe.runIf(posix)('directory workspace and symlinks', () => {
  it('refuses a symlink to a directory outside (like /etc) in every method', async () => {
    const { ws, root, outside } = await withOutside();
    await fs.symlink(outside, nodePath.join(root, 'etc'));
    await fs.symlink('/etc', nodePath.join(root, 'real-etc'));
    for (const link of ['etc', 'real-etc']) {
      expect(await errorCode(ws.readFile(`${link}/secret.txt`))).toBe('EACCES');
      expect(await errorCode(ws.readFile(`${link}/passwd`))).toBe('EACCES');
      expect(await errorCode(ws.readdir(link))).toBe('EACCES');
      expect(await errorCode(ws.writeFile(`${link}/new.txt`, 'x'))).toBe('EACCES');
      expect(await errorCode(ws.writeFile(`${link}/secret.txt`, 'x'))).toBe('EACCES');
      expect(await errorCode(ws.mkdir(`${link}/sub`))).toBe('EACCES');
      expect(await errorCode(ws.exists(`${link}/secret.txt`))).toBe('EACCES');
      expect(await errorCode(ws.remove(`${link}/secret.txt`))).toBe('EACCES');
      expect(await errorCode(ws.rename(`${link}/secret.txt`, 'stolen.txt'))).toBe('EACCES');
    }
    await ws.writeFile('mine.txt', 'm');
    expect(await errorCode(ws.rename('mine.txt', 'etc/planted.txt'))).toBe('EACCES');
    expect(await fs.readdir(outside)).toEqual(['secret.txt']);
    expect(await fs.readFile(nodePath.join(outside, 'secret.txt'), 'utf8')).toBe('secret');
  });

  it('refuses a symlink to a file outside, and leaves it out of listings', async () => {
    const { ws, root, outside } = await withOutside();
    await fs.symlink(nodePath.join(outside, 'secret.txt'), nodePath.join(root, 'secret-link'));
    await fs.symlink('/etc/passwd', nodePath.join(root, 'passwd'));
    await ws.writeFile('ok.txt', 'ok');
    expect(await errorCode(ws.readFile('secret-link'))).toBe('EACCES');
    expect(await errorCode(ws.readText('passwd'))).toBe('EACCES');
    expect(await errorCode(ws.writeFile('secret-link', 'overwritten'))).toBe('EACCES');
    expect(await fs.readFile(nodePath.join(outside, 'secret.txt'), 'utf8')).toBe('secret');
    expect(await ws.readdir('')).toEqual([{ name: 'ok.txt', path: 'ok.txt', kind: 'file', size: 2 }]);
    expect(await ws.manifest()).toMatchObject({ files: { 'ok.txt': { size: 2 } }, dirs: [] });
    expect(Object.keys((await ws.manifest()).files)).toEqual(['ok.txt']);
  });

  it('cannot be escaped through a symlinked subdirectory or a chain of links', async () => {
    const { ws, root, outside } = await withOutside();
    await fs.mkdir(nodePath.join(root, 'sub'));
    await fs.symlink('..', nodePath.join(root, 'sub/up')); // sub/up → root: fine
    await fs.symlink('../..', nodePath.join(root, 'sub/upup')); // sub/upup → root's parent: out
    await fs.symlink('sub/upup', nodePath.join(root, 'chain')); // a link to a link that leaves
    expect(await errorCode(ws.readFile('sub/upup/outside/secret.txt'))).toBe('EACCES');
    expect(await errorCode(ws.readFile('sub/up/sub/upup/outside/secret.txt'))).toBe('EACCES');
    expect(await errorCode(ws.readFile('chain/outside/secret.txt'))).toBe('EACCES');
    expect(await errorCode(ws.writeFile('chain/outside/new.txt', 'x'))).toBe('EACCES');
    expect(await fs.readdir(outside)).toEqual(['secret.txt']);
    // The link that stays inside works, and the manifest does not loop through it.
    await ws.writeFile('sub/up/top.txt', 'top');
    expect(await fs.readFile(nodePath.join(root, 'top.txt'), 'utf8')).toBe('top');
    const manifest = await ws.manifest();
    expect(Object.keys(manifest.files).sort()).toEqual(['top.txt']);
    expect(manifest.dirs).toEqual(['sub', 'sub/up']);
  });

  it('follows links that stay inside the workspace', async () => {
    const { ws, root } = await withOutside();
    await ws.writeFile('real/data.txt', 'data');
    await fs.symlink('real', nodePath.join(root, 'alias'));
    await fs.symlink('real/data.txt', nodePath.join(root, 'file-alias'));
    expect(await ws.readText('alias/data.txt')).toBe('data');
    expect(await ws.readText('file-alias')).toBe('data');
    expect(await ws.readdir('')).toEqual([
      { name: 'alias', path: 'alias', kind: 'dir', size: 0 },
      { name: 'file-alias', path: 'file-alias', kind: 'file', size: 4 },
      { name: 'real', path: 'real', kind: 'dir', size: 0 },
    ]);
    const manifest = await ws.manifest();
    expect(Object.keys(manifest.files).sort()).toEqual(['alias/data.txt', 'file-alias', 'real/data.txt']);
    // Removing a link removes the link, not its target.
    await ws.remove('alias');
    await ws.remove('file-alias');
    expect(await ws.readText('real/data.txt')).toBe('data');
  });

  it('removes a link that points outside without touching its target', async () => {
    const { ws, root, outside } = await withOutside();
    await fs.symlink(outside, nodePath.join(root, 'out'));
    await ws.remove('out');
    await expect(fs.lstat(nodePath.join(root, 'out'))).rejects.toThrow();
    expect(await fs.readdir(outside)).toEqual(['secret.txt']);
  });

  it('gives up on symlink loops instead of hanging', async () => {
    const { ws, root } = await withOutside();
    await fs.symlink('loop', nodePath.join(root, 'loop'));
    await fs.symlink('b', nodePath.join(root, 'a'));
    await fs.symlink('a', nodePath.join(root, 'b'));
    await fs.symlink('.', nodePath.join(root, 'self'));
    expect(await errorCode(ws.readFile('loop'))).toBe('EACCES');
    expect(await errorCode(ws.readFile('a/x'))).toBe('EACCES');
    expect(await errorCode(ws.readFile('self/self/f'))).toBe('ENOENT');
    await ws.writeFile('f', 'x');
    expect(await ws.readText('self/self/f')).toBe('x');
    const manifest = await ws.manifest();
    expect(manifest.dirs).toEqual(['self']);
    expect(Object.keys(manifest.files)).toEqual(['f']);
  });

  it('walks what links share only once, so link diamonds cannot blow the manifest up', async () => {
    const { ws, root } = await withOutside();
    // d0/{a,b} → d1, d1/{a,b} → d2, ...: 2^20 paths to d20/f if every link were walked.
    for (let i = 0; i <= 20; i++) await fs.mkdir(nodePath.join(root, `d${i}`));
    for (let i = 0; i < 20; i++) {
      await fs.symlink(`../d${i + 1}`, nodePath.join(root, `d${i}/a`));
      await fs.symlink(`../d${i + 1}`, nodePath.join(root, `d${i}/b`));
    }
    await ws.writeFile('d20/f', 'x');
    expect(await ws.readText('d0/b/b/a/b/a/a/b/b/a/a/b/b/a/a/b/b/a/a/b/b/f')).toBe('x');
    const manifest = await ws.manifest();
    expect(Object.keys(manifest.files).length).toBeLessThan(50);
    expect(manifest.files['d20/f']).toMatchObject({ size: 1 });
  });

  it('leaves FIFOs out and refuses to open them', async () => {
    const { ws, root } = await withOutside();
    try {
      execFileSync('mkfifo', [nodePath.join(root, 'pipe')]);
    } catch {
      return; // No mkfifo here.
    }
    expect(await errorCode(ws.readFile('pipe'))).toBe('EACCES');
    expect(await errorCode(ws.writeFile('pipe', 'x'))).toBe('EACCES');
    expect(await ws.exists('pipe')).toBe(false);
    expect(await ws.readdir('')).toEqual([]);
    expect(await ws.manifest()).toEqual({ files: {}, dirs: [] });
  });
});

describe('directory workspace stamps', () => {
  it('are the files mtimes, and a rewrite within the same mtime moves the mtime on disk', async () => {
    const dir = await freshDir();
    const ws = await createDirectoryWorkspace(dir);
    await ws.writeFile('f.txt', 'aaaa');
    // Pretend the file system's clock is coarse: the existing mtime lies ahead of the next write's.
    const future = new Date(Date.now() + 60_000);
    await fs.utimes(nodePath.join(dir, 'f.txt'), future, future);
    const before = (await ws.manifest()).files['f.txt'];
    expect(before?.mtime).toBe((await fs.stat(nodePath.join(dir, 'f.txt'))).mtimeMs);
    await ws.writeFile('f.txt', 'bbbb');
    const after = (await ws.manifest()).files['f.txt'];
    expect(after?.size).toBe(4);
    expect(after?.mtime).toBeGreaterThan(before?.mtime ?? Infinity);
    expect(after?.mtime).toBeLessThan((before?.mtime ?? 0) + 1000);
    // On disk, so a second workspace over the same folder sees it too.
    const other = await createDirectoryWorkspace(dir);
    expect((await other.manifest()).files['f.txt']).toEqual(after);
  });

  it('never repeat after remove and rewrite of a path whose old mtime lay ahead', async () => {
    const dir = await freshDir();
    const ws = await createDirectoryWorkspace(dir);
    await ws.writeFile('f.txt', 'one');
    const future = new Date(Date.now() + 60_000);
    await fs.utimes(nodePath.join(dir, 'f.txt'), future, future);
    const seen = (await ws.manifest()).files['f.txt'];
    await ws.remove('f.txt');
    await ws.writeFile('f.txt', 'two');
    expect((await ws.manifest()).files['f.txt']?.mtime).toBeGreaterThan(seen?.mtime ?? Infinity);
  });
});
