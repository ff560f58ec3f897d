import { editorText, expect, openApp, setEditorText, test, waitForPython } from './fixtures.ts';

test('two tabs on one project: each shows what the other saved and is told so', async ({ browser }) => {
  const { context, page: first } = await openApp(browser);
  try {
    const second = await context.newPage();
    await second.goto('/');
    await waitForPython(second);
    await expect(first.getByTestId('notice')).toContainText('also open in another tab');
    await expect(second.getByTestId('notice')).toContainText('also open in another tab');

    await setEditorText(first, 'print("typed in the first tab")\n');
    await expect.poll(() => editorText(second)).toContain('typed in the first tab');
    await expect(second.getByTestId('notice')).toContainText('main.py was saved in another tab');

    await setEditorText(second, 'print("then typed in the second tab")\n');
    await expect.poll(() => editorText(first)).toContain('then typed in the second tab');
    await expect(first.getByTestId('notice')).toContainText('main.py was saved in another tab');
  } finally {
    await context.close();
  }
});
