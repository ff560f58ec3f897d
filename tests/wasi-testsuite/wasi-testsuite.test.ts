/**
 * The official WASI conformance suite (WebAssembly/wasi-testsuite, wasm32-wasip1) through Isobox's
 * WASI runner, and through node:wasi on the same tests for comparison. Each spec's `root` folder
 * becomes the workspace (the program's working directory, `/workspace`), its `args` and `env` are
 * passed as given (no PWD added), and exit code, stdout and stderr are checked.
 *
 * The counts are printed; Isobox must pass at least as many as node:wasi, and exactly the tests
 * not in skip.json (each listed with its reason, as in docs/wasi.md).
 */
import { closeSync, cpSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI as NodeWasi } from 'node:wasi';
import { afterAll, describe, expect, it } from 'vitest';
import { recordingIo } from '../../src/sandbox/runtimes/test-io.ts';
import { createWasiRunner } from '../../src/sandbox/runtimes/wasi.ts';
import { FileTree } from '../../src/sandbox/worker/tree.ts';
import { SUITE_DIR, type TestCase, type TestOutcome, loadCases, loadSkipList, mismatch, rootEntries } from './suite.ts';

const cases = loadCases();
const skip = loadSkipList();
const runner = createWasiRunner({ exportPwd: false });

/** Runs a test through Isobox's runner: the root folder is the workspace and the cwd. */
async function runIsobox(testCase: TestCase): Promise<TestOutcome> {
  const tree = new FileTree();
  for (const entry of rootEntries(testCase)) {
    if (entry.data) tree.writeFile(entry.path, entry.data);
    else tree.mkdir(entry.path.slice(0, -1));
  }
  const rec = recordingIo({ args: testCase.spec.args, env: testCase.spec.env });
  const result = await runner(tree, rec.io, new Uint8Array(readFileSync(testCase.wasmPath)), `${testCase.name}.wasm`);
  return { exitCode: result.exitCode, stdout: rec.stdout(), stderr: rec.stderr() };
}

/** Runs a test through node:wasi with a copy of the root folder preopened as `/`. */
async function runNode(testCase: TestCase): Promise<TestOutcome> {
  const scratch = mkdtempSync(join(tmpdir(), 'wasi-testsuite-'));
  const root = join(scratch, 'root');
  if (testCase.spec.root !== null) cpSync(join(SUITE_DIR, testCase.suite, testCase.spec.root), root, { recursive: true });
  const stdin = openSync('/dev/null', 'r');
  const stdout = openSync(join(scratch, 'stdout'), 'w+');
  const stderr = openSync(join(scratch, 'stderr'), 'w+');
  let exitCode: number;
  try {
    const wasi = new NodeWasi({
      version: 'preview1',
      args: [`${testCase.name}.wasm`, ...testCase.spec.args],
      env: testCase.spec.env,
      preopens: testCase.spec.root === null ? {} : { '/': root },
      stdin,
      stdout,
      stderr,
      returnOnExit: true,
    });
    const module = await WebAssembly.compile(readFileSync(testCase.wasmPath));
    const instance = await WebAssembly.instantiate(module, wasi.getImportObject() as WebAssembly.Imports);
    try {
      exitCode = wasi.start(instance);
    } catch {
      exitCode = 134;
    }
  } finally {
    for (const fd of [stdin, stdout, stderr]) closeSync(fd);
  }
  const outcome = { exitCode, stdout: readFileSync(join(scratch, 'stdout'), 'utf8'), stderr: readFileSync(join(scratch, 'stderr'), 'utf8') };
  rmSync(scratch, { recursive: true, force: true });
  return outcome;
}

const isoboxFailures = new Map<string, string>();
const nodeFailures = new Map<string, string>();

describe('wasi-testsuite (wasm32-wasip1)', () => {
  it('finds the 72 vendored tests, and skip.json names only tests that exist', () => {
    expect(cases).toHaveLength(72);
    const ids = new Set(cases.map((c) => c.id));
    expect(Object.keys(skip).filter((id) => !ids.has(id))).toEqual([]);
  });

  for (const testCase of cases) {
    it(testCase.id, async () => {
      const isobox = mismatch(testCase.spec, await runIsobox(testCase));
      if (isobox !== undefined) isoboxFailures.set(testCase.id, isobox);
      const node = mismatch(testCase.spec, await runNode(testCase));
      if (node !== undefined) nodeFailures.set(testCase.id, node);
      if (testCase.id in skip) {
        expect(isobox, `${testCase.id} passes now: remove it from skip.json and docs/wasi.md`).toBeDefined();
      } else {
        expect(isobox).toBeUndefined();
      }
    });
  }

  afterAll(() => {
    const total = cases.length;
    const lines = [
      `wasi-testsuite: Isobox passes ${total - isoboxFailures.size} of ${total}; node:wasi passes ${total - nodeFailures.size} of ${total}`,
      ...[...isoboxFailures].map(([id, why]) => `  isobox fails ${id}: ${why}`),
      ...[...nodeFailures].map(([id, why]) => `  node:wasi fails ${id}: ${why}`),
    ];
    console.log(lines.join('\n'));
  });

  it('passes at least as many tests as node:wasi', () => {
    // Runs after every case above (vitest keeps order within a file).
    expect(cases.length - isoboxFailures.size).toBeGreaterThanOrEqual(cases.length - nodeFailures.size);
  });
});
