import type { Page } from '@playwright/test';
import { expect, expectTerminal, openApp, runCode, runsFinished, setEditorText, test, typeCommand, ui, waitForPython } from './fixtures.ts';

// What a person does in the tree while a program runs is never undone or lost when the run ends.

/** A workspace file's text, read through `window.isobox` as a script would. */
function readText(page: Page, path: string): Promise<string> {
  return page.evaluate((file) => (window as unknown as { isobox: { readText(path: string): Promise<string> } }).isobox.readText(file), path);
}

test('rename, delete and upload while a run is in flight all stick, and so does what the run wrote', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  try {
    expect(await runCode(page, 'open("a.txt", "w").write("a")\nopen("b.txt", "w").write("b")\n')).toBe('ok 0');
    await expect(ui.treeItem(page, 'b.txt')).toBeVisible();

    await setEditorText(page, 'import time\ntime.sleep(4)\nopen("out.txt", "w").write("written by the run")\nprint("run finished")\n');
    const runsBefore = await runsFinished(page);
    await page.getByTestId('run-button').click();
    await expect(ui.runStatus(page)).toContainText('running');

    await ui.treeItem(page, 'a.txt').hover();
    await page.getByRole('button', { name: 'Rename a.txt' }).click();
    await page.getByTestId('name-input').fill('renamed.txt');
    await page.getByTestId('name-input').press('Enter');
    await ui.treeItem(page, 'b.txt').hover();
    await page.getByRole('button', { name: 'Delete b.txt' }).click();
    await page.getByRole('button', { name: 'Confirm delete b.txt' }).click();
    await page.getByTestId('upload-input').setInputFiles({ name: 'uploaded.txt', mimeType: 'text/plain', buffer: Buffer.from('uploaded during the run') });

    await expect(ui.runStatus(page)).toHaveAttribute('data-runs', String(runsBefore + 1), { timeout: 30_000 });
    await expect(ui.runStatus(page)).toHaveText('ok 0');
    await expectTerminal(page).toContain('run finished');
    const files = async (): Promise<string[]> => ui.fileTree(page).locator('[data-path]').evaluateAll((items) => items.map((item) => item.getAttribute('data-path') ?? '').sort());
    const expected = ['main.py', 'out.txt', 'renamed.txt', 'uploaded.txt'];
    await expect.poll(files).toEqual(expected);
    await page.reload();
    await waitForPython(page);
    await expect.poll(files).toEqual(expected);
    expect(await readText(page, 'uploaded.txt')).toBe('uploaded during the run');
    expect(await readText(page, 'renamed.txt')).toBe('a');
    expect(await readText(page, 'out.txt')).toBe('written by the run');
  } finally {
    await context.close();
  }
});

test('switching project while a run is in flight leaves both projects as they were', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  try {
    await setEditorText(page, 'import time\ntime.sleep(3)\nopen("late.txt", "w").write("late")\n');
    await page.getByTestId('run-button').click();
    await page.getByTestId('project-menu').click();
    await page.getByRole('menuitem', { name: 'New project' }).click();
    await expect(page.getByTestId('project-menu')).toContainText('Project 2');
    await page.waitForTimeout(4000); // longer than the run would have taken
    await expect(ui.treeItem(page, 'late.txt')).toHaveCount(0);

    await page.getByTestId('project-menu').click();
    await page.getByRole('menuitemradio', { name: /My project/ }).click();
    await expect(ui.editor(page)).toContainText('time.sleep(3)');
    await expect(ui.treeItem(page, 'main.py')).toBeVisible();
  } finally {
    await context.close();
  }
});

test('typing into a full workspace: the save is refused with a clear message and the text is kept, also across a reload', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  try {
    // Fill the project's quota (256 MiB) to the last byte, in files of at most 64 MiB.
    const fill = 'import os\nleft = 256 * 1024 * 1024 - sum(os.path.getsize(f) for f in os.listdir("."))\ni = 0\nwhile left > 0:\n    n = min(left, 64 * 1024 * 1024)\n    open(f"fill{i}.bin", "wb").write(bytes(n))\n    left -= n\n    i += 1\nprint("filled", i)\n';
    expect(await runCode(page, fill)).toBe('ok 0');
    await expectTerminal(page).toContain('filled 4');

    const typed = `print("kept although the disk is full")\n# ${'x'.repeat(400)}\n`;
    await setEditorText(page, typed);
    await expect(page.getByTestId('notice')).toContainText('Could not save main.py');
    await expect(page.getByTestId('notice')).toContainText(/quota/i);
    await expect(page.getByTestId('notice')).toContainText('Your text is kept');

    await page.reload();
    await waitForPython(page);
    await expect(ui.editor(page)).toContainText('kept although the disk is full');
    expect(await typeCommand(page, 'rm fill0.bin fill1.bin fill2.bin fill3.bin')).toBe('ok 0');
    await page.getByTestId('run-button').click();
    await expectTerminal(page).toContain('kept although the disk is full');
  } finally {
    await context.close();
  }
});
