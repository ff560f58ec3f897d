import { startMockLlm, type MockLlm } from '../tests/mock-llm/server.ts';
import { askAgent, configureAgent, editorText, expect, lastAgentMessage, test, ui, useSharedPage } from './fixtures.ts';

const SNIPPET = 'total = sum(range(101))\nprint("total", total)';
/** An agent reply as a model streams it: Markdown with a heading, a list, a table, code and hostile HTML. */
const REPLY = [
  '# Plan',
  '',
  'Here is what I did, see the [docs](https://example.com/docs):',
  '',
  '- wrote a **small** script',
  '- ran it in the `sandbox`',
  '',
  '| step | result |',
  '| ---- | ------ |',
  '| write | ok |',
  '| run | 5050 |',
  '',
  '```python',
  SNIPPET,
  '```',
  '',
  'And the entry point:',
  '',
  '```python main.py',
  'print("from the chat")',
  '```',
  '',
  'A failing one:',
  '',
  '```py',
  'import sys',
  'print("oops", file=sys.stderr)',
  'sys.exit(3)',
  '```',
  '',
  'In the shell:',
  '',
  '```sh',
  'echo shell says hi && pwd',
  '```',
  '',
  'And one that never ends:',
  '',
  '```python',
  'import time',
  'while True:',
  '    time.sleep(0.1)',
  '```',
  '',
  'Hostile: <img src=x onerror="window.__pwned=1"> inline.',
  '',
  '<script>window.__pwned = 2</script>',
  '',
  '<img src="/favicon.svg" onload="window.__pwned=3">',
].join('\n');

