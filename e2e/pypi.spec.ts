import { buildTinyWheel, startFakeIndex, type FakeIndex } from '../tests/helpers/package-index.ts';
import { nativeOnlyDocument, pypiFiles } from '../tests/helpers/pypi-index.ts';
import { expect, expectTerminal, runsFinished, setEditorText, test, typeCommand, ui, useSharedPage, waitForPython } from './fixtures.ts';

// pip install / micropip.install against a fake PyPI-style JSON index on 127.0.0.1 (wheels built
// at test time): the page fetches and verifies, the worker installs; user code has no network.
test.slow();

const shell = buildTinyWheel('isobox_pipshell', '1.4.0', 'GREETING = "hello from pip"\n');
const inCode = buildTinyWheel('isobox_micro', '0.3.0', 'GREETING = "hello from micropip"\n');
let index: FakeIndex;
const page = useSharedPage();

test.beforeAll(async () => {
  index = await startFakeIndex({ ...pypiFiles(shell), ...pypiFiles(inCode), ...nativeOnlyDocument('fastnative', '3.1.0') });
  await page().getByTestId('settings-button').click();
  await page().getByTestId('settings-pypi-index').fill(index.url);
  await page().getByTestId('settings-save').click();
  await waitForPython(page());
});
test.afterAll(async () => {
  await index.close();
});

test('pip install in the terminal → the prompt names the package and the index → allow → it imports', async () => {
  const before = await runsFinished(page());
  await ui.output(page()).click();
  await page().keyboard.type(`pip install ${shell.name}`);
  await page().keyboard.press('Enter');
  const prompt = page().getByTestId('packages-prompt');
  await expect(prompt).toBeVisible();
  await expect(prompt).toContainText(`${shell.name} 1.4.0`);
  await expect(prompt).toContainText(index.url);
  await expect(prompt).toContainText('installs from PyPI');
  await page().getByTestId('packages-allow').click();
  await expect(ui.runStatus(page())).toHaveAttribute('data-runs', String(before + 1), { timeout: 60_000 });
  await expectTerminal(page()).toContain(`Successfully installed ${shell.name}-1.4.0`);
  expect(await typeCommand(page(), `python -c "import ${shell.module}; print(${shell.module}.GREETING)"`)).toMatch(/^ok 0/);
  await expectTerminal(page()).toContain('hello from pip');
});

test('micropip.install("name") in the program → prompt → allow → the program runs with it', async () => {
  await setEditorText(page(), `import micropip\nmicropip.install("${inCode.name}")\nimport ${inCode.module}\nprint(${inCode.module}.GREETING)\n`);
  const before = await runsFinished(page());
  await page().getByTestId('run-button').click();
  await expect(page().getByTestId('packages-prompt')).toContainText(`${inCode.name} 0.3.0`);
  await page().getByTestId('packages-allow').click();
  await expect(ui.runStatus(page())).toHaveAttribute('data-runs', String(before + 1), { timeout: 60_000 });
  await expect(ui.runStatus(page())).toHaveText(/^ok 0/);
  await expectTerminal(page()).toContain('hello from micropip');
});

test('a package with only native wheels is refused, saying why, without asking', async () => {
  expect(await typeCommand(page(), '%pip install fastnative')).toMatch(/^error 1/);
  await expect(page().getByTestId('packages-prompt')).toBeHidden();
  await expectTerminal(page()).toContain('cannot install fastnative 3.1.0 from PyPI: it has a native extension');
});

test('user code cannot reach the PyPI index', async () => {
  const before = index.hits.length;
  const code = [
    'import pyodide.http, urllib.request',
    'for name, attempt in [',
    `    ("urlopen", lambda: urllib.request.urlopen("${index.url}${shell.name}/json")),`,
    `    ("open_url", lambda: pyodide.http.open_url("${index.url}files/${shell.fileName}")),`,
    ']:',
    '    try:',
    '        print(name, "REACHED", str(attempt())[:40])',
    '    except Exception as e:',
    '        print(name, "blocked", type(e).__name__)',
  ].join('\n');
  await setEditorText(page(), `${code}\n`);
  const runs = await runsFinished(page());
  await page().getByTestId('run-button').click();
  await expect(ui.runStatus(page())).toHaveAttribute('data-runs', String(runs + 1), { timeout: 60_000 });
  await expectTerminal(page()).toContain('open_url blocked');
  await expectTerminal(page()).toContain('urlopen blocked');
  expect(await page().evaluate(() => (window as unknown as { isobox: { terminalText(): string } }).isobox.terminalText())).not.toContain('REACHED');
  expect(index.hits.slice(before)).toEqual([]);
});
