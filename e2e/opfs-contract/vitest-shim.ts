/**
 * Just enough of vitest for the workspace contract suite to run in a plain page (the project has no
 * vitest browser mode): `describe` and `it` collect tests, `runAll` runs them one after another,
 * and `expect` is vitest's own (@vitest/expect on chai), so the assertions mean what they mean there.
 */
import { JestAsymmetricMatchers, JestChaiExpect, JestExtend, chai } from '@vitest/expect';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

/** vitest's `expect` for values (no snapshots, polls or soft assertions). */
export const expect = chai.expect;

/** The outcome of one test: its full name, and the error message if it failed. */
export interface TestOutcome {
  name: string;
  error?: string;
}

const tests: Array<{ name: string; body: () => unknown }> = [];
const prefix: string[] = [];

/** Groups tests under a name, as vitest's `describe` does (synchronous bodies only). */
export function describe(name: string, body: () => void): void {
  prefix.push(name);
  try {
    body();
  } finally {
    prefix.pop();
  }
}

/** Registers a test. */
export function it(name: string, body: () => unknown): void {
  tests.push({ name: [...prefix, name].join(' > '), body });
}

/** Runs every registered test in order. */
export async function runAll(): Promise<TestOutcome[]> {
  const outcomes: TestOutcome[] = [];
  for (const test of tests) {
    try {
      await test.body();
      outcomes.push({ name: test.name });
    } catch (err) {
      outcomes.push({ name: test.name, error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
    }
  }
  return outcomes;
}
