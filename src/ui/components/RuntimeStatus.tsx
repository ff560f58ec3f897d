import { useEffect, useState } from 'react';
import { isRuntimeCached } from '../register-sw.ts';
import { useStore } from '../store/store.ts';

/** Runtimes loaded on first use that are not stored for offline use yet (they need the network once). */
function useUncachedRuntimes(refreshKey: unknown): string[] {
  const [uncached, setUncached] = useState<string[]>([]);
  useEffect(() => {
    let cancelled = false;
    void Promise.all([isRuntimeCached('ruby'), isRuntimeCached('clang')]).then(([ruby, clang]) => {
      // Without a service worker (dev server) nothing is ever cached: say nothing rather than always warn.
      if (cancelled || !navigator.serviceWorker?.controller) return;
      setUncached([...(ruby ? [] : ['Ruby']), ...(clang ? [] : ['C/C++'])]);
    });
    return () => {
      cancelled = true;
    };
  }, [refreshKey]);
  return uncached;
}

/** What the runtimes are doing: loading (with progress), ready (with versions) or failed; and what is not cached for offline use. */
export function RuntimeStatusView() {
  const runtimes = useStore((s) => s.runtimes);
  const all = Object.values(runtimes);
  const loading = all.find((r) => r.phase === 'loading');
  const failed = all.find((r) => r.phase === 'failed');
  const ready = all.filter((r) => r.phase === 'ready').map((r) => r.detail);
  const uncached = useUncachedRuntimes(ready.join());
  const text = loading ? loading.detail : failed ? failed.detail : ready.length > 0 ? `${ready.join(' · ')} ready` : 'starting…';
  return (
    <span className={`runtime-status ${loading ? 'loading' : failed ? 'failed' : 'ready'}`} data-testid="runtime-status" aria-live="polite">
      {text}
      {loading?.progress !== undefined && <progress max={1} value={loading.progress} />}
      {!loading && uncached.length > 0 && (
        <span className="runtime-uncached" title="Loaded on first use; after that they work offline">
          {' '}
          · {uncached.join(', ')} not cached yet
        </span>
      )}
    </span>
  );
}
