import { useStore } from '../store/store.ts';

/** A dismissible message bar for errors the user must see (save failures, bad links). */
export function Notice() {
  const notice = useStore((s) => s.notice);
  const setNotice = useStore((s) => s.setNotice);
  if (!notice) return null;
  return (
    <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
      <span>{notice.text}</span>
      <button type="button" aria-label="Dismiss" onClick={() => setNotice(undefined)}>
        ×
      </button>
    </div>
  );
}
