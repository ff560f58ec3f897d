import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { IsoboxAutomation } from '../src/ui/automation.ts';
import { type TestCase, loadCases, loadSkipList, mismatch, rootEntries } from '../tests/wasi-testsuite/suite.ts';
import { expect, openApp, test } from './fixtures.ts';

/**
 * A subset of the vendored wasi-testsuite in Chromium, as a user runs a binary: the test's root
 * folder and module are written into the project, and `./name.wasm args` runs in the page's
 * sandbox (`window.isobox.exec`) with that folder as the working directory. Every test must pass
 * exactly when the Node run (tests/wasi-testsuite) passes it, i.e. when skip.json does not list it.
 * Tests with an `env` are left out: the shell exports PWD, which they count.
 */
test.describe.configure({ timeout: 300_000 });

type IsoboxWindow = { isobox: IsoboxAutomation };

const SUBSET = [
  'assemblyscript/args_get-multiple-arguments',
  'assemblyscript/fd_write-to-stdout',
  'assemblyscript/proc_exit-failure',
  'assemblyscript/random_get-non-zero-length',
  'c/clock_gettime-monotonic',
  'c/fdopendir-with-access',
  'c/fopen-with-access',
  'c/lseek',
  'c/pread-with-access',
  'c/pwrite-with-append',
  'c/sock_shutdown-not_sock',
  'c/stat-dev-ino',
  'rust/close_preopen',
  'rust/fd_readdir',
  'rust/file_truncation',
  'rust/path_open_preopen',
  'rust/path_rename',
  'rust/readlink',
  'rust/remove_nonempty_directory',
  'rust/renumber',
  'rust/truncation_rights',
];

let page: Page;

test.beforeAll(async ({ browser }) => {
  ({ page } = await openApp(browser));
});

test.afterAll(async () => {
  await page?.context().close();
});

/** A shell word for `arg`: single-quoted, with embedded single quotes closed and escaped. */
function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

async function runInPage(testCase: TestCase, dir: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const files: [string, number[]][] = [[`${dir}/${testCase.name}.wasm`, Array.from(readFileSync(testCase.wasmPath))]];
  for (const entry of rootEntries(testCase)) {
    // A folder comes into being with the files under it; an empty one gets a placeholder the test ignores.
    if (entry.data) files.push([`${dir}/${entry.path}`, Array.from(entry.data)]);
  }
  await page.evaluate(async (list) => {
    for (const [path, bytes] of list) await (window as unknown as IsoboxWindow).isobox.writeFile(path, new Uint8Array(bytes));
  }, files);
  const line = [`./${testCase.name}.wasm`, ...testCase.spec.args.map(quote)].join(' ');
  const r = await page.evaluate(([l, cwd]) => (window as unknown as IsoboxWindow).isobox.exec(l, { cwd, timeoutMs: 60_000 }), [line, dir] as const);
  // The shell prefixes a crash with the program's name; the spec's stderr is the program's own.
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

test('the Chromium subset passes exactly the tests the Node run passes', async () => {
  const skip = loadSkipList();
  const cases = new Map(loadCases().map((c) => [c.id, c]));
  const outcomes: string[] = [];
  let passed = 0;
  for (const [i, id] of SUBSET.entries()) {
    const testCase = cases.get(id);
    if (!testCase) throw new Error(`no such test: ${id}`);
    expect(testCase.spec.env, `${id} needs an environment`).toEqual({});
    const why = mismatch(testCase.spec, await runInPage(testCase, `wts${i}`));
    if (why === undefined) passed++;
    outcomes.push(`${id}: ${why === undefined ? 'pass' : `fail (${why})`}`);
    expect.soft(why === undefined, `${id}: ${why ?? 'passes'}; skip.json says ${skip[id] ?? 'it passes'}`).toBe(!(id in skip));
  }
  console.log(`wasi-testsuite in Chromium: ${passed} of ${SUBSET.length} pass\n${outcomes.join('\n')}`);
});
