import { useStore } from '../store/store.ts';

/** What the runtimes are doing: loading (with progress), ready (with versions) or failed. */
export function RuntimeStatusView() {
  const runtimes = useStore((s) => s.runtimes);
  const all = Object.values(runtimes);
  const loading = all.find((r) => r.phase === 'loading');
  const failed = all.find((r) => r.phase === 'failed');
  const ready = all.filter((r) => r.phase === 'ready').map((r) => r.detail);
  const text = loading ? loading.detail : failed ? failed.detail : ready.length > 0 ? `${ready.join(' · ')} ready` : 'starting…';
  return (
    <span className={`runtime-status ${loading ? 'loading' : failed ? 'failed' : 'ready'}`} data-testid="runtime-status" aria-live="polite">
      {text}
      {loading?.progress !== undefined && <progress max={1} value={loading.progress} />}
    </span>
  );
}
