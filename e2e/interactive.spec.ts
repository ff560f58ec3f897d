import { chooseLanguage, expect, expectTerminal, runsFinished, setEditorText, terminalText, test, ui, useSharedPage, waitForPython } from './fixtures.ts';

// Programs that talk to their user, driven with the keyboard as a person would: the terminal is
// the running program's tty (issue 14).
const page = useSharedPage();

/** Puts code in the editor and presses Run without waiting for the end; returns the runs finished before. */
async function startRun(code: string): Promise<number> {
  await setEditorText(page(), code);
  const before = await runsFinished(page());
  await page().getByTestId('run-button').click();
  // Running, or (a short program) already finished: either way the run has started.
  await expect
    .poll(async () => (await ui.runStatus(page()).textContent()) === 'running' || (await runsFinished(page())) > before)
    .toBe(true);
  return before;
}

/** Waits for the run after `before` to end; returns its status text. */
async function runEnded(before: number, timeout = 60_000): Promise<string> {
  await expect(ui.runStatus(page())).toHaveAttribute('data-runs', String(before + 1), { timeout });
  return (await ui.runStatus(page()).textContent()) ?? '';
}

/** Clicks the terminal and types a line, then Enter. */
async function typeLine(text: string): Promise<void> {
  await ui.output(page()).click();
  await page().keyboard.type(text);
  await page().keyboard.press('Enter');
}

/** The terminal's lines. */
async function terminalLines(): Promise<string[]> {
  return (await terminalText(page())).split('\n');
}

test('a Python guessing game: input() in a loop, three guesses, the third right', async () => {
  const before = await startRun(
    'secret = 7\nwhile True:\n    guess = int(input("Guess? "))\n    if guess < secret:\n        print("too low")\n    elif guess > secret:\n        print("too high")\n    else:\n        print("right!")\n        break\n',
  );
  await expectTerminal(page()).toContain('Guess?');
  await typeLine('3');
  await expectTerminal(page()).toContain('too low');
  await typeLine('9');
  await expectTerminal(page()).toContain('too high');
  await typeLine('7');
  expect(await runEnded(before)).toBe('ok 0');
  expect(await terminalText(page())).toContain('Guess? 3\ntoo low\nGuess? 9\ntoo high\nGuess? 7\nright!');
});

test('Ruby gets, run from a line typed in the terminal', async () => {
  await page().evaluate(() =>
    (window as unknown as { isobox: { writeFile(path: string, data: string): Promise<void> } }).isobox.writeFile('hello.rb', 'print "Name? "\nname = gets.chomp\nputs "Hello, #{name}!"\n'),
  );
  const before = await runsFinished(page());
  await typeLine('ruby hello.rb');
  await expectTerminal(page()).toContain('Name?');
  await typeLine('Ada');
  expect(await runEnded(before)).toBe('ok 0');
  await expectTerminal(page()).toContain('Name? Ada\nHello, Ada!');
});

test('C scanf reads numbers typed after printf prompts', async () => {
  await chooseLanguage(page(), 'c');
  const before = await startRun('#include <stdio.h>\nint main(void) {\n    int a, b;\n    printf("a = ");\n    scanf("%d", &a);\n    printf("b = ");\n    scanf("%d", &b);\n    printf("sum = %d\\n", a + b);\n    return 0;\n}\n');
  await expectTerminal(page(), { timeout: 120_000 }).toContain('a =');
  await typeLine('40');
  await expectTerminal(page()).toContain('b =');
  await typeLine('2');
  expect(await runEnded(before)).toBe('ok 0');
  await expectTerminal(page()).toContain('a = 40\nb = 2\nsum = 42');
  await chooseLanguage(page(), 'python');
});

