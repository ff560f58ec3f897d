import { wasi } from '@bjorn3/browser_wasi_shim';
import { describe, expect, it } from 'vitest';
import { FileTree } from '../worker/tree.ts';
import { mountWorkspace } from './wasi-fs.ts';
import { EMPTY, ScratchBudget, Stat, WorkspaceFile } from './wasi-file.ts';

describe('scratch files', () => {
  it('count against the budget: per file and in all, with deleted files given back on recount', () => {
    const live = new Set<WorkspaceFile>();
    const budget = new ScratchBudget(() => [...live].reduce((n, f) => n + f.length, 0), 100, 60);
    const a = new WorkspaceFile(EMPTY, null, budget);
    const b = new WorkspaceFile(EMPTY, null, budget);
    live.add(a).add(b);
    expect(a.write(new Uint8Array(61), 0)).toBe(wasi.ERRNO_DQUOT);
    expect(a.length).toBe(0);
    expect(a.write(new Uint8Array(60), 0)).toBe(wasi.ERRNO_SUCCESS);
    expect(b.write(new Uint8Array(41), 0)).toBe(wasi.ERRNO_DQUOT);
    expect(b.write(new Uint8Array(40), 0)).toBe(wasi.ERRNO_SUCCESS);
    // At the cap (60 + 40): more fails until a file is deleted, whose bytes come back on recount.
    expect(b.write(new Uint8Array(20), 40)).toBe(wasi.ERRNO_DQUOT);
    live.delete(a);
    expect(b.write(new Uint8Array(20), 40)).toBe(wasi.ERRNO_SUCCESS);
    // Shrinking gives bytes back at once.
    expect(b.resize(10)).toBe(wasi.ERRNO_SUCCESS);
    expect(budget.used).toBe(10);
    expect(b.write(new Uint8Array(50), 10)).toBe(wasi.ERRNO_SUCCESS);
    expect(b.length).toBe(60);
  });

  it('in /tmp are scratch, workspace files are not', () => {
    const m = mountWorkspace(new FileTree(), '', { preopens: 'cwd' });
    const [, workspace, tmp] = m.preopens;
    if (!workspace || !tmp) throw new Error('expected the /workspace and /tmp preopens');
    const inTmp = tmp.path_open(0, 'x', wasi.OFLAGS_CREAT, 0n, 0n, 0).fd_obj;
    const inWorkspace = workspace.path_open(0, 'y', wasi.OFLAGS_CREAT, 0n, 0n, 0).fd_obj;
    expect(inTmp && 'file' in inTmp && inTmp.file instanceof WorkspaceFile && inTmp.file.budget !== null).toBe(true);
    expect(inWorkspace && 'file' in inWorkspace && inWorkspace.file instanceof WorkspaceFile && inWorkspace.file.budget === null).toBe(true);
  });
});

describe('Stat', () => {
  it('writes the wasip1 filestat layout: timestamps at 40, 48 and 56, after the size', () => {
    const view = new DataView(new ArrayBuffer(64));
    new Stat(7n, wasi.FILETYPE_REGULAR_FILE, 0x1122334455n, { atim: 1n, mtim: 2n, ctim: 3n }, 1n).write_bytes(view, 0);
    expect([view.getBigUint64(8, true), view.getUint8(16), view.getBigUint64(24, true), view.getBigUint64(32, true)]).toEqual([7n, wasi.FILETYPE_REGULAR_FILE, 1n, 0x1122334455n]);
    expect([view.getBigUint64(40, true), view.getBigUint64(48, true), view.getBigUint64(56, true)]).toEqual([1n, 2n, 3n]);
  });
});
