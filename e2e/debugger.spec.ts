import type { Page } from '@playwright/test';
import { clickRunAndWait, expect, expectTerminal, runsFinished, setEditorText, test, ui, useSharedPage } from './fixtures.ts';

// The Python debugger, by clicks and keys: breakpoints in the glyph margin and F9, Debug, the
// step keys, post-mortem, and a recorded trace's slider (DESIGN.md "Test hooks", Debugger).
const page = useSharedPage();

const LOOP = ['total = 0', 'for i in range(3):', '    total += i', '    print("i", i)', 'print("total", total)', ''].join('\n');
const CALLS = ['def double(x):', '    y = x * 2', '    return y', '', 'a = double(5)', 'b = a + 1', 'print(b)', ''].join('\n');
const FAILING = ['def divide(a, b):', '    parts = {"a": a, "b": b}', '    q = a / b', '    return q', '', 'divide(4, 0)', ''].join('\n');
/** 20 lines, a function called in a loop. */
const TWENTY = [
  'def square(n):',
  '    result = n * n',
  '    return result',
  '',
  '',
  'values = []',
  'for k in range(3):',
  '    values.append(square(k))',
  '',
  'total = sum(values)',
  'label = "sum of squares"',
  'print(label, total)',
  '',
  'words = ["a", "b"]',
  'joined = "-".join(words)',
  'print(joined)',
  '',
  'done = True',
  'count = len(values)',
  'print("count", count)',
].join('\n');

/** Clicks the editor's glyph margin (left of the line numbers) at a line, as a user sets a breakpoint. */
async function clickGlyphMargin(p: Page, line: number): Promise<void> {
  const number = ui.editor(p).locator('.margin-view-overlays .line-numbers').getByText(String(line), { exact: true });
  // Monaco re-renders its margin as the layout changes (the debug panel opening): wait for the line.
  await number.waitFor({ state: 'visible' });
  const box = await number.boundingBox();
  if (!box) throw new Error(`line ${line} is not on screen`);
  const margin = await ui.editor(p).locator('.glyph-margin').first().boundingBox();
  if (!margin) throw new Error('the editor has no glyph margin');
  await p.mouse.click(margin.x + margin.width / 2, box.y + box.height / 2);
}

/** Puts the cursor on a line of the editor (clicking its text). */
async function clickLine(p: Page, line: number): Promise<void> {
  const number = ui.editor(p).locator('.margin-view-overlays .line-numbers').getByText(String(line), { exact: true });
  // Monaco re-renders its margin as the layout changes (the debug panel opening): wait for the line.
  await number.waitFor({ state: 'visible' });
  const box = await number.boundingBox();
  if (!box) throw new Error(`line ${line} is not on screen`);
  const lines = await ui.editor(p).locator('.view-lines').boundingBox();
  if (!lines) throw new Error('the editor shows no lines');
  await p.mouse.click(lines.x + lines.width - 20, box.y + box.height / 2);
}

const dots = (p: Page) => ui.editor(p).locator('.debug-breakpoint-glyph');
const items = (p: Page, testId: string) => p.getByTestId(testId).locator('li');

test('a breakpoint in a loop: Debug, the loop variable, Step over, Continue, then run to the end without it', async () => {
  const p = page();
  await setEditorText(p, LOOP);
  await clickGlyphMargin(p, 3);
  await expect(dots(p)).toHaveCount(1);

  await p.getByTestId('debug-button').click();
  await expect(p.getByTestId('debug-line')).toHaveText('main.py:3', { timeout: 30_000 });
  await expect(items(p, 'debug-stack')).toHaveText(['<module>:3']);
  await expect(items(p, 'debug-variables')).toHaveText(['total = 0', 'i = 0']);
  await expect(ui.editor(p).locator('.debug-current-line')).toHaveCount(1);

  await p.keyboard.press('F10');
  await expect(p.getByTestId('debug-line')).toHaveText('main.py:4');

  await p.getByTestId('debug-continue').click();
  await expect(p.getByTestId('debug-line')).toHaveText('main.py:3');
  await expect(items(p, 'debug-variables')).toHaveText(['total = 0', 'i = 1']);
  // Output streams to the terminal while the program is paused.
  await expectTerminal(p).toContain('i 0');

  await clickGlyphMargin(p, 3);
  await expect(dots(p)).toHaveCount(0);
  const before = await runsFinished(p);
  await p.getByTestId('debug-step-over').click();
  await expect(p.getByTestId('debug-line')).toHaveText('main.py:4');
  await p.getByTestId('debug-continue').click();
  await expect(ui.runStatus(p)).toHaveAttribute('data-runs', String(before + 1));
  await expect(ui.runStatus(p)).toHaveText('ok 0');
  await expectTerminal(p).toContain('i 0\ni 1\ni 2\ntotal 3');
  await expect(p.getByTestId('debug-line')).toHaveCount(0);
});

