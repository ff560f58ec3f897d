import { startCanary, type Canary } from './helpers/canary.ts';
import { expect, runCode, test, ui, useSharedPage } from './fixtures.ts';

/** A Python program with no packages that writes a 40×30 PNG (zlib + struct) and a 120×80 SVG. */
const DRAW = `
import struct, zlib

def png(width, height, shade):
    rows = b"".join(b"\\x00" + bytes([shade, 64, 255 - shade]) * width for _ in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")

with open("plot.png", "wb") as f:
    f.write(png(WIDTH, 30, 200))
with open("chart.svg", "w") as f:
    f.write('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="120" height="80" fill="teal"/><script>parent.document.title="svg ran"</script></svg>')
print("drawn")
`;

const page = useSharedPage();
let canary: Canary;

test.beforeAll(async () => {
  canary = await startCanary();
});
test.afterAll(async () => {
  await canary.close();
});

/** Goes back to main.py's editor and runs code there (the preview hides the editor). */
async function run(code: string): Promise<string> {
  await page().locator('[data-tab="main.py"] .tab-name').click();
  return runCode(page(), code);
}

async function openFromTree(path: string): Promise<void> {
  await ui.treeItem(page(), path).locator('.tree-name').click();
  await expect(page().getByTestId('preview')).toHaveAttribute('data-path', path);
}

test('a PNG and an SVG written by Python show as decoded pictures, and a run that rewrites the PNG refreshes it', async () => {
  expect(await run(DRAW.replace('WIDTH', '40'))).toMatch(/^ok 0/);
  await openFromTree('plot.png');
  const img = page().getByTestId('preview').locator('img');
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => `${el.naturalWidth}x${el.naturalHeight}`)).toBe('40x30');
  await expect(page().getByTestId('preview')).toContainText('40 × 30');

  await openFromTree('chart.svg');
  const frame = page().getByTestId('preview').locator('iframe');
  await expect(frame).toHaveAttribute('sandbox', 'allow-scripts');
  const svgImage = page().frameLocator('[data-testid="preview"] iframe').locator('img');
  await expect.poll(() => svgImage.evaluate((el: HTMLImageElement) => `${el.naturalWidth}x${el.naturalHeight}`)).toBe('120x80');
  expect(await page().title()).not.toBe('svg ran');

  // "View source" shows the file's text in the editor instead.
  await page().getByRole('switch', { name: 'View source' }).check();
  await expect(page().getByTestId('preview')).toHaveCount(0);
  await expect(ui.editor(page())).toContainText('<svg');
  await page().getByRole('switch', { name: 'View source' }).uncheck();
  await expect(page().getByTestId('preview')).toBeVisible();

  // The open preview follows a run that rewrites its file.
  await openFromTree('plot.png');
  expect(await run(DRAW.replace('WIDTH', '64'))).toMatch(/^ok 0/);
  await page().locator('[data-tab="plot.png"] .tab-name').click();
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(64);
});

test("an HTML file's script runs without the app's storage, the app's page or the network", async () => {
  const probe = `
<h1>page</h1><p id="out">pending</p>
<script>
const results = [];
const attempt = (name, fn) => { try { fn(); results.push(name + ":reached"); } catch (e) { results.push(name + ":blocked"); } };
attempt("localStorage", () => localStorage.getItem("isobox:settings"));
attempt("indexedDB", () => indexedDB.open("x"));
attempt("parent", () => parent.document.title);
attempt("cookie", () => document.cookie);
Promise.allSettled([
  fetch("${'CANARY'}/fetch"),
  fetch(location.origin + "/index.html"),
  new Promise((ok, bad) => { const i = new Image(); i.onload = ok; i.onerror = bad; i.src = "${'CANARY'}/img"; }),
  new Promise((ok, bad) => { try { const w = new WebSocket("${'CANARY'}/ws".replace("http", "ws")); w.onopen = ok; w.onerror = bad; } catch (e) { bad(e); } }),
]).then((all) => {
  results.push("network:" + all.map((r) => r.status).join(","));
  document.getElementById("out").textContent = results.join(" ");
});
</script>`.replaceAll('CANARY', canary.url);
  expect(await run(`open("probe.html", "w").write(${JSON.stringify(probe)})\nprint("ok")`)).toMatch(/^ok 0/);
  await openFromTree('probe.html');
  const out = page().frameLocator('[data-testid="preview"] iframe').locator('#out');
  await expect(out).toContainText('network:');
  const text = (await out.textContent()) ?? '';
  expect(text).toContain('localStorage:blocked');
  expect(text).toContain('indexedDB:blocked');
  expect(text).toContain('parent:blocked');
  expect(text).toContain('cookie:blocked');
  expect(text).toContain('network:rejected,rejected,rejected,rejected');
  expect(canary.hits).toEqual([]);
});

test('Markdown renders without raw HTML or remote images; a 10 MB CSV shows its first rows fast', async () => {
  const markdown = `# Results\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<img src=x onerror="parent.document.title='md ran'">\n\n![remote](${canary.url}/md.png)\n`;
  const program = `
open("notes.md", "w").write(${JSON.stringify(markdown)})
row = "id,name,value,comment\\n" + "".join(f"{i},name{i},{i * 3},some padding text to make the file big\\n" for i in range(200000))
open("big.csv", "w").write(row)
print(len(row))
`;
  expect(await run(program)).toMatch(/^ok 0/);
  await openFromTree('notes.md');
  const preview = page().getByTestId('preview');
  await expect(preview.getByRole('heading', { name: 'Results' })).toBeVisible();
  await expect(preview.locator('table td').first()).toHaveText('1');
  await expect(preview.locator('img')).toHaveCount(0);
  await expect(preview).toContainText('[image: remote]');
  expect(await page().title()).not.toBe('md ran');

  const started = Date.now();
  await openFromTree('big.csv');
  await expect(preview.locator('th').first()).toHaveText('id');
  await expect(preview.locator('tbody tr').first()).toContainText('name0');
  expect(Date.now() - started).toBeLessThan(5000);
  await expect(preview).toContainText('First 200 of 200,001 lines');
  expect(canary.hits).toEqual([]);
});