test.describe('an agent reply in Markdown', () => {
  const page = useSharedPage();
  let llm: MockLlm | undefined;

  test.beforeAll(async () => {
    // Small chunks: the reply streams in token-sized pieces, as a real model sends it.
    llm = await startMockLlm({ respond: () => ({ type: 'text', text: REPLY, chunkSize: 7 }) });
    await configureAgent(page(), { provider: 'openai-compatible', baseUrl: llm.url, model: 'mock-model' });
    await askAgent(page(), 'show me some markdown');
    await expect(lastAgentMessage(page())).toHaveAttribute('data-status', 'done');
  });
  test.afterAll(async () => {
    await llm?.close();
  });

  const codeBlock = (index: number) => lastAgentMessage(page()).getByTestId('code-block').nth(index);

  test('renders headings, lists, tables and links; HTML shows as text and never runs', async () => {
    const reply = lastAgentMessage(page());
    await expect(reply.getByRole('heading', { name: 'Plan' })).toBeVisible();
    await expect(reply.getByRole('listitem')).toHaveText(['wrote a small script', 'ran it in the sandbox']);
    await expect(reply.locator('strong')).toHaveText('small');
    await expect(reply.getByRole('columnheader')).toHaveText(['step', 'result']);
    await expect(reply.getByRole('cell', { name: '5050' })).toBeVisible();
    const link = reply.getByRole('link', { name: 'docs' });
    await expect(link).toHaveAttribute('href', 'https://example.com/docs');
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');

    await expect(reply).toContainText('<img src=x onerror="window.__pwned=1">');
    await expect(reply).toContainText('<script>window.__pwned = 2</script>');
    await expect(reply).toContainText('<img src="/favicon.svg" onload="window.__pwned=3">');
    await expect(reply.locator('img, script, iframe')).toHaveCount(0);
    expect(await page().evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
  });

  test('code blocks show their language, highlighted by the editor’s colorizer', async () => {
    await expect(codeBlock(0)).toHaveAttribute('data-language', 'python');
    await expect(codeBlock(0).locator('.code-lang')).toHaveText('python');
    await expect(codeBlock(0).locator('pre')).toHaveAttribute('data-highlighted', 'true');
    // Monaco's token classes: keywords and strings are coloured differently from plain text.
    expect(await codeBlock(0).locator('pre [class^="mtk"]').count()).toBeGreaterThan(3);
    expect((await codeBlock(0).locator('pre').innerText()).trim()).toBe(SNIPPET);
    await expect(codeBlock(1).locator('.code-file')).toHaveText('main.py');
  });

  test('Copy puts the block on the clipboard', async () => {
    await page().evaluate(() => navigator.clipboard.writeText('something else'));
    await codeBlock(0).getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(codeBlock(0).getByRole('status')).toHaveText('Copied');
    expect(await page().evaluate(() => navigator.clipboard.readText())).toBe(SNIPPET);
  });

  test('Open in editor opens the block as a new file named from its language', async () => {
    await codeBlock(0).getByRole('button', { name: 'Open in editor', exact: true }).click();
    await expect(page().locator('.tab.active')).toHaveAttribute('data-tab', 'snippet.py');
    await expect(ui.treeItem(page(), 'snippet.py')).toBeVisible();
    await expect.poll(() => editorText(page())).toContain('print("total", total)');
    // A second time: the next free name, nothing overwritten.
    await codeBlock(0).getByRole('button', { name: 'Open in editor', exact: true }).click();
    await expect(page().locator('.tab.active')).toHaveAttribute('data-tab', 'snippet-2.py');
  });

  test('Open in editor replaces the file a block names', async () => {
    await codeBlock(1).getByRole('button', { name: 'Open in editor', exact: true }).click();
    await expect(page().locator('.tab.active')).toHaveAttribute('data-tab', 'main.py');
    await expect.poll(() => editorText(page())).toContain('print("from the chat")');
    await expect.poll(() => editorText(page())).not.toContain('Hello from Isobox');
  });

  test('Run runs the block in the sandbox and shows its output and status under it', async () => {
    await codeBlock(0).getByRole('button', { name: 'Run', exact: true }).click();
    await expect(codeBlock(0).getByTestId('code-run-status')).toHaveText('ok 0', { timeout: 60_000 });
    await expect(codeBlock(0).getByTestId('code-run')).toContainText('total 5050');
  });

  test('a failing block shows its status, exit code and stderr', async () => {
    await codeBlock(2).getByRole('button', { name: 'Run', exact: true }).click();
    await expect(codeBlock(2).getByTestId('code-run-status')).toHaveText('error 3', { timeout: 60_000 });
    await expect(codeBlock(2).getByTestId('code-run').locator('.term-stderr')).toHaveText('oops\n');
  });

  test('a shell block runs as a shell line', async () => {
    await expect(codeBlock(3).locator('.code-lang')).toHaveText('shell');
    await codeBlock(3).getByRole('button', { name: 'Run', exact: true }).click();
    await expect(codeBlock(3).getByTestId('code-run-status')).toHaveText('ok 0', { timeout: 60_000 });
    await expect(codeBlock(3).getByTestId('code-run')).toContainText('shell says hi\n/workspace');
  });

  test('Stop ends a block that runs forever, as killed', async () => {
    await codeBlock(4).getByRole('button', { name: 'Run', exact: true }).click();
    await expect(codeBlock(4).getByTestId('code-run-status')).toHaveText('running');
    await codeBlock(4).getByRole('button', { name: 'Stop', exact: true }).click();
    await expect(codeBlock(4).getByTestId('code-run-status')).toHaveText('killed 137', { timeout: 60_000 });
    // The sandbox still runs the next block.
    await codeBlock(0).getByRole('button', { name: 'Run', exact: true }).click();
    await expect(codeBlock(0).getByTestId('code-run-status')).toHaveText('ok 0', { timeout: 60_000 });
  });

  test('the Demo agent’s FizzBuzz answer reads as Markdown', async () => {
    await configureAgent(page(), { provider: 'demo' });
    await askAgent(page(), 'write FizzBuzz in Python and run it');
    const reply = lastAgentMessage(page());
    await expect(reply).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    await expect(reply.getByRole('listitem').first()).toHaveText('multiples of 3 print Fizz');
    await expect(reply.locator('strong').first()).toHaveText('3');
    const output = reply.locator('.md').getByTestId('code-block');
    await expect(output).toHaveAttribute('data-language', 'text');
    await expect(output.locator('pre')).toContainText('14\nFizzBuzz');
    await expect(reply).not.toContainText('```');
    await expect(reply).not.toContainText('**');
  });
});
