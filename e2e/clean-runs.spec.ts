import type { Page } from '@playwright/test';
import { expect, expectTerminal, runCode, test, typeCommand, useSharedPage } from './fixtures.ts';

// Every run starts clean, as a new process would (issue 15, item 7): what one run changes in its
// interpreter never reaches the next run, whichever program that is.
const page = useSharedPage();

/** A run that leaves behind everything a program can: patched stdlib, `sys` state, globals, modules, a timer. */
const POLLUTE = [
  'import asyncio, json, os, sys, builtins, decimal',
  'json.dumps = lambda *a, **k: "PATCHED"',
  'sys._marker = 1',
  'os.leaked_global = "os"',
  'builtins.leaked_builtin = "builtins"',
  'LEAKED = "main"',
  'asyncio.get_event_loop().call_later(0.4, lambda: print("LEAK from a timer"))',
  'print("polluted", json.dumps([1]))',
  '',
].join('\n');

/** Another program, as a user would run next: prints what it sees of the run before. */
const PROBE = [
  'import json, os, sys, builtins, time',
  'time.sleep(0.8)',
  'print("probe:", json.dumps([1]), hasattr(sys, "_marker"), hasattr(os, "leaked_global"))',
  'print("probe:", hasattr(builtins, "leaked_builtin"), "LEAKED" in globals(), "decimal" in sys.modules)',
  '',
].join('\n');

/** The automation API's run (window.isobox.run), as the agent and scripts use it. */
function apiRun(p: Page, language: 'python' | 'ruby', code: string): Promise<{ status: string; stdout: string }> {
  return p.evaluate(
    async ({ language, code }) => {
      const api = (window as unknown as { isobox: { run(o: { language: string; code: string }): Promise<{ status: string; stdout: string }> } }).isobox;
      const result = await api.run({ language, code });
      return { status: result.status, stdout: result.stdout };
    },
    { language, code },
  );
}

test('a run that patches json.dumps, sets sys._marker and globals leaves nothing for the next Run', async () => {
  expect(await runCode(page(), POLLUTE)).toBe('ok 0');
  await expectTerminal(page()).toContain('polluted PATCHED');
  expect(await runCode(page(), PROBE)).toBe('ok 0');
  await expectTerminal(page()).toContain('probe: [1] False False');
  await expectTerminal(page()).toContain('probe: False False False');
  await expectTerminal(page()).not.toContain('LEAK from a timer');
});

test('runs started back to back (no pause) each start clean too', async () => {
  const [first, second] = await page().evaluate(
    async ({ pollute, probe }) => {
      const api = (window as unknown as { isobox: { run(o: { language: string; code: string }): Promise<{ stdout: string }> } }).isobox;
      return Promise.all([api.run({ language: 'python', code: pollute }), api.run({ language: 'python', code: probe })]);
    },
    { pollute: POLLUTE, probe: PROBE },
  );
  expect(first.stdout).toBe('polluted PATCHED\n');
  expect(second.stdout).toBe('probe: [1] False False\nprobe: False False False\n');
});

test('Python run from the terminal does not leak into the next either', async () => {
  expect(await typeCommand(page(), `python -c 'import sys; sys._marker = 1; print("marked", sys._marker)'`)).toBe('ok 0');
  await expectTerminal(page()).toContain('marked 1');
  expect(await typeCommand(page(), `python -c 'import sys; print("marker left:", hasattr(sys, "_marker"))'`)).toBe('ok 0');
  await expectTerminal(page()).toContain('marker left: False');
});

test('Ruby: globals, constants and monkeypatches of one run are gone in the next', async () => {
  const first = await apiRun(page(), 'ruby', '$marker = 1\nLEAKED = 2\nclass String\n  def shout = upcase\nend\nputs "a".shout');
  expect(first).toEqual({ status: 'ok', stdout: 'A\n' });
  const next = await apiRun(page(), 'ruby', 'puts [defined?($marker) ? $marker : nil, defined?(LEAKED), "a".respond_to?(:shout)].inspect');
  expect(next).toEqual({ status: 'ok', stdout: '[nil, nil, false]\n' });
});