test('F9 sets a breakpoint on the cursor line; Step into enters the function and Step out returns', async () => {
  const p = page();
  await setEditorText(p, CALLS);
  await clickLine(p, 5);
  await p.keyboard.press('F9');
  await expect(dots(p)).toHaveCount(1);

  await p.keyboard.press('F5');
  await expect(p.getByTestId('debug-line')).toHaveText('main.py:5', { timeout: 30_000 });
  await p.keyboard.press('F11');
  await expect(p.getByTestId('debug-line')).toHaveText('main.py:2');
  await expect(items(p, 'debug-stack')).toHaveText(['double:2', '<module>:5']);
  await expect(items(p, 'debug-variables').first()).toHaveText('x = 5');

  await p.getByTestId('debug-step-out').click();
  await expect(p.getByTestId('debug-line')).toHaveText('main.py:6');
  await expect(items(p, 'debug-variables')).toContainText(['a = 10']);

  await clickLine(p, 5);
  await p.keyboard.press('F9');
  await expect(dots(p)).toHaveCount(0);
  await p.getByTestId('debug-continue').click();
  await expect(ui.runStatus(p)).toHaveText('ok 0');
  await expectTerminal(p).toContain('11');
});

test('a run that ends in an uncaught exception offers "Debug this error": the failing line and its locals', async () => {
  const p = page();
  await setEditorText(p, FAILING);
  expect(await clickRunAndWait(p)).toBe('error 1');
  await expectTerminal(p).toContain('ZeroDivisionError');
  await p.getByRole('button', { name: 'Debug this error' }).click();
  await expect(p.getByTestId('debug-line')).toHaveText('main.py:3');
  await expect(items(p, 'debug-stack')).toHaveText(['divide:3', '<module>:6']);
  await expect(items(p, 'debug-variables')).toHaveText(['a = 4', 'b = 0', "parts = {'a': 4, 'b': 0}", /^divide = <function divide/]);
  // A container expands to its items.
  await p.getByRole('button', { name: 'Expand parts' }).click();
  await expect(p.locator('.debug-children li')).toHaveText(["'a': 4", "'b': 0"]);
  await expect(ui.editor(p).locator('.debug-current-line')).toHaveCount(1);
  await p.getByRole('button', { name: 'Close the debugger' }).click();
  await expect(p.getByTestId('debug-line')).toHaveCount(0);
});

test('Trace of a 20-line program: the slider goes to the last step and back to step 1', async () => {
  const p = page();
  await setEditorText(p, TWENTY);
  const before = await runsFinished(p);
  await p.getByTestId('trace-button').click();
  await expect(ui.runStatus(p)).toHaveAttribute('data-runs', String(before + 1), { timeout: 30_000 });
  const step = p.getByTestId('trace-step');
  await expect(step).toHaveText(/^step 1 \/ \d+$/);
  const total = Number((await step.textContent())?.split('/')[1]);
  expect(total).toBeGreaterThan(20);
  await expect(p.getByTestId('debug-line')).toHaveText('main.py:1');

  const slider = p.getByTestId('trace-slider');
  await slider.focus();
  await p.keyboard.press('End');
  await expect(step).toHaveText(`step ${total} / ${total}`);
  await expect(p.getByTestId('debug-line')).toHaveText('main.py:20');
  await expect(items(p, 'debug-variables')).toContainText(['values = [0, 1, 4]', 'total = 5', "joined = 'a-b'", 'count = 3']);
  await expect(p.getByTestId('trace-output')).toHaveText('sum of squares 5\na-b\ncount 3\n');

  await p.keyboard.press('Home');
  await expect(step).toHaveText(`step 1 / ${total}`);
  await expect(p.getByTestId('debug-line')).toHaveText('main.py:1');
  await expect(items(p, 'debug-variables')).toHaveCount(0);

  // One step back from the end is inside the function: its own frame and locals.
  await p.keyboard.press('ArrowRight');
  await p.keyboard.press('ArrowRight');
  await expect(step).toHaveText(`step 3 / ${total}`);
  await expect(p.getByTestId('debug-line')).toHaveText('main.py:7');
  await p.getByRole('button', { name: 'Close the trace' }).click();
});

