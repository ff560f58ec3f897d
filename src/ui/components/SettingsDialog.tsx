import { useEffect, useRef, useState } from 'react';
import { DEFAULT_BASE_URLS, DEFAULT_MODELS } from '../../agent/settings.ts';
import { DEFAULT_PACKAGE_INDEX } from '../../sandbox/packages/default-index.ts';
import { packageIndexUrl } from '../../sandbox/packages/provider.ts';
import { DEFAULT_PYPI_INDEX, pypiIndexUrl } from '../../sandbox/packages/pypi.ts';
import type { Settings } from '../settings.ts';
import { useStore } from '../store/store.ts';
import { ProjectPackages } from './ProjectPackages.tsx';

const PROVIDERS: { value: Settings['provider']; label: string }[] = [
  { value: 'demo', label: 'Demo agent (offline, no key)' },
  { value: 'openai-compatible', label: 'OpenAI-compatible (Ollama, LM Studio, vLLM, OpenRouter…)' },
  { value: 'openai', label: 'OpenAI' },
  { value: 'anthropic', label: 'Anthropic' },
];

/** Provider, model, key and sandbox limits. Saved in this browser only; never in links, never visible to sandboxed code. */
export function SettingsDialog() {
  const open = useStore((s) => s.settingsOpen);
  const settings = useStore((s) => s.settings);
  const updateSettings = useStore((s) => s.updateSettings);
  const openSettings = useStore((s) => s.openSettings);
  const zoom = useStore((s) => s.zoom);
  const fontSize = useStore((s) => s.fontSize);
  const [draft, setDraft] = useState(settings);
  const [indexError, setIndexError] = useState<string>();
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) {
      setDraft(settings);
      setIndexError(undefined);
      el.showModal();
    } else if (!open && el.open) {
      el.close();
    }
  }, [open, settings]);

  const set = <K extends keyof Settings>(key: K, value: Settings[K]): void => setDraft({ ...draft, [key]: value });
  const defaultBase = draft.provider === 'demo' ? '' : DEFAULT_BASE_URLS[draft.provider];
  const defaultModel = draft.provider === 'openai' || draft.provider === 'anthropic' ? DEFAULT_MODELS[draft.provider] : 'e.g. llama3.2, qwen2.5-coder';

  return (
    <dialog ref={dialog} className="settings" aria-label="Settings" onClose={() => openSettings(false)}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          let packageIndex: string;
          let pypiIndex: string;
          try {
            packageIndex = packageIndexUrl(draft.packageIndex === '' ? DEFAULT_PACKAGE_INDEX : draft.packageIndex);
            pypiIndex = pypiIndexUrl(draft.pypiIndex === '' ? DEFAULT_PYPI_INDEX : draft.pypiIndex);
          } catch (error) {
            setIndexError(error instanceof Error ? error.message : String(error));
            return;
          }
          updateSettings({ ...draft, packageIndex, pypiIndex });
        }}
      >
        <h2>Settings</h2>
        <label>
          Agent provider
          <select data-testid="settings-provider" value={draft.provider} onChange={(e) => set('provider', e.target.value as Settings['provider'])}>
            {PROVIDERS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Base URL
          <input data-testid="settings-base-url" type="url" value={draft.baseUrl ?? ''} placeholder={defaultBase} disabled={draft.provider === 'demo'} onChange={(e) => set('baseUrl', e.target.value)} />
        </label>
        <label>
          Model
          <input data-testid="settings-model" value={draft.model ?? ''} placeholder={defaultModel} disabled={draft.provider === 'demo'} onChange={(e) => set('model', e.target.value)} />
        </label>
        <label>
          API key <small>(stored in this browser only; never shared, never visible to code in the sandbox)</small>
          <input data-testid="settings-api-key" type="password" autoComplete="off" value={draft.apiKey ?? ''} disabled={draft.provider === 'demo'} onChange={(e) => set('apiKey', e.target.value)} />
        </label>
        <label>
          Agent steps per message
          <input data-testid="settings-max-steps" type="number" min={1} max={100} value={draft.maxSteps} onChange={(e) => set('maxSteps', Number(e.target.value) || 1)} />
        </label>
        <label>
          Run timeout (seconds)
          <input data-testid="settings-timeout" type="number" min={1} max={3600} value={draft.timeoutSeconds} onChange={(e) => set('timeoutSeconds', Number(e.target.value) || 30)} />
        </label>
        <label>
          Network allowed for code in the sandbox <small>(origins, one per line; empty = no network)</small>
          <textarea data-testid="settings-allow-net" rows={2} value={draft.allowNet} placeholder="https://api.example.com" onChange={(e) => set('allowNet', e.target.value)} />
        </label>
        <label>
          Python package index <small>(a folder with pyodide-lock.json and its wheels; packages load only after you allow them)</small>
          <input data-testid="settings-package-index" type="url" value={draft.packageIndex} placeholder={DEFAULT_PACKAGE_INDEX} aria-invalid={indexError !== undefined} onChange={(e) => set('packageIndex', e.target.value)} />
          {indexError && (
            <small role="alert" className="settings-error">
              {indexError}
            </small>
          )}
        </label>
        <label>
          PyPI index <small>(a PyPI-style JSON index, URL/NAME/json, for pip install and micropip.install: pure-Python wheels only, after you allow them)</small>
          <input data-testid="settings-pypi-index" type="url" value={draft.pypiIndex} placeholder={DEFAULT_PYPI_INDEX} aria-invalid={indexError !== undefined} onChange={(e) => set('pypiIndex', e.target.value)} />
        </label>
        <ProjectPackages />
        <div className="settings-zoom">
          Presenter zoom: {fontSize}px
          <button type="button" aria-label="Smaller text" onClick={() => zoom(-2)}>
            A−
          </button>
          <button type="button" aria-label="Reset text size" onClick={() => zoom(0)}>
            A
          </button>
          <button type="button" aria-label="Larger text" onClick={() => zoom(2)}>
            A+
          </button>
        </div>
        <div className="settings-actions">
          <button type="button" onClick={() => openSettings(false)}>
            Cancel
          </button>
          <button type="submit" data-testid="settings-save" className="run">
            Save
          </button>
        </div>
      </form>
    </dialog>
  );
}