test('Ctrl-D ends a `for line in sys.stdin` loop with the lines counted', async () => {
  const before = await startRun('import sys\nn = 0\nfor line in sys.stdin:\n    n += 1\nprint(f"{n} lines")\n');
  await typeLine('one');
  await typeLine('two');
  await typeLine('three');
  await page().keyboard.press('Control+D');
  expect(await runEnded(before)).toBe('ok 0');
  await expectTerminal(page()).toContain('3 lines');
});

test('Ctrl-C ends a program blocked in input() within 1 s, and the next run works', async () => {
  const before = await startRun('name = input("waiting> ")\nprint("not reached")\n');
  await expectTerminal(page()).toContain('waiting>');
  await ui.output(page()).click();
  await page().keyboard.press('Control+C');
  await expect(ui.runStatus(page())).not.toHaveText('running', { timeout: 1_000 });
  await runEnded(before);
  const next = await startRun('print("next run works")\n');
  expect(await runEnded(next)).toBe('ok 0');
  await expectTerminal(page()).toContain('next run works');
});

test('Stop ends a program blocked in input() within 1 s, and the next run works', async () => {
  const before = await startRun('name = input("waiting> ")\nprint("not reached")\n');
  await expectTerminal(page()).toContain('waiting>');
  await page().getByTestId('stop-button').click();
  await expect(ui.runStatus(page())).not.toHaveText('running', { timeout: 1_000 });
  await runEnded(before);
  const next = await startRun('print("after stop")\n');
  expect(await runEnded(next)).toBe('ok 0');
  await expectTerminal(page()).toContain('after stop');
});

test('a command typed right after Stop runs', async () => {
  const before = await startRun('input("blocked> ")\n');
  await expectTerminal(page()).toContain('blocked>');
  await page().getByTestId('stop-button').click();
  // Typed at once, while the run is still being stopped: the line waits for the prompt.
  await typeLine('echo typed after stop');
  // Two runs end: the stopped one, then the typed line (it may already have, so count at least two).
  await expect.poll(() => runsFinished(page()), { timeout: 60_000 }).toBeGreaterThanOrEqual(before + 2);
  await expect.poll(terminalLines).toContain('typed after stop');
  await expect.poll(terminalLines).toContain('/workspace $ echo typed after stop');
});

test('a 50-line paste reaches a line-counting program intact', async () => {
  const before = await startRun(
    'import sys\nlines = [sys.stdin.readline() for _ in range(50)]\nintact = all(line == f"line {i + 1}\\n" for i, line in enumerate(lines))\nprint(f"got {len(lines)} lines, intact: {intact}")\n',
  );
  const pasted = `${Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n')}\n`;
  await page().evaluate((text) => navigator.clipboard.writeText(text), pasted);
  await ui.output(page()).click();
  await page().keyboard.press('Control+V');
  expect(await runEnded(before)).toBe('ok 0');
  await expectTerminal(page()).toContain('got 50 lines, intact: True');
});

test('a \\r progress loop leaves exactly "progress 100%" on its line', async () => {
  const before = await startRun('import time\nfor i in range(0, 101, 25):\n    print(f"\\rprogress {i}%", end="", flush=True)\n    time.sleep(0.05)\nprint()\nprint("done")\n');
  expect(await runEnded(before)).toBe('ok 0');
  const lines = await terminalLines();
  expect(lines).toContain('progress 100%');
  expect(lines.filter((line) => line.includes('progress'))).toEqual(['progress 100%']);
});

test('asyncio.run with gather of three sleeps', async () => {
  const before = await startRun(
    'import asyncio, time\n\nasync def nap(i):\n    await asyncio.sleep(0.3)\n    return i\n\nasync def main():\n    start = time.monotonic()\n    results = await asyncio.gather(nap(1), nap(2), nap(3))\n    print("gathered", results, "concurrently:", time.monotonic() - start < 0.8)\n\nasyncio.run(main())\n',
  );
  expect(await runEnded(before)).toBe('ok 0');
  await expectTerminal(page()).toContain('gathered [1, 2, 3] concurrently: True');
});

