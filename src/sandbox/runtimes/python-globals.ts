import type { BlockedKind } from '../protocol.ts';
import type { AuditSink } from './runtime.ts';

/** What Python's `js` module may use: timers, so asyncio's event loop works. */
const PASSED_THROUGH = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask'] as const;

/** Names an attacker reaches for through `js`; each attempt is noted in the run's audit. */
const WATCHED: Record<string, BlockedKind> = {
  fetch: 'network',
  XMLHttpRequest: 'network',
  WebSocket: 'network',
  EventSource: 'network',
  importScripts: 'network',
  Worker: 'network',
  navigator: 'network',
  eval: 'syscall',
  Function: 'syscall',
  indexedDB: 'storage',
  caches: 'storage',
  localStorage: 'storage',
  document: 'storage',
  process: 'syscall',
  require: 'syscall',
};

const RULES: Record<BlockedKind, string> = {
  network: 'network is off',
  storage: 'no storage outside the project',
  path: 'outside /workspace',
  syscall: 'not available to Python in the sandbox',
};

/**
 * The object Pyodide exposes to Python as the `js` module (`loadPyodide({ jsglobals })`): not the
 * worker's global, only timers. Reaching for anything else reads as missing, and a watched name
 * (fetch, eval, storage…) is recorded as a blocked attempt of the running job.
 */
export function pythonJsGlobals(audit: () => AuditSink | undefined): object {
  const target: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const name of PASSED_THROUGH) target[name] = (globalThis as unknown as Record<string, unknown>)[name];
  return new Proxy(target, {
    get(object, name) {
      if (typeof name !== 'string') return undefined;
      if (Object.hasOwn(object, name)) return object[name];
      const kind = WATCHED[name];
      if (kind) audit()?.block(kind, `js.${name}`, RULES[kind]);
      return undefined;
    },
    has: (object, name) => typeof name === 'string' && Object.hasOwn(object, name),
  });
}
