import type { Page } from '@playwright/test';
import { buildTinyWheel, lockWith, startFakeIndex, type FakeIndex } from '../tests/helpers/package-index.ts';
import { expect, expectTerminal, runCode, runsFinished, setEditorText, test, ui, useSharedPage, waitForPython } from './fixtures.ts';
import { waitForServiceWorker } from './helpers/service-worker.ts';

// Packages on import with consent, against a package index built at test time on 127.0.0.1
// (the bundled pyodide-lock.json plus tiny pure-Python wheels): no internet.
test.slow();

const tiny = buildTinyWheel('isobox_tiny', '1.0.0');
const other = buildTinyWheel('isobox_other', '2.0.0');
const tampered = buildTinyWheel('isobox_bad', '1.0.0');
const later = buildTinyWheel('isobox_later', '1.0.0');
let index: FakeIndex;
const page = useSharedPage();

test.beforeAll(async () => {
  index = await startFakeIndex({
    'pyodide-lock.json': lockWith([tiny, other, later, { ...tampered, lockedSha256: 'b'.repeat(64) }]),
    [later.fileName]: later.bytes,
    [tiny.fileName]: tiny.bytes,
    [other.fileName]: other.bytes,
    [tampered.fileName]: tampered.bytes,
  });
  await page().getByTestId('settings-button').click();
  await page().getByTestId('settings-package-index').fill(index.url);
  await page().getByTestId('settings-save').click();
  await waitForPython(page());
});
test.afterAll(async () => {
  await index.close();
});

/** Pastes code, presses Run and answers the packages prompt; returns the run-status text. */
async function runAnswering(p: Page, code: string, answer: 'allow' | 'deny'): Promise<string> {
  await setEditorText(p, code);
  const before = await runsFinished(p);
  await p.getByTestId('run-button').click();
  await expect(p.getByTestId('packages-prompt')).toBeVisible();
  await p.getByTestId(`packages-${answer}`).click();
  await expect(p.getByTestId('packages-prompt')).toBeHidden();
  await expect(ui.runStatus(p)).toHaveAttribute('data-runs', String(before + 1), { timeout: 60_000 });
  return (await ui.runStatus(p).textContent()) ?? '';
}

test('import → the prompt names the package, its size and the index → allow → the program runs', async () => {
  await setEditorText(page(), 'import isobox_tiny\nprint(isobox_tiny.GREETING)\n');
  const before = await runsFinished(page());
  await page().getByTestId('run-button').click();
  const prompt = page().getByTestId('packages-prompt');
  await expect(prompt).toBeVisible();
  await expect(prompt).toContainText('isobox-tiny 1.0.0');
  // The size comes from the index (HEAD Content-Length): a ~1.2 kB wheel.
  await expect(prompt).toContainText(`(${Math.round(tiny.bytes.byteLength / 1000)} kB)`);
  await expect(prompt).toContainText(index.url);
  await page().getByTestId('packages-allow').click();
  await expect(ui.runStatus(page())).toHaveAttribute('data-runs', String(before + 1), { timeout: 60_000 });
  await expect(ui.runStatus(page())).toHaveText(/^ok 0/);
  await expectTerminal(page()).toContain('hello from isobox_tiny 1.0.0');
  // Remembered for the project: the next run asks nothing.
  expect(await runCode(page(), 'import isobox_tiny\nprint("again", isobox_tiny.__name__)\n')).toMatch(/^ok 0/);
  await expectTerminal(page()).toContain('again isobox_tiny');
});

test('deny → ModuleNotFoundError and one line saying how to allow it; Settings lists the answers', async () => {
  expect(await runAnswering(page(), 'import isobox_other\n', 'deny')).toMatch(/^error 1/);
  await expectTerminal(page()).toContain("ModuleNotFoundError: No module named 'isobox_other'");
  await expectTerminal(page()).toContain('isobox: isobox-other was not allowed for this project');
  expect(index.hits.filter((hit) => hit.startsWith('GET') && hit.includes(other.fileName))).toEqual([]);
  await page().getByTestId('settings-button').click();
  await expect(page().getByTestId('packages-allowed')).toContainText('isobox-tiny');
  await expect(page().getByTestId('packages-denied')).toContainText('isobox-other');
  await page().getByRole('button', { name: 'Cancel' }).click();
});

test('a wheel whose bytes do not match its sha256 is refused with a message and nothing is installed', async () => {
  expect(await runAnswering(page(), 'import isobox_tiny, isobox_bad\nprint("ran")\n', 'allow')).toMatch(/^error 1/);
  await expectTerminal(page()).toContain(`${tampered.fileName} does not match the sha256 in pyodide-lock.json`);
  await expectTerminal(page()).toContain('nothing was installed');
  expect(await runCode(page(), 'import importlib.util\nprint("bad is", importlib.util.find_spec("isobox_bad"))\n')).toMatch(/^ok 0/);
  await expectTerminal(page()).toContain('bad is None');
});

test('Stop while the prompt is open takes the question back, unanswered', async () => {
  await setEditorText(page(), 'import isobox_later\n');
  const before = await runsFinished(page());
  await page().getByTestId('run-button').click();
  await expect(page().getByTestId('packages-prompt')).toBeVisible();
  await page().getByTestId('stop-button').click();
  await expect(page().getByTestId('packages-prompt')).toBeHidden();
  await expect(ui.runStatus(page())).toHaveAttribute('data-runs', String(before + 1), { timeout: 60_000 });
  await expect(ui.runStatus(page())).toHaveText(/^killed/);
  await page().getByTestId('settings-button').click();
  await expect(page().getByTestId('settings-packages')).not.toContainText('isobox-later');
  await page().getByRole('button', { name: 'Cancel' }).click();
});

test('user code cannot reach the package index', async () => {
  const before = index.hits.length;
  const code = [
    'import pyodide_js, pyodide.http, urllib.request',
    'for name, attempt in [',
    `    ("urlopen", lambda: urllib.request.urlopen("${index.url}pyodide-lock.json")),`,
    `    ("loadPackage", lambda: pyodide_js.loadPackage("${index.url}${other.fileName}")),`,
    `    ("pyfetch", lambda: pyodide.http.open_url("${index.url}pyodide-lock.json")),`,
    ']:',
    '    try:',
    '        result = attempt()',
    '        if hasattr(result, "then"):',
    '            print(name, "returned a promise")',
    '        else:',
    '            print(name, "REACHED", str(result)[:40])',
    '    except Exception as e:',
    '        print(name, "blocked", type(e).__name__)',
  ].join('\n');
  await runCode(page(), `${code}\n`);
  await expectTerminal(page()).toContain('pyfetch ');
  expect(await page().evaluate(() => (window as unknown as { isobox: { terminalText(): string } }).isobox.terminalText())).not.toContain('REACHED');
  await page().waitForTimeout(1000);
  expect(index.hits.slice(before)).toEqual([]);
});

test('after a reload with the network cut, the allowed package still imports', async () => {
  await waitForServiceWorker(page());
  await page().context().setOffline(true);
  try {
    await page().reload();
    await waitForPython(page());
    const hitsBefore = index.hits.length;
    expect(await runCode(page(), 'import isobox_tiny\nprint("offline", isobox_tiny.GREETING)\n')).toMatch(/^ok 0/);
    await expectTerminal(page()).toContain('offline hello from isobox_tiny 1.0.0');
    expect(index.hits.length).toBe(hitsBefore);
  } finally {
    await page().context().setOffline(false);
  }
});
