import { useStore } from '../store/store.ts';

/** The last run's status word and exit code (`ok 0`, `error 1`, `killed 137`), or `running`. */
export function RunStatus() {
  const running = useStore((s) => s.running);
  const result = useStore((s) => s.lastResult);
  const runsFinished = useStore((s) => s.runsFinished);
  const text = running ? 'running' : result ? `${result.status} ${result.exitCode}` : '';
  const title = result && !running ? `${result.status}, exit code ${result.exitCode}, ${Math.round(result.durationMs)} ms` : undefined;
  return (
    <span className={`run-status status-${running ? 'running' : result?.status ?? 'idle'}`} data-testid="run-status" data-runs={runsFinished} title={title} aria-live="polite">
      {text}
    </span>
  );
}
