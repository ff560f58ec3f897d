import { useStore } from '../store/store.ts';

/** The last run's status word and exit code (`ok 0`, `error 1`, `killed 137`), or `running`; a badge when it tried something that was blocked. */
export function RunStatus() {
  const running = useStore((s) => s.running);
  const result = useStore((s) => s.lastResult);
  const runsFinished = useStore((s) => s.runsFinished);
  const showBottomTab = useStore((s) => s.showBottomTab);
  const text = running ? 'running' : result ? `${result.status} ${result.exitCode}` : '';
  const title = result && !running ? `${result.status}, exit code ${result.exitCode}, ${Math.round(result.durationMs)} ms` : undefined;
  const blocked = running ? 0 : (result?.audit.blocked.length ?? 0);
  return (
    <>
      <span className={`run-status status-${running ? 'running' : (result?.status ?? 'idle')}`} data-testid="run-status" data-runs={runsFinished} title={title} aria-live="polite">
        {text}
      </span>
      {blocked > 0 && (
        <button type="button" className="blocked-badge" data-testid="blocked-badge" onClick={() => showBottomTab('inspector')} title="Show what was blocked">
          {blocked} blocked
        </button>
      )}
    </>
  );
}
