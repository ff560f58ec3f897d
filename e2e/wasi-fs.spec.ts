import type { Page } from '@playwright/test';
import type { IsoboxAutomation } from '../src/ui/automation.ts';
import { expect, openApp, test, ui } from './fixtures.ts';

/**
 * The filesystem C and Ruby programs see in the page: `/` holds `/workspace` (the project, the
 * working directory) and `/tmp` (scratch for one run). What a program puts in /tmp is gone after
 * the run; the project ends up with exactly the files the programs wrote into it.
 */
test.describe.configure({ mode: 'serial', timeout: 240_000 });

type IsoboxWindow = { isobox: IsoboxAutomation };

let page: Page;

test.beforeAll(async ({ browser }) => {
  ({ page } = await openApp(browser));
});

test.afterAll(async () => {
  await page?.context().close();
});

/** Runs one shell line in the page's sandbox; returns what the user would see. */
async function exec(line: string): Promise<{ status: string; exitCode: number; stdout: string; stderr: string }> {
  const r = await page.evaluate((l) => (window as unknown as IsoboxWindow).isobox.exec(l, { timeoutMs: 180_000 }), line);
  return { status: r.status, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

async function writeFile(path: string, text: string): Promise<void> {
  await page.evaluate(([p, t]) => (window as unknown as IsoboxWindow).isobox.writeFile(p, t), [path, text] as const);
}

const FS_C = String.raw`#include <dirent.h>
#include <stdio.h>
#include <string.h>
int main(void) {
  FILE *f = fopen("/tmp/x", "w");
  if (!f) { perror("/tmp/x"); return 1; }
  fputs("scratch data", f);
  fclose(f);
  char buf[32] = {0};
  f = fopen("/tmp/x", "r");
  fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  printf("read back: %s\n", buf);
  DIR *d = opendir("/");
  struct dirent *e;
  while ((e = readdir(d))) if (e->d_name[0] != '.') printf("/%s\n", e->d_name);
  closedir(d);
  f = fopen("from-c.txt", "w");
  fputs(buf, f);
  return fclose(f);
}
`;

const TEMP_RB = `require "tempfile"
t = Tempfile.new("notes")
t.write("kept in /tmp")
t.flush
puts "tempfile #{File.dirname(t.path)} #{File.read(t.path)}"
puts "writable . #{File.writable?(".")}"
File.write("from-ruby.txt", File.read(t.path))
`;

test('a C program writes and reads /tmp/x and lists /', async () => {
  await writeFile('fs.c', FS_C);
  const r = await exec('cc fs.c -o fs.wasm && ./fs.wasm');
  expect(r.stderr).toBe('');
  expect(r.stdout.split('\n').filter(Boolean)).toEqual(['read back: scratch data', '/workspace', '/tmp']);
  expect(r).toMatchObject({ status: 'ok', exitCode: 0 });
});

test('a Ruby program uses Tempfile and sees the workspace writable', async () => {
  await writeFile('temp.rb', TEMP_RB);
  const r = await exec('ruby temp.rb');
  expect(r).toEqual({ status: 'ok', exitCode: 0, stdout: 'tempfile /tmp kept in /tmp\nwritable . true\n', stderr: '' });
});

test('after the runs /tmp is empty and the project holds only what the programs wrote', async () => {
  const r = await exec(`ruby -e 'p Dir.children("/tmp")' && python -c "import os; print(os.listdir('/tmp'))"`);
  expect(r).toMatchObject({ status: 'ok', stdout: '[]\n[]\n' });
  const files = await exec('ls');
  expect(files.stdout.split('\n').filter(Boolean).sort()).toEqual(['from-c.txt', 'from-ruby.txt', 'fs.c', 'fs.wasm', 'main.py', 'temp.rb']);
  await expect(ui.treeItem(page, 'from-c.txt')).toBeVisible();
  await expect(ui.treeItem(page, 'from-ruby.txt')).toBeVisible();
  await expect(ui.fileTree(page).locator('[data-path="x"]')).toHaveCount(0);
  expect((await exec('cat from-c.txt from-ruby.txt')).stdout).toBe('scratch datakept in /tmp');
});
