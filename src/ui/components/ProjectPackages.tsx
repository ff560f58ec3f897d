import { useState } from 'react';
import { forgetConsent, loadConsent } from '../packages/consent.ts';
import { useStore } from '../store/store.ts';

/** Settings: which Python packages the open project allowed or refused, and a way to be asked again. */
export function ProjectPackages() {
  const projectId = useStore((s) => s.project?.id);
  const [version, setVersion] = useState(0);
  if (!projectId) return null;
  const consent = loadConsent(projectId);
  const none = consent.allowed.length === 0 && consent.denied.length === 0;
  return (
    <div className="settings-packages" data-testid="settings-packages" data-version={version}>
      Python packages in this project:{' '}
      {none ? (
        <span>none asked for yet.</span>
      ) : (
        <>
          {consent.allowed.length > 0 && <span data-testid="packages-allowed">allowed {consent.allowed.join(', ')}. </span>}
          {consent.denied.length > 0 && <span data-testid="packages-denied">not allowed {consent.denied.join(', ')}. </span>}
          <button
            type="button"
            onClick={() => {
              forgetConsent(projectId);
              setVersion(version + 1);
            }}
          >
            Ask again
          </button>
        </>
      )}
    </div>
  );
}
