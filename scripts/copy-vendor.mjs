// Copies the runtimes' own assets from node_modules into public/vendor, so the app serves them itself
// (no CDN, works offline). Runs before `vite` and `vite build`.
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vendor = join(root, 'public', 'vendor');

const groups = {
  pyodide: [dirname(require.resolve('pyodide/package.json')), ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json']],
};

/** A copy is fresh when it is as new and as large as its source. */
function isFresh(source, target) {
  try {
    return statSync(target).mtimeMs >= statSync(source).mtimeMs && statSync(target).size === statSync(source).size;
  } catch {
    return false;
  }
}

for (const [name, [from, files]] of Object.entries(groups)) {
  mkdirSync(join(vendor, name), { recursive: true });
  for (const file of files) {
    const source = join(from, file);
    const target = join(vendor, name, file);
    if (!isFresh(source, target)) copyFileSync(source, target);
  }
}
console.log(`vendor assets ready in ${vendor}`);
