import { expect, expectTerminal, linkFromAnotherTool, test, ui } from './fixtures.ts';

// A person (or a script) may press Run the moment the button shows, before the project has opened
// from storage and before Python is ready: the run waits for both and runs the right file.

test('Run pressed as soon as a shared link shows runs the shared file', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(linkFromAnotherTool({ v: 1, files: { 'app.py': 'print("early bird")\n' }, active: 'app.py' }));
  await page.getByTestId('run-button').click();
  await expect(ui.runStatus(page)).toHaveText('ok 0', { timeout: 60_000 });
  await expectTerminal(page).toContain('early bird');
  await context.close();
});

test('Run pressed as soon as the first visit shows runs the starter program', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await page.getByTestId('run-button').click();
  await expect(ui.runStatus(page)).toHaveText('ok 0', { timeout: 60_000 });
  await expectTerminal(page).not.toBe('');
  await context.close();
});
