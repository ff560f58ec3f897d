/**
 * The page that e2e/opfs-workspace.spec.ts opens: the workspace contract suite, and checks of what
 * only OPFS has (changes made behind the workspace's back), against the app's OPFS adapter with its
 * file system worker. vitest is aliased to ./vitest-shim.ts when this page is built.
 */
import { createOpfsWorkspace } from '../../src/sandbox/fs/opfs.ts';
import { describeWorkspaceContract } from '../../src/sandbox/fs/workspace-contract.ts';
import type { Workspace } from '../../src/sandbox/fs/workspace.ts';
import { describe, expect, it } from 'vitest';
import { runAll, type TestOutcome } from './vitest-shim.ts';

let folders = 0;

/** A fresh, empty OPFS folder for one test. */
async function freshFolder(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  const name = `contract-${Date.now()}-${folders++}`;
  return root.getDirectoryHandle(name, { create: true });
}

/** Writes a file the way another tab's code could: straight through OPFS, not through the workspace. */
async function writeBehind(dir: FileSystemDirectoryHandle, name: string, text: string): Promise<void> {
  const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
  await writable.write(text);
  await writable.close();
}

describeWorkspaceContract('OPFS workspace', async () => createOpfsWorkspace(await freshFolder()));

describe('OPFS workspace, behind its back', () => {
  it('notices a file another context rewrote', async () => {
    const dir = await freshFolder();
    const ws = createOpfsWorkspace(dir);
    await ws.writeFile('f.txt', 'one');
    const before = (await ws.manifest()).files['f.txt'];
    await writeBehind(dir, 'f.txt', 'something longer');
    const after = (await ws.manifest()).files['f.txt'];
    expect(after?.size).toBe(16);
    expect(after?.mtime).not.toBe(before?.mtime);
    expect(await ws.readText('f.txt')).toBe('something longer');
  });

  it('writes into and recreates directories another context removed', async () => {
    const dir = await freshFolder();
    const ws = createOpfsWorkspace(dir);
    await ws.writeFile('d/a.txt', 'a');
    await ws.mkdir('e/f');
    await dir.removeEntry('d', { recursive: true });
    await dir.removeEntry('e', { recursive: true });
    expect(await ws.exists('d/a.txt')).toBe(false);
    expect(await ws.readdir('').then((entries) => entries.length)).toBe(0);
    await ws.writeFile('d/b.txt', 'b');
    await ws.mkdir('e/f');
    expect(await ws.readText('d/b.txt')).toBe('b');
    expect(await ws.readdir('e/f')).toEqual([]);
    expect((await ws.manifest()).dirs).toEqual(['d', 'e', 'e/f']);
  });

  it('keeps stamps going across two workspace objects over one folder', async () => {
    const dir = await freshFolder();
    const first: Workspace = createOpfsWorkspace(dir);
    const second: Workspace = createOpfsWorkspace(dir);
    const seen = new Set<string>();
    for (const [i, content] of ['aaaa', 'bbbb', 'cccc', 'dddd'].entries()) {
      await (i % 2 === 0 ? first : second).writeFile('s.txt', content);
      seen.add(JSON.stringify((await (i % 2 === 0 ? second : first).manifest()).files['s.txt']));
    }
    expect(seen.size).toBe(4);
  });

  it('writes and reads a file of several MiB, shrinks and grows it', async () => {
    const ws = createOpfsWorkspace(await freshFolder());
    const big = new Uint8Array(9 * 1024 * 1024 + 7);
    for (let i = 0; i < big.length; i += 4093) big[i] = i & 0xff;
    await ws.writeFile('big.bin', big);
    expect(await ws.readFile('big.bin')).toEqual(big);
    await ws.writeFile('big.bin', big.subarray(0, 1000));
    expect(await ws.readFile('big.bin')).toEqual(big.subarray(0, 1000));
    await ws.writeFile('big.bin', big);
    expect((await ws.manifest()).files['big.bin']?.size).toBe(big.length);
  });
});

declare global {
  interface Window {
    /** Runs every test of this page; the spec reads the outcomes. */
    runContract(): Promise<TestOutcome[]>;
  }
}

window.runContract = runAll;
