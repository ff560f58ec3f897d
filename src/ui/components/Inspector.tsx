import { download } from '../download.ts';
import { useStore } from '../store/store.ts';
import { AuditView } from './AuditView.tsx';

/** What the last run did: the sandbox inspector. */
export function Inspector() {
  const result = useStore((s) => s.lastResult);
  const traceRuns = useStore((s) => s.traceRuns);
  const setTraceRuns = useStore((s) => s.setTraceRuns);
  return (
    <section className="inspector" aria-label="Inspector" data-testid="inspector">
      <div className="inspector-bar">
        <label title="Record every WASI call of C, C++, Ruby and .wasm programs">
          <input type="checkbox" checked={traceRuns} onChange={(e) => setTraceRuns(e.target.checked)} /> trace syscalls
        </label>
        {result && (
          <>
            <span className={`status-${result.status}`}>
              {result.status} · exit {result.exitCode} · {Math.round(result.durationMs)} ms{result.truncated ? ' · output truncated' : ''}
            </span>
            <button type="button" onClick={() => download('isobox-audit.json', JSON.stringify({ status: result.status, exitCode: result.exitCode, durationMs: result.durationMs, audit: result.audit }, null, 2), 'application/json')}>
              Export JSON
            </button>
          </>
        )}
      </div>
      {result ? <AuditView audit={result.audit} /> : <p className="placeholder">Run something: its audit shows here.</p>}
    </section>
  );
}
