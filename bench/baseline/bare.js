// The bare baseline page: Pyodide in a plain module worker, nothing else. The benchmarks drive
// it through `window.bare` and compare Isobox against it (bench/suites/*.ts).
// `bare.html?snapshot` passes the flag on: the worker then uses a Pyodide memory snapshot (see bare-worker.js).
const worker = new Worker(new URL(`./bare-worker.js${location.search}`, import.meta.url), { type: 'module', name: 'bare' });
const out = document.getElementById('out');
const waiting = new Map();
let nextId = 1;
let readyAt;
let readyInfo;
let resolveReady;
let snapshotSaved;
const saved = new Promise((resolve) => (snapshotSaved = resolve));
const ready = new Promise((resolve) => (resolveReady = resolve));
let outputWaiter;

worker.addEventListener('message', (event) => {
  const message = event.data;
  if (message.type === 'ready') {
    readyAt = performance.now();
    readyInfo = message.info;
    resolveReady(readyAt);
  } else if (message.type === 'snapshot-saved') {
    snapshotSaved(message.bytes);
  } else if (message.type === 'out') {
    out.textContent += message.text;
    outputWaiter?.();
  } else if (message.type === 'done') {
    const done = waiting.get(message.id);
    waiting.delete(message.id);
    done?.(message);
  }
});

function call(op, args = {}) {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    worker.postMessage({ id, op, ...args });
  });
}

window.bare = {
  /** performance.now() (since navigation start) when loadPyodide resolved in the worker. */
  ready: () => ready,
  readyAt: () => readyAt,
  /** How the worker started: 'plain', 'made snapshot' or 'from snapshot'. */
  readyInfo: () => readyInfo,
  /** Resolves with the snapshot's size once the worker stored it (snapshot mode, first visit). */
  snapshotSaved: () => saved,
  /** Page → worker runPython → output in the page's DOM: the round trip in ms. */
  async roundTrip(code, expected) {
    out.textContent = '';
    const started = performance.now();
    const seen = new Promise((resolve) => {
      outputWaiter = () => {
        if (out.textContent.includes(expected)) resolve();
      };
    });
    void call('run', { code });
    await seen;
    return performance.now() - started;
  },
  /** Raw OPFS sync access handles in the worker: see bare-worker.js. */
  opfs: (test, options) => call('opfs', { test, options }),
};