test('breakpoint() stops at a (Pdb) prompt: `p x` shows the value, `c` continues', async () => {
  const before = await startRun('x = 41 + 1\nbreakpoint()\nprint("done with", x)\n');
  await expectTerminal(page()).toContain('(Pdb)');
  await typeLine('p x');
  await expect.poll(terminalLines).toContain('42');
  await typeLine('c');
  expect(await runEnded(before)).toBe('ok 0');
  await expectTerminal(page()).toContain('done with 42');
});

test('the prompt edits a line: Tab completes, Left/Backspace edit, Up recalls', async () => {
  await page().evaluate(() => (window as unknown as { isobox: { writeFile(path: string, data: string): Promise<void> } }).isobox.writeFile('greet.py', 'print("greetings")\n'));
  let before = await runsFinished(page());
  await ui.output(page()).click();
  // `pyth` completes to `python` (python3 also matches, so no space yet), `gre` to `greet.py `.
  await page().keyboard.type('pyth');
  await page().keyboard.press('Tab');
  await page().keyboard.type(' gre');
  await page().keyboard.press('Tab');
  await page().keyboard.press('Enter');
  expect(await runEnded(before)).toBe('ok 0');
  await expect.poll(terminalLines).toContain('/workspace $ python greet.py');
  await expect.poll(terminalLines).toContain('greetings');

  before = await runsFinished(page());
  await page().keyboard.type('echo abXd');
  await page().keyboard.press('ArrowLeft');
  await page().keyboard.press('Backspace');
  await page().keyboard.type('c');
  await page().keyboard.press('Enter');
  expect(await runEnded(before)).toBe('ok 0');
  await expect.poll(terminalLines).toContain('abcd');

  before = await runsFinished(page());
  await page().keyboard.press('ArrowUp');
  await page().keyboard.press('ArrowUp');
  await page().keyboard.press('Enter');
  expect(await runEnded(before)).toBe('ok 0');
  expect((await terminalLines()).filter((line) => line === 'greetings')).toHaveLength(2);
});

test('Ctrl-L clears the terminal', async () => {
  const before = await runsFinished(page());
  await typeLine('echo before clear');
  await runEnded(before);
  await expect.poll(terminalLines).toContain('before clear');
  await page().keyboard.press('Control+L');
  await expect.poll(terminalLines).not.toContain('before clear');
});

test('Ctrl+Shift+F finds text in the scrollback; screen-reader mode can be turned on', async () => {
  const before = await runsFinished(page());
  await typeLine('echo needle in the scrollback');
  await runEnded(before);
  await page().keyboard.press('Control+Shift+F');
  const find = page().getByRole('textbox', { name: 'Find in terminal' });
  await expect(find).toBeFocused();
  await find.fill('needle');
  await expect(page().getByText('no match')).toHaveCount(0);
  await find.fill('no such words anywhere');
  await expect(page().getByText('no match')).toBeVisible();
  await find.press('Escape');
  await expect(find).toHaveCount(0);
  await expect(ui.output(page()).locator('.xterm-accessibility-tree')).toHaveCount(0);
  await page().getByRole('button', { name: 'Screen reader' }).click();
  await expect(page().getByRole('button', { name: 'Screen reader' })).toHaveAttribute('aria-pressed', 'true');
  await expect(ui.output(page()).locator('.xterm-accessibility-tree')).toHaveCount(1);
  await page().getByRole('button', { name: 'Screen reader' }).click();
});

test('what the terminal showed is still there after a reload', async () => {
  const before = await runsFinished(page());
  await typeLine('echo kept across a reload');
  await runEnded(before);
  await page().reload();
  await waitForPython(page());
  await expect.poll(terminalLines).toContain('kept across a reload');
  // And the terminal works on: a new prompt takes a command.
  const next = await runsFinished(page());
  await typeLine('echo after the reload');
  await runEnded(next);
  await expect.poll(terminalLines).toContain('after the reload');
});
