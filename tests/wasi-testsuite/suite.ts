/**
 * The vendored WebAssembly/wasi-testsuite (wasm32-wasip1, branch prod/testsuite-base): finding
 * the tests and their JSON specs, and judging a run against a spec. Engines (Isobox's runner,
 * node:wasi, the page) are adapters in the tests that use this.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The folder this file is in: the suites sit beside it. */
export const SUITE_DIR = new URL('.', import.meta.url).pathname;

/** The three suites, as folders under SUITE_DIR. */
export const SUITES = ['assemblyscript', 'c', 'rust'] as const;

/** One test's specification (the legacy format every wasip1 test here uses), defaults filled in. */
export interface TestSpec {
  args: string[];
  env: Record<string, string>;
  /** A folder next to the test, to preopen as the guest's `/`; null for none. */
  root: string | null;
  exit_code: number;
  /** Checked only when the spec gives it (as the suite's own runner does). */
  stdout: string | null;
  stderr: string | null;
}

/** A test case: `suite/name`, its module and spec. */
export interface TestCase {
  id: string;
  suite: string;
  name: string;
  wasmPath: string;
  spec: TestSpec;
}

/** What a run of a test produced. */
export interface TestOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Every test case of the vendored suites, sorted by id. */
export function loadCases(): TestCase[] {
  const cases: TestCase[] = [];
  for (const suite of SUITES) {
    const dir = join(SUITE_DIR, suite);
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.wasm')) continue;
      const name = file.slice(0, -'.wasm'.length);
      const specPath = join(dir, `${name}.json`);
      let raw: Partial<TestSpec> = {};
      try {
        raw = JSON.parse(readFileSync(specPath, 'utf8')) as Partial<TestSpec>;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`bad spec ${specPath}: ${String(error)}`, { cause: error });
      }
      cases.push({
        id: `${suite}/${name}`,
        suite,
        name,
        wasmPath: join(dir, file),
        spec: { args: raw.args ?? [], env: raw.env ?? {}, root: raw.root ?? null, exit_code: raw.exit_code ?? 0, stdout: raw.stdout ?? null, stderr: raw.stderr ?? null },
      });
    }
  }
  return cases;
}

/** The files and folders under a test's root folder, as relative paths (folders end in `/`). */
export function rootEntries(testCase: TestCase): { path: string; data?: Uint8Array }[] {
  if (testCase.spec.root === null) return [];
  const base = join(SUITE_DIR, testCase.suite, testCase.spec.root);
  const out: { path: string; data?: Uint8Array }[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(base, rel)).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      if (statSync(join(base, path)).isDirectory()) {
        out.push({ path: `${path}/` });
        walk(path);
      } else {
        out.push({ path, data: new Uint8Array(readFileSync(join(base, path))) });
      }
    }
  };
  walk('');
  return out;
}

/** Why an outcome does not meet the spec, or undefined when it passes. */
export function mismatch(spec: TestSpec, outcome: TestOutcome): string | undefined {
  if (outcome.exitCode !== spec.exit_code) return `exit code ${outcome.exitCode}, expected ${spec.exit_code}${outcome.stderr ? ` (stderr: ${firstLines(outcome.stderr)})` : ''}`;
  if (spec.stdout !== null && outcome.stdout !== spec.stdout) return `stdout ${JSON.stringify(outcome.stdout.slice(0, 200))}, expected ${JSON.stringify(spec.stdout)}`;
  if (spec.stderr !== null && outcome.stderr !== spec.stderr) return `stderr ${JSON.stringify(firstLines(outcome.stderr))}, expected ${JSON.stringify(spec.stderr)}`;
  return undefined;
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 3).join(' | ').slice(0, 300);
}

/** Tests Isobox is known to fail, with why (docs/wasi.md lists the same). */
export function loadSkipList(): Record<string, string> {
  return JSON.parse(readFileSync(join(SUITE_DIR, 'skip.json'), 'utf8')) as Record<string, string>;
}
