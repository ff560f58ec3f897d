import { clickRunAndWait, expect, expectTerminal, openApp, projectNames, runCode, setEditorText, test, ui } from './fixtures.ts';

test('projects keep their own files; rename, duplicate and delete from the menu', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  await setEditorText(page, 'print("first project")\n');
  await page.getByTestId('project-menu').click();
  await page.getByRole('menuitem', { name: 'New project' }).click();
  await expect(page.getByTestId('project-menu')).toContainText('Project 2');
  expect(await runCode(page, 'open("only-here.txt", "w").write("2")\n')).toBe('ok 0');
  await expect(ui.treeItem(page, 'only-here.txt')).toBeVisible();

  await page.getByTestId('project-menu').click();
  await page.getByRole('menuitemradio', { name: /My project/ }).click();
  await expect(ui.treeItem(page, 'only-here.txt')).toHaveCount(0);
  await expect(ui.editor(page)).toContainText('first project');

  await page.getByTestId('project-menu').click();
  await page.getByRole('menuitem', { name: 'Rename…' }).click();
  await page.getByTestId('project-rename-input').fill('Demo talk');
  await page.getByTestId('project-rename-input').press('Enter');
  await expect(page.getByTestId('project-menu')).toContainText('Demo talk');

  await page.getByTestId('project-menu').click();
  await page.getByRole('menuitem', { name: 'Duplicate' }).click();
  await expect(page.getByTestId('project-menu')).toContainText('Demo talk (copy)');
  await expect(ui.editor(page)).toContainText('first project');

  await page.getByTestId('project-menu').click();
  await page.getByRole('menuitem', { name: 'Delete…' }).click();
  await page.getByTestId('project-delete-confirm').click();
  // Run pressed right away runs in the project that opens next, never in the one being removed.
  expect(await clickRunAndWait(page)).toBe('ok 0');
  await expectTerminal(page).toContain('first project');
  await expect(page.getByTestId('project-menu')).toHaveText('Demo talk ▾');
  expect(await projectNames(page)).toEqual(['Demo talk', 'Project 2']);
  await context.close();
});

test('a project exported as zip imports as a new project with the same files', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  expect(await runCode(page, 'import os\nos.makedirs("data", exist_ok=True)\nopen("data/n.txt", "w").write("7")\nprint("zip me")\n')).toBe('ok 0');
  await page.getByTestId('project-menu').click();
  const download = page.waitForEvent('download');
  await page.getByTestId('zip-export').click();
  const zip = await download;
  expect(zip.suggestedFilename()).toBe('My-project.zip');
  const file = test.info().outputPath(zip.suggestedFilename());
  await zip.saveAs(file);
  await page.getByTestId('zip-input').setInputFiles(file);
  await expect(page.getByTestId('project-menu')).toContainText('My-project');
  await expect(ui.treeItem(page, 'data/n.txt')).toBeVisible();
  await ui.treeItem(page, 'main.py').getByRole('button', { name: 'main.py' }).click();
  expect(await clickRunAndWait(page)).toBe('ok 0');
  await expectTerminal(page).toContain('zip me');
  await context.close();
});

test('a bad zip is refused with a clear message', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  await page.getByTestId('zip-input').setInputFiles({ name: 'broken.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\u0003\u0004 not really a zip') });
  await expect(page.getByTestId('notice')).toContainText('Could not import broken.zip');
  expect(await projectNames(page)).toEqual(['My project']);
  await context.close();
});

test('?embed shows only the editor, the terminal and Run/Stop', async ({ browser }) => {
  const { context, page } = await openApp(browser, '/?embed');
  await expect(page.getByTestId('run-button')).toBeVisible();
  await expect(page.getByTestId('stop-button')).toBeVisible();
  await expect(page.getByTestId('file-tree')).toHaveCount(0);
  await expect(page.getByTestId('chat-messages')).toHaveCount(0);
  expect(await runCode(page, 'print("embedded")\n')).toBe('ok 0');
  await expectTerminal(page).toContain('embedded');
  await context.close();
});

test('presenter zoom makes the editor and terminal text larger and fits 1280x720', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  const before = await ui.output(page).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  await page.keyboard.press('Control+=');
  await page.keyboard.press('Control+=');
  const after = await ui.output(page).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(after).toBe(before + 4);
  for (const id of ['run-button', 'stop-button', 'share-button', 'settings-button', 'runtime-status']) {
    const box = await page.getByTestId(id).boundingBox();
    expect(box && box.x + box.width <= 1280 && box.y + box.height <= 720).toBe(true);
  }
  await context.close();
});
