import { chooseLanguage, expect, runCode, setEditorText, test, typeCommand, ui , useSharedPage } from './fixtures.ts';

// The inspector: what a run touched and what it tried, shown to the user.
const page = useSharedPage();
test.beforeAll(async () => {
  await runCode(page(), 'open("seed.txt", "w").write("seed")\n');
});

test('a run that writes two files, reads one and tries three network routes', async () => {
  const code = [
    'import js, urllib.request, asyncio',
    'from pyodide.http import pyfetch',
    'open("seed.txt").read()',
    'open("a.txt", "w").write("a")',
    'open("b.txt", "w").write("b")',
    'getattr(js, "XMLHttpRequest", None)',
    'try:\n    urllib.request.urlopen("http://127.0.0.1:9/exfil")\nexcept Exception:\n    pass',
    'try:\n    asyncio.run(pyfetch("http://127.0.0.1:9/exfil2"))\nexcept Exception:\n    pass',
    'print("done")',
  ].join('\n');
  expect(await runCode(page(), `${code}\n`)).toBe('ok 0');
  await expect(page().getByTestId('blocked-badge')).toHaveText(/^\d+ blocked$/);
  await page().getByTestId('blocked-badge').click();
  const inspector = page().getByTestId('inspector');
  await expect(inspector).toBeVisible();
  await expect(inspector.getByTestId('audit-blocked').filter({ hasText: 'js.XMLHttpRequest' })).toHaveCount(1);
  await expect(inspector).toContainText('urlopen http://127.0.0.1:9/exfil');
  await expect(inspector.locator('[data-audit-files="created"]')).toContainText('a.txt');
  await expect(inspector.locator('[data-audit-files="created"]')).toContainText('b.txt');
  await expect(inspector.locator('[data-audit-files="read"]')).toContainText('seed.txt');
  await inspector.locator('[data-audit-files="created"]').getByRole('button', { name: 'a.txt' }).click();
  await expect(page().locator('.tab.active')).toHaveAttribute('data-tab', 'a.txt');
  await page().getByRole('tab', { name: 'Terminal' }).click();
});

test('a C program that opens ../../x (above /) shows the refused path_open in the trace', async () => {
  await page().getByTestId('inspector-tab').click();
  await page().getByRole('checkbox', { name: /trace syscalls/ }).check();
  await page().getByRole('tab', { name: 'Terminal' }).click();
  expect(await typeCommand(page(), 'echo \'#include <stdio.h>\' > esc.c && echo \'int main(void) { return fopen("../../x", "r") == NULL ? 0 : 1; }\' >> esc.c && cc esc.c -o esc.wasm && ./esc.wasm')).toBe('ok 0');
  await page().getByTestId('inspector-tab').click();
  await expect(page().getByTestId('audit-blocked')).toContainText('path_open ../../x');
  await page().getByText(/WASI syscall trace/).click();
  await expect(page().locator('.audit-trace pre')).toContainText('path_open(');
  await expect(page().locator('.audit-trace pre')).toContainText('ENOTCAPABLE');
  await page().getByRole('checkbox', { name: /trace syscalls/ }).uncheck();
  await page().getByRole('tab', { name: 'Terminal' }).click();
});

test('the audit of a killed run is still shown', async () => {
  await setEditorText(page(), 'import js, signal\ngetattr(js, "fetch", None)\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n');
  await page().getByTestId('run-button').click();
  await expect(ui.runStatus(page())).toHaveText('running');
  await page().waitForTimeout(1000);
  await page().getByTestId('stop-button').click();
  await expect(ui.runStatus(page())).toHaveText('killed 137');
  await expect(page().getByTestId('blocked-badge')).toHaveText('1 blocked');
  await page().getByTestId('inspector-tab').click();
  await expect(page().getByTestId('audit-blocked')).toContainText('js.fetch');
  await page().getByRole('tab', { name: 'Terminal' }).click();
});

test('a flood of 100k refused opens is capped, says so, and the tab stays responsive', async () => {
  await chooseLanguage(page(), 'c');
  expect(await runCode(page(), '#include <stdio.h>\nint main(void) {\n    char p[32];\n    for (int i = 0; i < 100000; i++) { snprintf(p, sizeof p, "../../x%d", i); fopen(p, "r"); }\n    return 0;\n}\n')).toBe('ok 0');
  await expect(page().getByTestId('blocked-badge')).toHaveText('500 blocked');
  await page().getByTestId('inspector-tab').click();
  await expect(page().getByTestId('inspector')).toContainText('more events not recorded');
  await expect(page().getByTestId('audit-blocked')).toHaveCount(500);
  await page().getByRole('tab', { name: 'Terminal' }).click();
  await chooseLanguage(page(), 'python');
  expect(await runCode(page(), 'print("responsive")\n')).toBe('ok 0');
});
