import { clickRunAndWait, expect, expectTerminal, runCode, setEditorText, terminalText, test, typeCommand, ui, useSharedPage } from './fixtures.ts';

// One loaded page for the whole file: Pyodide takes seconds to start on a small machine.
const page = useSharedPage();

test('shows the layout with a starter program', async () => {
  await expect(page().getByTestId('language-select')).toHaveValue('python');
  await expect(ui.treeItem(page(), 'main.py')).toBeVisible();
  await expect(page().getByTestId('chat-messages')).toBeAttached();
  expect(await page().evaluate(() => crossOriginIsolated)).toBe(true);
});

test('hello world prints and ends ok 0', async () => {
  expect(await runCode(page(), 'print("hello, isobox")\n')).toBe('ok 0');
  await expectTerminal(page()).toContain('hello, isobox');
});

test('output streams while the program runs', async () => {
  await setEditorText(page(), 'import time\nfor i in range(3):\n    print(f"tick {i}")\n    time.sleep(0.7)\n');
  await page().getByTestId('run-button').click();
  await expectTerminal(page()).toContain('tick 0');
  await expect(ui.runStatus(page())).toHaveText('running');
  await expectTerminal(page()).not.toContain('tick 2');
  await expect(ui.runStatus(page())).toHaveText('ok 0');
  await expectTerminal(page()).toContain('tick 2');
});

test('an exception ends as error 1 with a traceback', async () => {
  expect(await runCode(page(), 'def f():\n    raise ValueError("bad value")\nf()\n')).toBe('error 1');
  await expectTerminal(page()).toContain('Traceback (most recent call last)');
  await expectTerminal(page()).toContain('ValueError: bad value');
  await expectTerminal(page()).toContain('main.py", line 2');
});

test('SystemExit gives its exit code', async () => {
  expect(await runCode(page(), 'import sys\nsys.exit(3)\n')).toBe('error 3');
});

test('Stop ends an endless loop as killed, and the next run works', async () => {
  await setEditorText(page(), 'while True:\n    pass\n');
  await page().getByTestId('run-button').click();
  await expect(ui.runStatus(page())).toHaveText('running');
  const stoppedAt = Date.now();
  await page().getByTestId('stop-button').click();
  await expect(ui.runStatus(page())).toHaveText('killed 137', { timeout: 2_000 });
  expect(Date.now() - stoppedAt).toBeLessThan(2_000);
  expect(await runCode(page(), 'print("alive")\n')).toBe('ok 0');
  await expectTerminal(page()).toContain('alive');
});

test('Stop pressed the moment Run starts (while the editor is still being saved) stops that run', async () => {
  await setEditorText(page(), 'while True:\n    pass\n');
  await page().evaluate(async () => {
    const button = (id: string): HTMLButtonElement | null => document.querySelector(`[data-testid="${id}"]`);
    button('run-button')?.click();
    while (button('stop-button')?.disabled) await new Promise((resolve) => setTimeout(resolve, 0));
    button('stop-button')?.click();
  });
  await expect(ui.runStatus(page())).toHaveText('killed 137', { timeout: 5_000 });
  expect(await runCode(page(), 'print("next")\n')).toBe('ok 0');
});

test('Stop ends code that ignores interrupts by replacing the worker', async () => {
  await setEditorText(page(), 'import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n');
  await page().getByTestId('run-button').click();
  await expect(ui.runStatus(page())).toHaveText('running');
  await page().getByTestId('stop-button').click();
  await expect(ui.runStatus(page())).toHaveText('killed 137', { timeout: 2_000 });
  expect(await runCode(page(), 'print("fresh worker")\n')).toBe('ok 0');
  await expectTerminal(page()).toContain('fresh worker');
});

test('input() at the end of piped stdin fails with a clear message instead of hanging', async () => {
  // A Run or a typed line reads the keyboard now (interactive.spec.ts); a pipe is a stdin that ends.
  await setEditorText(page(), 'name = input("name? ")\nprint(name)\n');
  expect(await typeCommand(page(), 'true | python main.py')).toBe('error 1');
  await expectTerminal(page()).toContain('EOFError');
  await expectTerminal(page()).toContain('found no more stdin');
});

test('5 MiB of output is capped at 1 MiB with a visible note', async () => {
  expect(await runCode(page(), 'import sys\nsys.stdout.write("x" * (5 * 1024 * 1024))\n')).toBe('ok 0');
  await expectTerminal(page()).toContain('stdout truncated');
  const length = (await terminalText(page())).length;
  expect(length).toBeLessThan(1.1 * 1024 * 1024);
  expect(length).toBeGreaterThan(1024 * 1024);
});

test('an empty program runs and ends ok 0', async () => {
  await setEditorText(page(), '');
  expect(await clickRunAndWait(page())).toBe('ok 0');
});

test('output is text, never HTML', async () => {
  expect(await runCode(page(), 'print("<img src=x onerror=alert(1)><b>bold</b>")\n')).toBe('ok 0');
  await expectTerminal(page()).toContain('<img src=x onerror=alert(1)><b>bold</b>');
  await expect(ui.output(page()).locator('img, b')).toHaveCount(0);
});

test('a line typed in the terminal runs as a shell command', async () => {
  await setEditorText(page(), 'import sys\nprint("args:", sys.argv[1:])\n');
  await page().getByTestId('run-button').click();
  await expect(ui.runStatus(page())).toHaveText('ok 0');
  expect(await typeCommand(page(), 'python main.py one two > out.txt && cat out.txt')).toBe('ok 0');
  await expectTerminal(page()).toContain("args: ['one', 'two']");
  await expect(ui.treeItem(page(), 'out.txt')).toBeVisible();
  expect(await typeCommand(page(), 'nosuchcommand')).toBe('error 127');
  await expectTerminal(page()).toContain('command not found: nosuchcommand');
});
