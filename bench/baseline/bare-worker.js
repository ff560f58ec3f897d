// The bare baseline worker: loadPyodide from the app's own copy (/vendor/pyodide/), runPython
// with batched stdout, and raw OPFS sync-access-handle file I/O. No Isobox code at all.
//
// With `?snapshot` (a what-if, not the baseline): the first visit loads with `_makeSnapshot` and
// stores `makeMemorySnapshot()` in Cache Storage after reporting ready; later visits start from
// that snapshot (`_loadSnapshot`), skipping the interpreter's start-up.
const indexURL = new URL('/vendor/pyodide/', self.location.href).href;
const useSnapshot = new URL(self.location.href).searchParams.has('snapshot');
const SNAPSHOT_KEY = new URL('/__bench/pyodide-snapshot.bin', self.location.href).href;
let pyodide;

const ready = (async () => {
  const { loadPyodide } = await import(`${indexURL}pyodide.mjs`);
  let info = 'plain';
  if (useSnapshot) {
    const cache = await caches.open('bare-snapshot');
    const hit = await cache.match(SNAPSHOT_KEY);
    if (hit) {
      pyodide = await loadPyodide({ indexURL, _loadSnapshot: hit.arrayBuffer() });
      info = 'from snapshot';
    } else {
      pyodide = await loadPyodide({ indexURL, _makeSnapshot: true });
      info = 'made snapshot';
    }
  } else {
    pyodide = await loadPyodide({ indexURL });
  }
  self.postMessage({ type: 'ready', info });
  if (info === 'made snapshot') {
    const snapshot = pyodide.makeMemorySnapshot();
    const cache = await caches.open('bare-snapshot');
    await cache.put(SNAPSHOT_KEY, new Response(snapshot, { headers: { 'Content-Type': 'application/octet-stream' } }));
    self.postMessage({ type: 'snapshot-saved', bytes: snapshot.byteLength });
  }
  pyodide.setStdout({ batched: (text) => self.postMessage({ type: 'out', text: `${text}\n` }) });
})();

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function benchDir(name) {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(name, { recursive: true }).catch(() => undefined);
  return root.getDirectoryHandle(name, { create: true });
}

function writeWhole(handle, data) {
  handle.truncate(0);
  let at = 0;
  while (at < data.byteLength) at += handle.write(data.subarray(at), { at });
  handle.flush();
}

function readWhole(handle) {
  const size = handle.getSize();
  const buffer = new Uint8Array(size);
  let at = 0;
  while (at < size) {
    const n = handle.read(buffer.subarray(at), { at });
    if (n === 0) break;
    at += n;
  }
  return buffer;
}

/** Writes then reads `count` small text files (like the app: text in, text out). */
async function smallFiles({ count, size }) {
  const dir = await benchDir('bare-small');
  const texts = Array.from({ length: count }, (_, i) => `${i}:`.padEnd(size, 'x'));
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const file = await dir.getFileHandle(`f${i}.txt`, { create: true });
    const handle = await file.createSyncAccessHandle();
    writeWhole(handle, encoder.encode(texts[i]));
    handle.close();
  }
  const wrote = performance.now();
  let total = 0;
  for (let i = 0; i < count; i++) {
    const file = await dir.getFileHandle(`f${i}.txt`);
    const handle = await file.createSyncAccessHandle();
    total += decoder.decode(readWhole(handle)).length;
    handle.close();
  }
  const read = performance.now();
  return { writeMs: wrote - started, readMs: read - wrote, bytes: total };
}

/** Writes then reads one big file (ASCII, so decoding it as text is cheap and valid). */
async function bigFile({ size }) {
  const dir = await benchDir('bare-big');
  const data = new Uint8Array(size).fill(0x61);
  const started = performance.now();
  const file = await dir.getFileHandle('big.bin', { create: true });
  const handle = await file.createSyncAccessHandle();
  writeWhole(handle, data);
  handle.close();
  const wrote = performance.now();
  const again = await (await dir.getFileHandle('big.bin')).createSyncAccessHandle();
  const text = decoder.decode(readWhole(again));
  again.close();
  const read = performance.now();
  return { writeMs: wrote - started, readMs: read - wrote, bytes: text.length };
}

self.addEventListener('message', async (event) => {
  const { id, op } = event.data;
  try {
    if (op === 'run') {
      await ready;
      pyodide.runPython(event.data.code);
      self.postMessage({ type: 'done', id });
    } else if (op === 'opfs') {
      const { test, options } = event.data;
      const result = test === 'small' ? await smallFiles(options) : await bigFile(options);
      self.postMessage({ type: 'done', id, ...result });
    }
  } catch (error) {
    self.postMessage({ type: 'done', id, error: String(error) });
  }
});
