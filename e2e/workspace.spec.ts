import { expect, expectTerminal, openApp, runCode, setEditorText, test, ui, waitForPython } from './fixtures.ts';

test('a file written by Python shows in the tree, opens in the editor, and survives a reload', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  expect(await runCode(page, 'import os\nos.makedirs("out", exist_ok=True)\nopen("out/result.txt", "w").write("forty-two\\n")\n')).toBe('ok 0');
  await expect(ui.treeItem(page, 'out/result.txt')).toBeVisible();
  await ui.treeItem(page, 'out/result.txt').getByRole('button', { name: 'result.txt' }).click();
  await expect(page.locator('.tab.active')).toHaveAttribute('data-tab', 'out/result.txt');
  await expect(ui.editor(page)).toContainText('forty-two');
  await page.reload();
  await waitForPython(page);
  await expect(ui.treeItem(page, 'out/result.txt')).toBeVisible();
  await expect(page.locator('.tab.active')).toHaveAttribute('data-tab', 'out/result.txt');
  await context.close();
});

test('typed code and the open tab survive a reload right after typing', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  await setEditorText(page, 'print("typed before reload")\n');
  await page.reload();
  await waitForPython(page);
  await expect(page.locator('.tab.active')).toHaveAttribute('data-tab', 'main.py');
  await expect(ui.editor(page)).toContainText('typed before reload');
  await page.getByTestId('run-button').click();
  await expectTerminal(page).toContain('typed before reload');
  await context.close();
});

test('new file, rename and delete from the tree', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  await page.getByTestId('new-file').click();
  await page.getByTestId('name-input').fill('notes.py');
  await page.getByTestId('name-input').press('Enter');
  await expect(ui.treeItem(page, 'notes.py')).toBeVisible();
  await expect(page.locator('.tab.active')).toHaveAttribute('data-tab', 'notes.py');

  await ui.treeItem(page, 'notes.py').hover();
  await page.getByRole('button', { name: 'Rename notes.py' }).click();
  await page.getByTestId('name-input').fill('lib/renamed.py');
  await page.getByTestId('name-input').press('Enter');
  await expect(ui.treeItem(page, 'lib/renamed.py')).toBeVisible();
  await expect(ui.treeItem(page, 'notes.py')).toHaveCount(0);

  await ui.treeItem(page, 'lib/renamed.py').hover();
  await page.getByRole('button', { name: 'Delete lib/renamed.py' }).click();
  await page.getByRole('button', { name: 'Confirm delete lib/renamed.py' }).click();
  await expect(ui.treeItem(page, 'lib/renamed.py')).toHaveCount(0);

  await page.reload();
  await waitForPython(page);
  await expect(ui.treeItem(page, 'lib/renamed.py')).toHaveCount(0);
  await expect(ui.treeItem(page, 'main.py')).toBeVisible();
  await context.close();
});

test('a bad file name is refused with a clear message and nothing changes', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  await page.getByTestId('new-file').click();
  await page.getByTestId('name-input').fill('../escape.py');
  await page.getByTestId('name-input').press('Enter');
  await expect(page.getByTestId('notice')).toContainText('escape.py');
  await expect(ui.fileTree(page).locator('[data-path]')).toHaveCount(1);
  await context.close();
});

test('uploaded files land in the workspace and Python can read them', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  await page.getByTestId('upload-input').setInputFiles([{ name: 'data.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') }]);
  await expect(ui.treeItem(page, 'data.csv')).toBeVisible();
  expect(await runCode(page, 'print(open("data.csv").read().splitlines()[1])\n')).toBe('ok 0');
  await expectTerminal(page).toContain('1,2');
  await context.close();
});
