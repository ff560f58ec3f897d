import { useEffect, useRef } from 'react';
import { usePackagesPrompt } from '../packages/prompt-store.ts';

/** Bytes as a person reads them: 12.3 MB, 840 kB. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} bytes`;
}

/**
 * Asks before a Python program's packages are downloaded: which, how big, from where. The run
 * waits (Stop takes the question back); the answer is remembered for the project.
 */
export function PackagesPrompt() {
  const pending = usePackagesPrompt((s) => s.pending);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    // Not modal: Stop (and the rest of the page) stays usable while the run waits for an answer.
    if (pending && !el.open) el.show();
    else if (!pending && el.open) el.close();
  }, [pending]);

  const request = pending?.request;
  const size = request?.downloadBytes === undefined ? 'size unknown' : request.downloadBytes === 0 ? 'already downloaded' : formatBytes(request.downloadBytes);
  return (
    <dialog ref={dialog} className="packages-prompt" data-testid="packages-prompt" aria-label="Download Python packages?" onCancel={() => pending?.answer('deny')} onKeyDown={(e) => e.key === 'Escape' && pending?.answer('deny')}>
      {request && (
        <>
          <h2>Download Python packages?</h2>
          <p>
            {request.imports.length > 0 ? (
              <>
                This program imports <code>{request.imports.join(', ')}</code>.
              </>
            ) : (
              'This program installs from PyPI (pip install, micropip.install).'
            )}{' '}
            Running it needs {request.packages.length === 1 ? 'this package' : `these ${request.packages.length} packages`} ({size}):
          </p>
          <ul className="packages-list">
            {request.packages.map((p) => (
              <li key={p.name} data-package={p.name}>
                {p.name} {p.version}
              </li>
            ))}
          </ul>
          <p className="packages-source">
            From <code>{request.index}</code>. Each file is checked against its sha256 and kept for offline use. Your code still gets no network. The answer is remembered for this project.
          </p>
          <div className="settings-actions">
            <button type="button" data-testid="packages-deny" onClick={() => pending?.answer('deny')}>
              Don’t allow
            </button>
            <button type="button" data-testid="packages-allow" className="run" autoFocus onClick={() => pending?.answer('allow')}>
              Allow and run
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
