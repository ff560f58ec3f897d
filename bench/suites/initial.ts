/**
 * 7. The JS and CSS the first paint needs: dist/index.html's entry script, stylesheets and
 * modulepreload links, plus every chunk those import statically (followed recursively), raw and
 * gzip. Runtimes (Pyodide, Ruby, clang, the WASI shim) and Monaco must not be in it.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { constants, brotliCompressSync, gzipSync } from 'node:zlib';
import { bytes, type Table } from '../lib/stats.ts';
import type { BenchContext, Section } from '../lib/types.ts';

/** Code that only a runtime or Monaco contains; found in a first-paint file means it is bundled there. */
const MARKERS: Record<string, RegExp> = {
  Pyodide: /loadPyodide\s*\(|pyodide\.asm/,
  'Ruby (ruby.wasm)': /RubyVM|ruby\+stdlib/,
  clang: /yowasp|llvm-resources/,
  'WASI shim': /WASIProcExit|fd_prestat_get/,
  Monaco: /monaco-editor|editorWorkerService|MonacoEnvironment/,
};

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\b${name}=["']([^"']+)["']`).exec(tag)?.[1];
}

/** Static imports of an ES module chunk (`import … from "./x.js"`, `import "./x.js"`, `export … from`), not `import()`. */
function staticImports(code: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.m?js)["']/g;
  for (let m = re.exec(code); m; m = re.exec(code)) if (m[1]) out.push(m[1]);
  return out;
}

export async function initialSuite(ctx: BenchContext): Promise<Section> {
  const html = readFileSync(join(ctx.dist, 'index.html'), 'utf8');
  const files = new Map<string, 'js' | 'css'>();
  for (const tag of html.match(/<script\b[^>]*>/g) ?? []) {
    const src = attr(tag, 'src');
    if (src && attr(tag, 'type') === 'module') files.set(src, 'js');
  }
  for (const tag of html.match(/<link\b[^>]*>/g) ?? []) {
    const rel = attr(tag, 'rel');
    const href = attr(tag, 'href');
    if (!href) continue;
    if (rel === 'stylesheet') files.set(href, 'css');
    if (rel === 'modulepreload') files.set(href, 'js');
  }
  const queue = [...files].filter(([, kind]) => kind === 'js').map(([url]) => url);
  while (queue.length > 0) {
    const url = queue.shift() as string;
    const code = readFileSync(join(ctx.dist, url), 'utf8');
    for (const spec of staticImports(code)) {
      const next = new URL(spec, `http://x${url}`).pathname;
      if (!files.has(next)) {
        files.set(next, 'js');
        queue.push(next);
      }
    }
  }
  const rows: string[][] = [];
  const totals = { js: { raw: 0, gzip: 0, br: 0 }, css: { raw: 0, gzip: 0, br: 0 } };
  const found = new Set<string>();
  for (const [url, kind] of files) {
    const path = join(ctx.dist, url);
    const data = readFileSync(path);
    const gz = gzipSync(data, { level: 6 }).byteLength;
    const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength;
    totals[kind].raw += statSync(path).size;
    totals[kind].gzip += gz;
    totals[kind].br += br;
    const text = data.toString('utf8');
    const hits = Object.entries(MARKERS)
      .filter(([, re]) => re.test(text))
      .map(([name]) => name);
    hits.forEach((h) => found.add(h));
    rows.push([url, kind, bytes(data.byteLength), bytes(gz), bytes(br), hits.join(', ') || '–']);
  }
  rows.push(['total JS', '', bytes(totals.js.raw), bytes(totals.js.gzip), bytes(totals.js.br), '']);
  rows.push(['total CSS', '', bytes(totals.css.raw), bytes(totals.css.gzip), bytes(totals.css.br), '']);
  const table: Table = {
    title: '7. Initial JS/CSS for the first paint (dist/index.html + static imports)',
    head: ['file', 'kind', 'raw', 'gzip -6', 'brotli 11', 'runtime code in it'],
    rows,
    notes: ['Followed: the entry module script, stylesheets, modulepreload links and their static imports; not dynamic import() chunks or workers.'],
  };
  const limit = 400 * 1000;
  const met = totals.js.gzip <= limit && found.size === 0;
  return {
    id: 7,
    title: 'Initial JS/CSS',
    tables: [table],
    targets: [
      {
        name: 'Initial JS',
        goal: '≤ 400 KB gzip, no runtimes',
        measured: `${(totals.js.gzip / 1000).toFixed(0)} KB gzip JS (${bytes(totals.js.raw)} raw) + ${(totals.css.gzip / 1000).toFixed(1)} KB gzip CSS; runtime code: ${found.size ? [...found].join(', ') : 'none'}`,
        met,
        ...(met ? {} : { why: [totals.js.gzip > limit ? `${((totals.js.gzip - limit) / 1000).toFixed(0)} KB gzip over the limit.` : '', found.size ? `Runtime code in the first-paint files: ${[...found].join(', ')}.` : ''].filter(Boolean) }),
      },
    ],
    notes: [],
  };
}
