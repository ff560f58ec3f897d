import { chooseLanguage, clickRunAndWait, expect, expectTerminal, runCode, setEditorText, test, typeCommand, ui, useSharedPage } from './fixtures.ts';

// Ruby, C/C++ and WASI programs in the same sandbox and workspace as Python. One page: clang is ~100 MB.
const page = useSharedPage();
test.describe.configure({ timeout: 180_000 });

test('Ruby: pick it in the language menu and run', async () => {
  await chooseLanguage(page(), 'ruby');
  await expect(page().locator('.tab.active')).toHaveAttribute('data-tab', 'main.rb');
  expect(await runCode(page(), 'puts "Hello from Ruby #{RUBY_VERSION}"\n')).toBe('ok 0');
  await expectTerminal(page()).toContain('Hello from Ruby 3.4');
  expect(await runCode(page(), 'raise ArgumentError, "bad ruby"\n')).toBe('error 1');
  await expectTerminal(page()).toContain('bad ruby (ArgumentError)');
});

test('C: Run compiles and runs, with clang loaded on first use', async () => {
  await chooseLanguage(page(), 'c');
  await expect(page().locator('.tab.active')).toHaveAttribute('data-tab', 'main.c');
  expect(await clickRunAndWait(page())).toBe('ok 0');
  await expectTerminal(page()).toContain('Hello from C!');
  await expect(page().getByTestId('runtime-status')).toContainText('clang');
});

test('C: a compile error shows file:line in the terminal and a marker in the editor', async () => {
  expect(await runCode(page(), '#include <stdio.h>\nint main(void) {\n    return nope;\n}\n')).toBe('error 1');
  await expectTerminal(page()).toMatch(/main\.c:3:\d+: error/);
  await expect(page().locator('.monaco-editor .squiggly-error').first()).toBeVisible();
});

test('C++: Run compiles and runs', async () => {
  await chooseLanguage(page(), 'cpp');
  await expect(page().locator('.tab.active')).toHaveAttribute('data-tab', 'main.cpp');
  expect(await clickRunAndWait(page())).toBe('ok 0');
  await expectTerminal(page()).toContain('Hello from C++!');
});

test('a C program reads what Python wrote and writes what Ruby reads', async () => {
  await chooseLanguage(page(), 'c');
  await expect(page().locator('.tab.active')).toHaveAttribute('data-tab', 'main.c');
  await setEditorText(
    page(),
    '#include <stdio.h>\nint main(void) {\n    FILE *in = fopen("py.txt", "r");\n    int n = 0;\n    fscanf(in, "%d", &n);\n    fclose(in);\n    FILE *out = fopen("c.txt", "w");\n    fprintf(out, "%d\\n", n * 2);\n    fclose(out);\n    return 0;\n}\n',
  );
  expect(await typeCommand(page(), 'python -c "open(\'py.txt\', \'w\').write(\'21\')" && cc main.c -o twice.wasm && ./twice.wasm && ruby -e "puts File.read(\'c.txt\').to_i"')).toBe('ok 0');
  await expectTerminal(page()).toContain('42');
  await expect(ui.treeItem(page(), 'twice.wasm')).toBeVisible();
  await expect(ui.treeItem(page(), 'c.txt')).toBeVisible();
});

test('a pipe from Python into a WASI program', async () => {
  await page().getByTestId('new-file').click();
  await page().getByTestId('name-input').fill('count.c');
  await page().getByTestId('name-input').press('Enter');
  await setEditorText(page(), '#include <stdio.h>\nint main(void) {\n    int n = 0, c;\n    while ((c = getchar()) != EOF) n += c == \'\\n\';\n    printf("lines: %d\\n", n);\n    return 0;\n}\n');
  expect(await typeCommand(page(), 'cc count.c -o count.wasm && python -c "print(\'a\\nb\\nc\')" | ./count.wasm')).toBe('ok 0');
  await expectTerminal(page()).toContain('lines: 3');
});

test('Stop ends a C busy loop, and the workspace is intact', async () => {
  await setEditorText(page(), 'int main(void) {\n    for (;;) {}\n}\n');
  await page().getByTestId('run-button').click();
  await expect(ui.runStatus(page())).toHaveText('running');
  await page().waitForTimeout(1500);
  const stoppedAt = Date.now();
  await page().getByTestId('stop-button').click();
  await expect(ui.runStatus(page())).toHaveText('killed 137', { timeout: 2_000 });
  expect(Date.now() - stoppedAt).toBeLessThan(2_000);
  await expect(ui.treeItem(page(), 'twice.wasm')).toBeVisible();
  expect(await typeCommand(page(), 'cat c.txt')).toBe('ok 0');
  await expectTerminal(page()).toContain('42');
});

test('Stop ends a Ruby endless loop', async () => {
  expect(await typeCommand(page(), 'echo "loop {}" > spin.rb')).toBe('ok 0');
  await ui.output(page()).click();
  await page().keyboard.type('ruby spin.rb');
  await page().keyboard.press('Enter');
  await expect(ui.runStatus(page())).toHaveText('running');
  await page().waitForTimeout(1000);
  await page().getByTestId('stop-button').click();
  await expect(ui.runStatus(page())).toHaveText('killed 137', { timeout: 2_000 });
});
