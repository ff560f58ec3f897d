import { describe, expect, it } from 'vitest';
import { createMemoryWorkspace } from '../fs/memory.ts';
import type { Workspace } from '../fs/workspace.ts';
import type { Manifest } from '../protocol.ts';
import { createNodeSandbox } from './node.ts';

/** A workspace that counts the files the sandbox fetched from it. */
function countingReads(workspace: Workspace): { workspace: Workspace; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    workspace: new Proxy(workspace, {
      get(target, name, receiver) {
        if (name === 'readFile') {
          return (path: string) => {
            reads.push(path);
            return target.readFile(path);
          };
        }
        const value: unknown = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }),
  };
}

// After a run, the host tells its listeners what the workspace holds, and the worker what its saved files are stamped with.
describe('sandbox: the workspace after a run', () => {
  it('reports the workspace a run left, only when the run changed it', async () => {
    const sb = createNodeSandbox({ workspace: createMemoryWorkspace({ 'keep.txt': 'k' }) });
    const seen: Manifest[] = [];
    sb.onWorkspaceChanged((manifest) => seen.push(manifest));
    try {
      await sb.exec('echo compute only');
      expect(seen).toHaveLength(0);
      await sb.exec('mkdir out && echo hi > out/a.txt');
      expect(seen).toHaveLength(1);
      expect(Object.keys(seen[0]?.files ?? {}).sort()).toEqual(['keep.txt', 'out/a.txt']);
      expect(seen[0]?.dirs).toEqual(['out']);
      await sb.exec('mkdir empty');
      expect(seen[1]?.dirs).toEqual(['empty', 'out']);
      await sb.exec('rm -r out');
      expect(Object.keys(seen[2]?.files ?? {})).toEqual(['keep.txt']);
    } finally {
      await sb.dispose();
    }
  });

  it('does not fetch back the files its own worker wrote, yet sees changes made in between', async () => {
    const { workspace, reads } = countingReads(createMemoryWorkspace());
    const sb = createNodeSandbox({ workspace });
    try {
      await sb.exec('echo one > a.txt && echo two > b.txt');
      expect((await sb.exec('cat a.txt b.txt')).stdout).toBe('one\ntwo\n');
      expect(reads).toEqual([]);
      // Changed behind the worker's back (the editor saving, another tool): fetched again.
      await workspace.writeFile('b.txt', 'changed\n');
      expect((await sb.exec('cat a.txt b.txt')).stdout).toBe('one\nchanged\n');
      expect(reads).toEqual(['b.txt']);
    } finally {
      await sb.dispose();
    }
  });

  it('copes with files named like Object.prototype members when records have prototypes (as in the browser)', async () => {
    const inner = createMemoryWorkspace();
    // The OPFS workspace's manifest crosses postMessage: plain objects, with prototypes.
    const workspace = new Proxy(inner, {
      get(target, name, receiver) {
        if (name === 'manifest') return async () => structuredClone(await target.manifest());
        const value: unknown = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const sb = createNodeSandbox({ workspace });
    try {
      expect((await sb.exec('echo x > constructor && echo y > __proto__ && echo z > toString')).status).toBe('ok');
      expect((await sb.exec('rm constructor __proto__')).status).toBe('ok');
      expect(await sb.exec('ls && cat toString')).toMatchObject({ status: 'ok', stdout: 'toString\nz\n' });
    } finally {
      await sb.dispose();
    }
  });
});
