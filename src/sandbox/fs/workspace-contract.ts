/**
 * The behaviour every `Workspace` backend shares, as a reusable vitest suite. Backends register it
 * from their own test files (which do any platform setup); this file imports nothing from Node, so
 * a browser test can run it against OPFS.
 */

import { describe, expect, it } from 'vitest';
import type { FileStamp } from '../protocol.ts';
import { WorkspaceError } from './paths.ts';
import { withQuota } from './quota.ts';
import type { Workspace } from './workspace.ts';

/** What a backend test hands the suite: a fresh, empty workspace for every test. */
export type MakeWorkspace = () => Workspace | Promise<Workspace>;

/** The error code a promise rejects with, or `resolved`; anything but a WorkspaceError is rethrown. */
export async function errorCode(promise: Promise<unknown>): Promise<WorkspaceError['code'] | 'resolved'> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof WorkspaceError) return err.code;
    throw err;
  }
  return 'resolved';
}

async function stampOf(ws: Workspace, path: string): Promise<FileStamp | undefined> {
  return (await ws.manifest()).files[path];
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Paths that must be refused, with the code each gets. */
const BAD_PATHS: ReadonlyArray<[string, WorkspaceError['code']]> = [
  ['../x', 'EACCES'],
  ['/etc/passwd', 'EACCES'],
  ['a/../../b', 'EACCES'],
  ['a/\u0000b', 'EINVAL'],
];

/**
 * Registers the workspace contract tests under `describe(name)`. `makeWorkspace` is called once per
 * test and must return an empty workspace.
 */
export function describeWorkspaceContract(name: string, makeWorkspace: MakeWorkspace): void {
  describe(name, () => {
    describe('files', () => {
      it('writes and reads text, including non-ASCII', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('hello.txt', 'héllo 👋\n');
        expect(await ws.readText('hello.txt')).toBe('héllo 👋\n');
        expect(text(await ws.readFile('hello.txt'))).toBe('héllo 👋\n');
        expect((await stampOf(ws, 'hello.txt'))?.size).toBe(new TextEncoder().encode('héllo 👋\n').length);
      });

      it('writes and reads binary data byte for byte', async () => {
        const ws = await makeWorkspace();
        const bytes = new Uint8Array(70_000);
        for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
        await ws.writeFile('bin/data.bin', bytes);
        expect(await ws.readFile('bin/data.bin')).toEqual(bytes);
      });

      it('writes an empty file', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('empty', new Uint8Array(0));
        expect((await ws.readFile('empty')).length).toBe(0);
        expect(await stampOf(ws, 'empty')).toMatchObject({ size: 0 });
      });

      it('overwrites a file, also with shorter content', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('f.txt', 'a long first version');
        await ws.writeFile('f.txt', 'short');
        expect(await ws.readText('f.txt')).toBe('short');
      });

      it('creates parent directories on write', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('a/b/c/deep.txt', 'x');
        expect(await ws.readText('a/b/c/deep.txt')).toBe('x');
        expect((await ws.manifest()).dirs).toEqual(['a', 'a/b', 'a/b/c']);
      });

      it('normalizes paths (./a//b/ is a/b)', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('./a//b.txt', 'x');
        expect(await ws.readText('a/b.txt')).toBe('x');
        expect(Object.keys((await ws.manifest()).files)).toEqual(['a/b.txt']);
      });

      it('does not share bytes with the caller', async () => {
        const ws = await makeWorkspace();
        const bytes = new Uint8Array([1, 2, 3]);
        await ws.writeFile('f', bytes);
        bytes[0] = 9;
        const read = await ws.readFile('f');
        expect([...read]).toEqual([1, 2, 3]);
        read[1] = 9;
        expect([...(await ws.readFile('f'))]).toEqual([1, 2, 3]);
      });

      it('fails with ENOENT for missing files', async () => {
        const ws = await makeWorkspace();
        expect(await errorCode(ws.readFile('missing.txt'))).toBe('ENOENT');
        expect(await errorCode(ws.readText('no/such/file'))).toBe('ENOENT');
        expect(await errorCode(ws.readdir('missing'))).toBe('ENOENT');
        expect(await errorCode(ws.remove('missing'))).toBe('ENOENT');
        expect(await errorCode(ws.rename('missing', 'other'))).toBe('ENOENT');
      });

      it('refuses to write over a directory (EISDIR) or read one', async () => {
        const ws = await makeWorkspace();
        await ws.mkdir('d');
        expect(await errorCode(ws.writeFile('d', 'x'))).toBe('EISDIR');
        expect(await errorCode(ws.writeFile('', 'x'))).toBe('EISDIR');
        expect(await errorCode(ws.readFile('d'))).toBe('EISDIR');
        expect(await errorCode(ws.readText('d'))).toBe('EISDIR');
        expect(await ws.readdir('d')).toEqual([]);
      });

      it('treats a file in the middle of a path as ENOTDIR', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('f', 'x');
        expect(await errorCode(ws.writeFile('f/g', 'y'))).toBe('ENOTDIR');
        expect(await errorCode(ws.readFile('f/g'))).toBe('ENOTDIR');
        expect(await errorCode(ws.mkdir('f/g'))).toBe('ENOTDIR');
        expect(await errorCode(ws.readdir('f'))).toBe('ENOTDIR');
        expect(await ws.readText('f')).toBe('x');
      });
    });

    describe('directories', () => {
      it('mkdir creates parents and is idempotent', async () => {
        const ws = await makeWorkspace();
        await ws.mkdir('x/y/z');
        await ws.mkdir('x/y/z');
        await ws.mkdir('x');
        await ws.mkdir('');
        expect((await ws.manifest()).dirs).toEqual(['x', 'x/y', 'x/y/z']);
        expect(await ws.readdir('x/y/z')).toEqual([]);
      });

      it('mkdir over a file is EEXIST', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('f', 'x');
        expect(await errorCode(ws.mkdir('f'))).toBe('EEXIST');
      });

      it('readdir lists names sorted, with paths, kinds and sizes', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('src/b.txt', 'bb');
        await ws.writeFile('src/a.txt', 'a');
        await ws.writeFile('src/C.txt', 'ccc');
        await ws.mkdir('src/sub');
        await ws.writeFile('src/sub/inner', 'ignored');
        expect(await ws.readdir('src')).toEqual([
          { name: 'C.txt', path: 'src/C.txt', kind: 'file', size: 3 },
          { name: 'a.txt', path: 'src/a.txt', kind: 'file', size: 1 },
          { name: 'b.txt', path: 'src/b.txt', kind: 'file', size: 2 },
          { name: 'sub', path: 'src/sub', kind: 'dir', size: 0 },
        ]);
      });

      it('readdir of the root accepts "", "." and "./"', async () => {
        const ws = await makeWorkspace();
        expect(await ws.readdir('')).toEqual([]);
        await ws.writeFile('top.txt', '1');
        await ws.mkdir('dir');
        const expected = [
          { name: 'dir', path: 'dir', kind: 'dir', size: 0 },
          { name: 'top.txt', path: 'top.txt', kind: 'file', size: 1 },
        ];
        expect(await ws.readdir('')).toEqual(expected);
        expect(await ws.readdir('.')).toEqual(expected);
        expect(await ws.readdir('./')).toEqual(expected);
      });

      it('manifest lists every file with its size and every directory', async () => {
        const ws = await makeWorkspace();
        expect(await ws.manifest()).toEqual({ files: {}, dirs: [] });
        await ws.writeFile('main.py', 'print(1)\n');
        await ws.writeFile('lib/util.py', 'x = 1\n');
        await ws.writeFile('lib/deep/data.bin', new Uint8Array([0, 1, 2, 3]));
        await ws.mkdir('empty/dir');
        const manifest = await ws.manifest();
        expect(Object.keys(manifest.files).sort()).toEqual(['lib/deep/data.bin', 'lib/util.py', 'main.py']);
        expect(manifest.files['main.py']?.size).toBe(9);
        expect(manifest.files['lib/deep/data.bin']?.size).toBe(4);
        for (const stamp of Object.values(manifest.files)) expect(Number.isFinite(stamp.mtime)).toBe(true);
        expect([...manifest.dirs].sort()).toEqual(['empty', 'empty/dir', 'lib', 'lib/deep']);
      });

      it('exists tells files and directories from missing paths', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('d/f.txt', 'x');
        expect(await ws.exists('d/f.txt')).toBe(true);
        expect(await ws.exists('d')).toBe(true);
        expect(await ws.exists('')).toBe(true);
        expect(await ws.exists('d/nope')).toBe(false);
        expect(await ws.exists('nope/deeper')).toBe(false);
        expect(await ws.exists('d/f.txt/below')).toBe(false);
      });
    });

    describe('remove', () => {
      it('removes a file', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('d/a.txt', 'a');
        await ws.writeFile('d/b.txt', 'b');
        await ws.remove('d/a.txt');
        expect(await ws.exists('d/a.txt')).toBe(false);
        expect(await ws.readText('d/b.txt')).toBe('b');
      });

      it('removes a directory with everything in it', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('d/x/y/z.txt', 'z');
        await ws.writeFile('d/top.txt', 't');
        await ws.mkdir('d/empty');
        await ws.writeFile('keep.txt', 'k');
        await ws.remove('d');
        expect(await ws.manifest()).toMatchObject({ dirs: [] });
        expect(Object.keys((await ws.manifest()).files)).toEqual(['keep.txt']);
      });

      it('refuses to remove the workspace root', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('f', 'x');
        expect(await errorCode(ws.remove(''))).toBe('EINVAL');
        expect(await errorCode(ws.remove('.'))).toBe('EINVAL');
        expect(await ws.readText('f')).toBe('x');
      });
    });

    describe('rename', () => {
      it('renames a file into a new parent directory', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('a.txt', 'A');
        await ws.rename('a.txt', 'new/parent/b.txt');
        expect(await ws.exists('a.txt')).toBe(false);
        expect(await ws.readText('new/parent/b.txt')).toBe('A');
        expect((await ws.manifest()).dirs).toEqual(['new', 'new/parent']);
      });

      it('renames a directory with its contents into a new parent', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('src/a.txt', 'A');
        await ws.writeFile('src/sub/b.bin', new Uint8Array([1, 2]));
        await ws.mkdir('src/empty');
        await ws.rename('src', 'moved/here');
        expect(await ws.exists('src')).toBe(false);
        const manifest = await ws.manifest();
        expect(Object.keys(manifest.files).sort()).toEqual(['moved/here/a.txt', 'moved/here/sub/b.bin']);
        expect([...manifest.dirs].sort()).toEqual(['moved', 'moved/here', 'moved/here/empty', 'moved/here/sub']);
        expect(await ws.readText('moved/here/a.txt')).toBe('A');
        expect([...(await ws.readFile('moved/here/sub/b.bin'))]).toEqual([1, 2]);
      });

      it('replaces an existing file', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('a', 'new');
        await ws.writeFile('b', 'old content');
        await ws.rename('a', 'b');
        expect(await ws.readText('b')).toBe('new');
        expect(Object.keys((await ws.manifest()).files)).toEqual(['b']);
      });

      it('is a no-op onto itself', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('a', 'x');
        await ws.rename('a', './a');
        expect(await ws.readText('a')).toBe('x');
      });

      it('follows POSIX rules for what is at the destination', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('file', 'f');
        await ws.writeFile('full/inside', 'i');
        await ws.mkdir('dir');
        await ws.mkdir('empty');
        expect(await errorCode(ws.rename('file', 'dir'))).toBe('EISDIR');
        expect(await errorCode(ws.rename('dir', 'file'))).toBe('ENOTDIR');
        expect(await errorCode(ws.rename('dir', 'full'))).toBe('ENOTEMPTY');
        expect(await errorCode(ws.rename('dir', 'dir/inside'))).toBe('EINVAL');
        expect(await errorCode(ws.rename('', 'x'))).toBe('EINVAL');
        expect(await errorCode(ws.rename('file', ''))).toBe('EINVAL');
        expect(await errorCode(ws.rename('file', 'file/below'))).toBe('ENOTDIR');
        await ws.rename('full', 'empty');
        expect(await ws.readText('empty/inside')).toBe('i');
        expect(await ws.readText('file')).toBe('f');
      });
    });

    describe('stamps', () => {
      it('change on every write, even twice in a row with the same size', async () => {
        const ws = await makeWorkspace();
        const seen = new Set<string>();
        await ws.writeFile('s.txt', 'aaaa');
        seen.add(JSON.stringify(await stampOf(ws, 's.txt')));
        for (const content of ['bbbb', 'cccc', 'dddd', 'dddd', 'eeee']) {
          await ws.writeFile('s.txt', content);
          const stamp = await stampOf(ws, 's.txt');
          expect(stamp?.size).toBe(4);
          const key = JSON.stringify(stamp);
          expect(seen.has(key)).toBe(false);
          seen.add(key);
        }
      });

      it('are stable while nothing is written', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('s.txt', 'x');
        const first = await ws.manifest();
        await ws.readFile('s.txt');
        await ws.readdir('');
        expect(await ws.manifest()).toEqual(first);
      });

      it('change when a file is removed and written again with the same size', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('r.txt', 'one');
        const before = await stampOf(ws, 'r.txt');
        await ws.remove('r.txt');
        await ws.writeFile('r.txt', 'two');
        expect(await stampOf(ws, 'r.txt')).not.toEqual(before);
      });

      it('change when another file of the same size is renamed over one', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('a', 'AAA');
        await ws.writeFile('b', 'BBB');
        const before = await stampOf(ws, 'b');
        await ws.rename('a', 'b');
        expect(await ws.readText('b')).toBe('AAA');
        expect(await stampOf(ws, 'b')).not.toEqual(before);
      });

      it('change when a same-sized file is moved in with a directory rename', async () => {
        const ws = await makeWorkspace();
        await ws.writeFile('x/f', '111');
        await ws.writeFile('y/f', '222');
        const before = await stampOf(ws, 'y/f');
        await ws.remove('y');
        await ws.rename('x', 'y');
        expect(await ws.readText('y/f')).toBe('111');
        expect(await stampOf(ws, 'y/f')).not.toEqual(before);
      });
    });

    describe('path refusals', () => {
      for (const [bad, code] of BAD_PATHS) {
        it(`refuses ${JSON.stringify(bad)} in every method with ${code}`, async () => {
          const ws = await makeWorkspace();
          await ws.writeFile('a/ok.txt', 'ok');
          const calls: Array<[string, () => Promise<unknown>]> = [
            ['readFile', () => ws.readFile(bad)],
            ['readText', () => ws.readText(bad)],
            ['writeFile', () => ws.writeFile(bad, 'x')],
            ['mkdir', () => ws.mkdir(bad)],
            ['remove', () => ws.remove(bad)],
            ['rename from', () => ws.rename(bad, 'a/ok.txt')],
            ['rename to', () => ws.rename('a/ok.txt', bad)],
            ['readdir', () => ws.readdir(bad)],
            ['exists', () => ws.exists(bad)],
          ];
          for (const [method, call] of calls) {
            expect({ method, code: await errorCode(call()) }).toEqual({ method, code });
          }
          expect(await ws.readText('a/ok.txt')).toBe('ok');
          expect(Object.keys((await ws.manifest()).files)).toEqual(['a/ok.txt']);
        });
      }
    });

    describe('quota', () => {
      it('refuses a file over the per-file limit and keeps the old content', async () => {
        const ws = withQuota(await makeWorkspace(), { maxFileBytes: 10 });
        await ws.writeFile('f', '0123456789');
        const err = await ws.writeFile('f', '0123456789A').catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WorkspaceError);
        expect(err).toMatchObject({ code: 'EDQUOT' });
        expect((err as Error).message).toMatch(/^storage quota exceeded: f /);
        expect(await ws.readText('f')).toBe('0123456789');
      });

      it('refuses writes over the total, counting replaced files once', async () => {
        const ws = withQuota(await makeWorkspace(), { maxBytes: 20 });
        await ws.writeFile('a', '1234567890');
        await ws.writeFile('b', '1234567890');
        expect(await errorCode(ws.writeFile('c', '1'))).toBe('EDQUOT');
        expect(await ws.exists('c')).toBe(false);
        // Overwriting with the same size or less does not grow usage.
        await ws.writeFile('a', 'abcdefghij');
        await ws.writeFile('a', 'abc');
        await ws.writeFile('c', '1234567');
        expect(await errorCode(ws.writeFile('c', '12345678'))).toBe('EDQUOT');
        await ws.remove('b');
        await ws.writeFile('c', '12345678');
        expect(await ws.readText('c')).toBe('12345678');
      });

      it('refuses a file over the file count, but not overwriting one', async () => {
        const ws = withQuota(await makeWorkspace(), { maxFiles: 2 });
        await ws.writeFile('a', '1');
        await ws.writeFile('d/b', '2');
        expect(await errorCode(ws.writeFile('c', '3'))).toBe('EDQUOT');
        await ws.writeFile('a', 'overwrite');
        await ws.rename('d/b', 'e/b');
        await ws.rename('a', 'e/b');
        await ws.writeFile('c', '3');
        expect(Object.keys((await ws.manifest()).files).sort()).toEqual(['c', 'e/b']);
      });

      it('counts what was there before it wrapped the workspace', async () => {
        const inner = await makeWorkspace();
        await inner.writeFile('big', '0123456789');
        const ws = withQuota(inner, { maxBytes: 12 });
        expect(await errorCode(ws.writeFile('more', '123'))).toBe('EDQUOT');
        // Space freed behind the wrapper's back is seen before a write is refused.
        await ws.writeFile('more', '12');
        await inner.remove('big');
        await ws.writeFile('more', '0123456789');
        expect(await ws.readText('more')).toBe('0123456789');
      });

      it('lets only one of two concurrent writes through', async () => {
        const ws = withQuota(await makeWorkspace(), { maxBytes: 10 });
        const results = await Promise.all([errorCode(ws.writeFile('a', '123456')), errorCode(ws.writeFile('b', '123456'))]);
        expect(results.sort()).toEqual(['EDQUOT', 'resolved']);
      });

      it('still refuses bad paths', async () => {
        const ws = withQuota(await makeWorkspace());
        expect(await errorCode(ws.writeFile('../x', 'x'))).toBe('EACCES');
        expect(await errorCode(ws.remove('/etc'))).toBe('EACCES');
        expect(await errorCode(ws.rename('a', '../b'))).toBe('EACCES');
      });
    });
  });
}
