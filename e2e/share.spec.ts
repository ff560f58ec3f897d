import { deflateRawSync } from 'node:zlib';
import { clickRunAndWait, expect, expectTerminal, linkFromAnotherTool, openApp, projectNames, setEditorText, test, ui, waitForPython } from './fixtures.ts';

test('Share makes a link that opens the same files in a new project, and nothing runs', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  await setEditorText(page, 'print("shared hello")\n');
  await page.getByTestId('upload-input').setInputFiles([{ name: 'data.txt', mimeType: 'text/plain', buffer: Buffer.from('some data\n') }]);
  await expect(ui.treeItem(page, 'data.txt')).toBeVisible();
  await ui.treeItem(page, 'main.py').getByRole('button', { name: 'main.py' }).click();
  await page.getByTestId('share-button').click();
  const url = await page.getByTestId('share-url').inputValue();
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#s=[A-Za-z0-9_-]+$/);

  const other = await openApp(browser, url.replace(/^http:\/\/[^/]+/, ''));
  await expect(ui.treeItem(other.page, 'main.py')).toBeVisible();
  await expect(ui.treeItem(other.page, 'data.txt')).toBeVisible();
  await expect(other.page.locator('.tab.active')).toHaveAttribute('data-tab', 'main.py');
  await expect(ui.editor(other.page)).toContainText('shared hello');
  await expect(ui.runStatus(other.page)).toHaveText('');
  await expectTerminal(other.page).not.toContain('shared hello');
  expect(await clickRunAndWait(other.page)).toBe('ok 0');
  await expectTerminal(other.page).toContain('shared hello');
  await other.context.close();

  // Opening a link in a browser that has projects adds one and leaves the others alone.
  await page.goto(url.replace(/^http:\/\/[^/]+/, ''));
  await waitForPython(page);
  expect(await projectNames(page)).toEqual(['My project', 'Shared: main.py']);
  await context.close();
});

test('a link made by another tool opens the same way, with its chat', async ({ browser }) => {
  const link = linkFromAnotherTool({
    v: 1,
    files: { 'app.py': 'print("from another tool")\n', 'lib/util.py': 'X = 1\n' },
    active: 'app.py',
    chat: [
      { role: 'user', content: 'say hi' },
      { role: 'assistant', content: 'Running it.', toolCalls: [{ id: 'c1', tool: 'run_code', input: { language: 'python', code: 'print("hi from replay")' } }] },
    ],
  });
  const { context, page } = await openApp(browser, link);
  await expect(ui.treeItem(page, 'lib/util.py')).toBeVisible();
  await expect(page.locator('.tab.active')).toHaveAttribute('data-tab', 'app.py');
  await expect(page.getByTestId('chat-message')).toHaveCount(2);
  await expect(page.getByTestId('tool-call')).toContainText('not run here yet');
  await page.getByTestId('chat-replay').click();
  await expect(page.getByTestId('tool-call')).toContainText('ok 0');
  await expect(page.getByTestId('tool-call')).toContainText('hi from replay');
  await context.close();
});

const hostile: [string, string][] = [
  ['bad base64', '/#s=%%%not-base64%%%'],
  ['truncated deflate', `/#s=${deflateRawSync(Buffer.from(JSON.stringify({ v: 1, files: { 'a.py': 'x'.repeat(500) }, active: 'a.py' }))).subarray(0, 12).toString('base64url')}`],
  ['a decompression bomb', `/#s=${deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 32)).toString('base64url')}`],
  ['a wrong version', linkFromAnotherTool({ v: 2, files: { 'a.py': '' }, active: 'a.py' })],
  ['non-object JSON', linkFromAnotherTool([1, 2, 3])],
  ['a path with ..', linkFromAnotherTool({ v: 1, files: { '../evil.py': 'x' }, active: '../evil.py' })],
  ['an absolute path', linkFromAnotherTool({ v: 1, files: { '/etc/passwd': 'x' }, active: '/etc/passwd' })],
  ['a __proto__ name', `/#s=${deflateRawSync(Buffer.from('{"v":1,"files":{"__proto__":"x"},"active":"__proto__"}')).toString('base64url')}`],
  ['a NUL in a path', linkFromAnotherTool({ v: 1, files: { 'a\u0000.py': 'x' }, active: 'a\u0000.py' })],
  ['thousands of files', linkFromAnotherTool({ v: 1, files: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`f${i}.py`, ''])), active: 'f0.py' })],
  ['binary junk', `/#s=${Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 97) % 256)).toString('base64url')}`],
];

test('hostile or broken links give a clear message and change nothing', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  await setEditorText(page, 'print("mine")\n');
  for (const [name, link] of hostile) {
    await test.step(name, async () => {
      await page.goto(link);
      await expect(page.getByTestId('notice')).toContainText('cannot be opened');
      expect(await projectNames(page)).toEqual(['My project']);
      await expect(ui.fileTree(page).locator('[data-path]')).toHaveCount(1);
      await expect(ui.runStatus(page)).toHaveText('');
    });
  }
  await expect(ui.editor(page)).toContainText('mine');
  await context.close();
});
