// Takes the README screenshot: the built app (served by `vite preview`) after a run, in Debian's Chromium.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';

const port = 4179;
const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore' });
try {
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByTestId('runtime-status').filter({ hasText: 'ready' }).waitFor({ timeout: 60_000 });
  await page.locator('.monaco-editor').first().waitFor();
  await page.getByTestId('chat-input').fill('write FizzBuzz in Python and run it');
  await page.getByTestId('chat-send').click();
  await page.locator('[data-testid="chat-message"][data-role="assistant"][data-status="done"]').waitFor({ timeout: 60_000 });
  await page.getByTestId('output').click();
  await page.keyboard.type('python fizzbuzz.py && ls');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(2000);
  await page.screenshot({ path: 'docs/screenshot.png' });
  await browser.close();
  console.log('wrote docs/screenshot.png');
} finally {
  server.kill();
}
