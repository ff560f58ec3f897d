import { deflateRawSync } from 'node:zlib';
import { expect, test as base, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';

export { expect };

/** Opens the app in a fresh browser context (its own OPFS) and waits until Python is ready. */
export async function openApp(browser: Browser, path = '/'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  await page.goto(path);
  await waitForPython(page);
  return { context, page };
}

/** Waits until the runtime status says Python is ready. */
export async function waitForPython(page: Page): Promise<void> {
  await expect(page.getByTestId('runtime-status')).toContainText(/Python 3\.\d+\.\d+.*ready/, { timeout: 60_000 });
}

export const ui = {
  output: (page: Page): Locator => page.getByTestId('output'),
  runStatus: (page: Page): Locator => page.getByTestId('run-status'),
  fileTree: (page: Page): Locator => page.getByTestId('file-tree'),
  treeItem: (page: Page, path: string): Locator => page.getByTestId('file-tree').locator(`[data-path="${path}"]`),
  editor: (page: Page): Locator => page.locator('.monaco-editor').first(),
};

/** The terminal's whole text, scrollback included (`window.isobox.terminalText()`; empty before the page installed it). */
export async function terminalText(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { isobox?: { terminalText(): string } }).isobox?.terminalText() ?? '');
}

/** Polls the terminal's text until a matcher passes: `await expectTerminal(page).toContain('hi')`. */
export function expectTerminal(page: Page, options: { timeout?: number } = {}) {
  return expect.poll(() => terminalText(page), options);
}

/** Replaces the editor's text the way a user pastes it (clipboard paste inserts verbatim). */
export async function setEditorText(page: Page, code: string): Promise<void> {
  await ui.editor(page).click();
  await page.evaluate((text) => navigator.clipboard.writeText(text), code);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press(code === '' ? 'Delete' : 'ControlOrMeta+V');
  // After a paste the cursor is at the end, so the last line is the one Monaco surely renders.
  const lastLine = code.split('\n').filter((l) => l.trim() !== '').pop()?.trim() ?? '';
  await expect.poll(() => editorText(page)).toContain(lastLine);
}

/** The editor's visible text (Monaco renders spaces as no-break spaces). */
export async function editorText(page: Page): Promise<string> {
  const text = await ui.editor(page).locator('.view-lines').innerText();
  return text.replace(/\u00a0/g, ' ');
}

const ACTIVE_FILE_OF: Record<string, RegExp> = { python: /\.py$/, ruby: /\.rb$/, c: /\.c$/, cpp: /\.(cc|cpp|cxx)$/ };

/** Picks a language in the header and waits until the editor shows a file of it, as a user would. */
export async function chooseLanguage(page: Page, language: 'python' | 'ruby' | 'c' | 'cpp'): Promise<void> {
  await page.getByTestId('language-select').selectOption(language);
  await expect(page.locator('.tab.active')).toHaveAttribute('data-tab', ACTIVE_FILE_OF[language] ?? /$^/);
}

/** Waits for the run after `runsBefore` to finish; returns the run-status text. */
async function waitForRunAfter(page: Page, runsBefore: number): Promise<string> {
  await expect(ui.runStatus(page)).toHaveAttribute('data-runs', String(runsBefore + 1), { timeout: 60_000 });
  return (await ui.runStatus(page).textContent()) ?? '';
}

/** How many runs have finished so far on this page. */
export async function runsFinished(page: Page): Promise<number> {
  return Number(await ui.runStatus(page).getAttribute('data-runs'));
}

/** Clicks Run and waits for that run to finish; returns the run-status text. */
export async function clickRunAndWait(page: Page): Promise<string> {
  const before = await runsFinished(page);
  await page.getByTestId('run-button').click();
  return waitForRunAfter(page, before);
}

/** Pastes code into the editor, runs it and returns the run-status text. */
export async function runCode(page: Page, code: string): Promise<string> {
  await setEditorText(page, code);
  return clickRunAndWait(page);
}

/** Types a shell line into the terminal and waits for it to finish. */
export async function typeCommand(page: Page, line: string): Promise<string> {
  const before = await runsFinished(page);
  await ui.output(page).click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  return waitForRunAfter(page, before);
}

export const test = base;

/**
 * One loaded app page shared by the tests of a file (serial mode): Pyodide takes seconds to start
 * on a small machine. Returns a getter, valid inside the tests.
 */
export function useSharedPage(path = '/'): () => Page {
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  base.describe.configure({ mode: 'serial' });
  base.beforeAll(async ({ browser }) => {
    ({ context, page } = await openApp(browser, path));
  });
  base.afterAll(async () => {
    await context?.close();
  });
  return () => {
    if (!page) throw new Error('the shared page is not open yet');
    return page;
  };
}

/** Opens Settings, fills in the agent provider, and saves. */
export async function configureAgent(page: Page, settings: { provider: string; baseUrl?: string; model?: string; apiKey?: string }): Promise<void> {
  await page.getByTestId('settings-button').click();
  await page.getByTestId('settings-provider').selectOption(settings.provider);
  if (settings.baseUrl !== undefined) await page.getByTestId('settings-base-url').fill(settings.baseUrl);
  if (settings.model !== undefined) await page.getByTestId('settings-model').fill(settings.model);
  if (settings.apiKey !== undefined) await page.getByTestId('settings-api-key').fill(settings.apiKey);
  await page.getByTestId('settings-save').click();
}

/** Types a message to the agent and sends it. */
export async function askAgent(page: Page, text: string): Promise<void> {
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-send').click();
}

/** The last assistant message in the chat. */
export function lastAgentMessage(page: Page): Locator {
  return page.locator('[data-testid="chat-message"][data-role="assistant"]').last();
}

/** The names of all projects, from the project menu (the menu is closed again afterwards). */
export async function projectNames(page: Page): Promise<string[]> {
  await page.getByTestId('project-menu').click();
  await expect(page.getByRole('menu')).toBeVisible();
  const names = await page.locator('[role="menuitemradio"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-project') ?? ''));
  await page.getByTestId('project-menu').click();
  return names;
}

/** Builds a `#s=` link the way another tool would: Node's zlib raw DEFLATE + base64url. */
export function linkFromAnotherTool(json: unknown): string {
  return `/#s=${deflateRawSync(Buffer.from(JSON.stringify(json))).toString('base64url')}`;
}
