import { startMockLlm, type MockLlmOptions } from '../tests/mock-llm/server.ts';
import { SCENARIOS } from '../tests/mock-llm/scenarios.ts';
import { askAgent, configureAgent, expect, lastAgentMessage, openApp, test, waitForPython } from './fixtures.ts';
import type { Browser } from '@playwright/test';

// What the chat showed survives a reload or a closed tab made at any moment.

async function withAgent(browser: Browser, scenario: MockLlmOptions) {
  const llm = await startMockLlm(scenario);
  const { context, page } = await openApp(browser);
  await configureAgent(page, { provider: 'openai-compatible', baseUrl: llm.url, model: 'mock-model', apiKey: 'sk-test' });
  return { llm, context, page };
}

test('a reload right after each answer appears keeps every answer', async ({ browser }) => {
  const { llm, context, page } = await withAgent(browser, SCENARIOS['tool-call']);
  try {
    for (let turn = 1; turn <= 3; turn += 1) {
      await askAgent(page, `what is 6*7? (turn ${turn})`);
      await expect(page.getByTestId('chat-message')).toHaveCount(2 * turn);
      await expect(lastAgentMessage(page)).toContainText('So 6*7 = 42');
      await page.reload();
      await waitForPython(page);
      await expect(page.getByTestId('chat-message')).toHaveCount(2 * turn);
      await expect(lastAgentMessage(page)).toContainText('So 6*7 = 42');
      await expect(lastAgentMessage(page).getByTestId('tool-call')).toContainText('ok 0');
    }
  } finally {
    await context.close();
    await llm.close();
  }
});

test('a reload or a closed tab in the middle of a streamed answer keeps what was shown', async ({ browser }) => {
  const { llm, context, page } = await withAgent(browser, SCENARIOS.slow);
  try {
    const shown = 'This answer streams slowly, word by word';
    await askAgent(page, 'tell me something slowly');
    await expect(lastAgentMessage(page)).toContainText(shown);
    await expect(lastAgentMessage(page)).toHaveAttribute('data-status', 'streaming');
    await page.reload();
    await waitForPython(page);
    await expect(lastAgentMessage(page)).toContainText(shown);
    await expect(lastAgentMessage(page)).toHaveAttribute('data-status', 'stopped');

    await askAgent(page, 'and again, then I close the tab');
    await expect(page.getByTestId('chat-message')).toHaveCount(4);
    await expect(lastAgentMessage(page)).toContainText(shown);
    await page.close({ runBeforeUnload: true });
    const again = await context.newPage();
    await again.goto('/');
    await waitForPython(again);
    await expect(again.getByTestId('chat-message')).toHaveCount(4);
    await expect(lastAgentMessage(again)).toContainText(shown);
    await expect(lastAgentMessage(again)).toHaveAttribute('data-status', 'stopped');
  } finally {
    await context.close();
    await llm.close();
  }
});

test('a tool call cut off by a reload shows as interrupted, not running forever', async ({ browser }) => {
  const { llm, context, page } = await withAgent(browser, SCENARIOS['long-run']);
  try {
    await askAgent(page, 'run something long');
    const card = lastAgentMessage(page).getByTestId('tool-call');
    await expect(card).toHaveAttribute('data-state', 'running');
    await page.reload();
    await waitForPython(page);
    await expect(lastAgentMessage(page).getByTestId('tool-call')).toHaveAttribute('data-state', 'error');
    await expect(lastAgentMessage(page).getByTestId('tool-call')).toContainText('interrupted');
  } finally {
    await context.close();
    await llm.close();
  }
});

test("switching project while the agent answers keeps the answer in its own project's chat", async ({ browser }) => {
  const { llm, context, page } = await withAgent(browser, SCENARIOS.slow);
  try {
    await askAgent(page, 'tell me something slowly');
    await expect(lastAgentMessage(page)).toContainText('This answer streams slowly');
    await page.getByTestId('project-menu').click();
    await page.getByRole('menuitem', { name: 'New project' }).click();
    await expect(page.getByTestId('project-menu')).toContainText('Project 2');
    await expect(page.getByTestId('chat-message')).toHaveCount(0);

    await page.getByTestId('project-menu').click();
    await page.getByRole('menuitemradio', { name: /My project/ }).click();
    await expect(page.getByTestId('chat-message')).toHaveCount(2);
    await expect(lastAgentMessage(page)).toContainText('This answer streams slowly');
    await expect(lastAgentMessage(page)).toHaveAttribute('data-status', 'stopped');
  } finally {
    await context.close();
    await llm.close();
  }
});
