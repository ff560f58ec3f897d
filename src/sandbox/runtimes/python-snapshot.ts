import type { PyodideStart } from './python.ts';

/** loadPyodide's (underscored, experimental) memory-snapshot options for a start. */
export function snapshotOptions(start: PyodideStart): { _loadSnapshot: Uint8Array } | { _makeSnapshot: boolean } {
  return 'snapshot' in start ? { _loadSnapshot: start.snapshot } : { _makeSnapshot: start.makeSnapshot };
}