test('input() still works while debugging: the typed line is in the variables at the next breakpoint', async () => {
  const p = page();
  await setEditorText(p, ['name = input("name? ")', 'greeting = "hi " + name', 'print(greeting)', ''].join('\n'));
  await clickGlyphMargin(p, 3);
  await p.getByTestId('debug-button').click();
  await expectTerminal(p).toContain('name?');
  await ui.output(p).click();
  await p.keyboard.type('Ada');
  await p.keyboard.press('Enter');
  await expect(p.getByTestId('debug-line')).toHaveText('main.py:3', { timeout: 30_000 });
  await expect(items(p, 'debug-variables')).toHaveText(["name = 'Ada'", "greeting = 'hi Ada'"]);
  await clickGlyphMargin(p, 3);
  await p.getByTestId('debug-continue').click();
  await expect(ui.runStatus(p)).toHaveText('ok 0');
  await expectTerminal(p).toContain('hi Ada');
});

test('a breakpoint in an imported module opens that file where the program stopped', async () => {
  const p = page();
  // A program writes the module; the file tree shows what a run left.
  await setEditorText(p, `open("helper.py", "w").write(${JSON.stringify('def twice(x):\n    doubled = x * 2\n    return doubled\n')})`);
  expect(await clickRunAndWait(p)).toBe('ok 0');
  await ui.treeItem(p, 'helper.py').click();
  await expect(p.locator('.tab.active')).toHaveAttribute('data-tab', 'helper.py');
  await clickGlyphMargin(p, 2);
  await ui.treeItem(p, 'main.py').click();
  await setEditorText(p, ['from helper import twice', 'print(twice(21))', ''].join('\n'));
  await p.getByTestId('debug-button').click();
  await expect(p.getByTestId('debug-line')).toHaveText('helper.py:2', { timeout: 30_000 });
  await expect(items(p, 'debug-stack')).toHaveText(['twice:2', '<module>:2']);
  await expect(p.locator('.tab.active')).toHaveAttribute('data-tab', 'helper.py');
  await expect(items(p, 'debug-variables').first()).toHaveText('x = 21');
  await clickGlyphMargin(p, 2);
  await p.getByTestId('debug-continue').click();
  await expect(ui.runStatus(p)).toHaveText('ok 0');
  await expectTerminal(p).toContain('42');
  await ui.treeItem(p, 'main.py').click();
});

test('Stop during a pause ends the run within a second, and the next run works', async () => {
  const p = page();
  await setEditorText(p, LOOP);
  await clickGlyphMargin(p, 4);
  await p.getByTestId('debug-button').click();
  await expect(p.getByTestId('debug-line')).toHaveText('main.py:4', { timeout: 30_000 });
  const stopped = Date.now();
  await p.getByTestId('stop-button').click();
  await expect(ui.runStatus(p)).toHaveText('killed 137', { timeout: 1000 });
  expect(Date.now() - stopped).toBeLessThan(1000);
  await expect(p.getByTestId('debug-line')).toHaveCount(0);

  await clickGlyphMargin(p, 4);
  await expect(dots(p)).toHaveCount(0);
  expect(await clickRunAndWait(p)).toBe('ok 0');
  await expectTerminal(p).toContain('total 3');
});
