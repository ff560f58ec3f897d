import { useStore } from '../store/store.ts';

/** The link made by Share, ready to copy; a warning and a zip download when it is too long for chat apps. */
export function SharePanel() {
  const share = useStore((s) => s.share);
  const downloadZip = useStore((s) => s.downloadZip);
  if (!share) return null;
  return (
    <div className="share-panel" role="status">
      <label>
        Share link (copied):
        <input data-testid="share-url" readOnly value={share.url} onFocus={(e) => e.currentTarget.select()} />
      </label>
      {share.tooLong && (
        <span className="share-warning" data-testid="share-too-long">
          This link is over 32 KB: some browsers and chat apps cut links that long.{' '}
          <button type="button" onClick={() => void downloadZip()}>
            Download a .zip instead
          </button>
        </span>
      )}
      <button type="button" aria-label="Close" onClick={() => useStore.setState({ share: undefined })}>
        ×
      </button>
    </div>
  );
}
