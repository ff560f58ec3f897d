import { startMockLlm } from '../tests/mock-llm/server.ts';
import { SCENARIOS } from '../tests/mock-llm/scenarios.ts';
import { askAgent, configureAgent, expect, lastAgentMessage, openApp, test, ui, waitForPython } from './fixtures.ts';

test('the Demo agent works with no settings and no network, running real code', async ({ browser }) => {
  const { context, page } = await openApp(browser);
  try {
    await context.setOffline(true);
    await askAgent(page, 'write FizzBuzz in Python and run it');
    const reply = lastAgentMessage(page);
    await expect(reply).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    await expect(reply.locator('[data-tool="write_file"]')).toContainText('fizzbuzz.py');
    await expect(reply).toContainText('FizzBuzz');
    await expect(reply.locator('[data-tool="exec"], [data-tool="run_code"]').last()).toContainText('ok 0');
    await expect(ui.treeItem(page, 'fizzbuzz.py')).toBeVisible();
  } finally {
    await context.close();
  }
});

test.describe('with an OpenAI-compatible server', () => {
  test('a tool call runs in the sandbox and its real output goes back to the model', async ({ browser }) => {
    const llm = await startMockLlm(SCENARIOS['tool-call']);
    const { context, page } = await openApp(browser);
    try {
      await configureAgent(page, { provider: 'openai-compatible', baseUrl: llm.url, model: 'mock-model', apiKey: 'sk-test' });
      await askAgent(page, 'what is 6*7? compute it');
      const reply = lastAgentMessage(page);
      await expect(reply).toHaveAttribute('data-status', 'done');
      await expect(reply.getByTestId('tool-call')).toContainText('ok 0');
      await expect(reply.getByTestId('tool-call')).toContainText('42');
      await expect(reply).toContainText('So 6*7 = 42');
      // The model received the sandbox's output in the tool message.
      expect(JSON.stringify(llm.requests.at(-1)?.messages)).toContain('42');

      await page.reload();
      await waitForPython(page);
      await expect(page.getByTestId('chat-message')).toHaveCount(2);
      await expect(lastAgentMessage(page)).toContainText('So 6*7 = 42');
    } finally {
      await context.close();
      await llm.close();
    }
  });

  test('Stop ends a streaming answer and keeps what was said', async ({ browser }) => {
    const llm = await startMockLlm(SCENARIOS.slow);
    const { context, page } = await openApp(browser);
    try {
      await configureAgent(page, { provider: 'openai-compatible', baseUrl: llm.url, model: 'mock-model' });
      await askAgent(page, 'tell me something slowly');
      const reply = lastAgentMessage(page);
      await expect(reply).toContainText('streams slowly');
      await page.getByTestId('stop-button').click();
      await expect(reply).toHaveAttribute('data-status', 'stopped');
      await expect(reply).toContainText('This answer');
      await expect(page.getByTestId('chat-send')).toBeVisible();
    } finally {
      await context.close();
      await llm.close();
    }
  });

  test('a wrong key gives a clear message and loses nothing', async ({ browser }) => {
    const llm = await startMockLlm(SCENARIOS['401']);
    const { context, page } = await openApp(browser);
    try {
      await configureAgent(page, { provider: 'openai-compatible', baseUrl: llm.url, model: 'mock-model', apiKey: 'sk-wrong' });
      await askAgent(page, 'hello');
      const reply = lastAgentMessage(page);
      await expect(reply).toHaveAttribute('data-status', 'error');
      await expect(reply).toContainText(/key/i);
      await expect(reply).not.toContainText('sk-wrong');
      await expect(page.getByTestId('chat-message').first()).toContainText('hello');
    } finally {
      await context.close();
      await llm.close();
    }
  });

  test('an unreachable server is explained', async ({ browser }) => {
    const { context, page } = await openApp(browser);
    await configureAgent(page, { provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', model: 'mock-model' });
    await askAgent(page, 'hello');
    const reply = lastAgentMessage(page);
    await expect(reply).toHaveAttribute('data-status', 'error');
    await expect(reply.locator('.chat-error')).not.toBeEmpty();
    await context.close();
  });
});
