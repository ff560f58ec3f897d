/**
 * The parity corpus under Node, through the CLI's code path: the workspace is opened with
 * `openWorkspace` (a directory, as `--workspace DIR`), the sandbox made with `openSandbox`, and
 * runtimes loaded with `warmUp` before each run, exactly as `isobox run` / `isobox exec` do. One
 * sandbox serves every case; each case gets a fresh temporary directory as its workspace.
 *
 * Results must equal tests/parity/expected.json, the file e2e/parity.spec.ts checks the browser
 * against. `UPDATE_PARITY=1 npx vitest run tests/parity` rewrites it (review the diff by eye).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_SECONDS } from '../../src/node/args.ts';
import { openSandbox, openWorkspace, runtimeOf, runtimesForLine, warmUp } from '../../src/node/session.ts';
import type { Workspace } from '../../src/sandbox/fs/workspace.ts';
import type { Sandbox } from '../../src/sandbox/host/node.ts';
import { CORPUS } from './corpus.ts';
import { parityFixtures } from './fixtures.ts';
import { type ParityDriver, type ParityRecord, runCase, unmetExpectations } from './run-case.ts';

const EXPECTED_FILE = new URL('./expected.json', import.meta.url);
const UPDATE = process.env.UPDATE_PARITY === '1';

/** A workspace that forwards to whichever workspace the current case uses. */
function switchableWorkspace(): { workspace: Workspace; use(next: Workspace): void } {
  let current: Workspace | undefined;
  const target = (): Workspace => {
    if (!current) throw new Error('no case workspace yet');
    return current;
  };
  const workspace: Workspace = {
    get kind() {
      return target().kind;
    },
    manifest: () => target().manifest(),
    readFile: (path) => target().readFile(path),
    readText: (path) => target().readText(path),
    writeFile: (path, data) => target().writeFile(path, data),
    mkdir: (path) => target().mkdir(path),
    remove: (path) => target().remove(path),
    rename: (from, to) => target().rename(from, to),
    readdir: (path) => target().readdir(path),
    exists: (path) => target().exists(path),
  };
  return { workspace, use: (next) => (current = next) };
}

describe('parity corpus: Node, through the CLI’s sandbox', () => {
  const switchable = switchableWorkspace();
  const dirs: string[] = [];
  const results: Record<string, ParityRecord> = {};
  let expected: Record<string, ParityRecord> = {};
  let fixtures: Record<string, Uint8Array> = {};
  let sandbox: Sandbox;
  let driver: ParityDriver;

  beforeAll(async () => {
    if (!UPDATE) expected = JSON.parse(await readFile(EXPECTED_FILE, 'utf8')) as Record<string, ParityRecord>;
    fixtures = await parityFixtures(CORPUS.flatMap((c) => Object.values(c.wasmFixtures ?? {})));
    const timeoutMs = DEFAULT_TIMEOUT_SECONDS * 1000;
    sandbox = openSandbox(switchable.workspace, { workspace: '(one temporary directory per case)', timeoutMs, allowNet: [], json: true, audit: false });
    driver = {
      run: async (options) => {
        await warmUp(sandbox, [runtimeOf(options.language)]);
        return sandbox.run({ timeoutMs, ...options });
      },
      exec: async (line, options) => {
        await warmUp(sandbox, runtimesForLine(line));
        return sandbox.exec(line, { timeoutMs, ...options });
      },
      readText: (path) => sandbox.fs.readText(path),
      writeFile: (path, data) => sandbox.fs.writeFile(path, data),
    };
  });

  afterAll(async () => {
    await sandbox?.dispose();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    if (UPDATE) await writeFile(EXPECTED_FILE, `${JSON.stringify(results, null, 2)}\n`);
  });

  it('has at least 30 cases with distinct names', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
    if (!UPDATE) expect(Object.keys(expected)).toEqual(CORPUS.map((c) => c.name));
  });

  for (const testCase of CORPUS) {
    it(testCase.name, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'isobox-parity-'));
      dirs.push(dir);
      switchable.use(await openWorkspace(dir));
      const record = await runCase(driver, testCase, fixtures);
      results[testCase.name] = record;
      const unmet = unmetExpectations(record, testCase.expect);
      if (testCase.knownIssue) {
        expect(unmet, `known issue fixed? ${testCase.knownIssue}: drop knownIssue and regenerate expected.json`).not.toEqual([]);
      } else {
        expect(unmet).toEqual([]);
      }
      if (!UPDATE) expect(record).toEqual(expected[testCase.name]);
    }, 120_000);
  }
});
