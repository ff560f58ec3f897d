import type { ProviderSettings } from '../agent/settings.ts';
import { DEFAULT_PACKAGE_INDEX } from '../sandbox/packages/default-index.ts';
import { packageIndexUrl } from '../sandbox/packages/provider.ts';
import { DEFAULT_PYPI_INDEX, pypiIndexUrl } from '../sandbox/packages/pypi.ts';

/** Everything the settings dialog edits. Stored in localStorage on the main thread only: never in a share link, never sent to the sandbox. */
export interface Settings extends ProviderSettings {
  maxSteps: number;
  /** Wall-clock limit per run, in seconds. */
  timeoutSeconds: number;
  /** Origins user code may reach, one per line; empty means no network. */
  allowNet: string;
  /** URL of the folder holding pyodide-lock.json and the wheels Python's packages load from (after consent). */
  packageIndex: string;
  /** PyPI-style JSON index (`URL/NAME/json`) that `pip install` and `micropip.install` read (after consent). */
  pypiIndex: string;
}

const KEY = 'isobox:settings';

export const DEFAULT_SETTINGS: Settings = { provider: 'demo', maxSteps: 10, timeoutSeconds: 30, allowNet: '', packageIndex: DEFAULT_PACKAGE_INDEX, pypiIndex: DEFAULT_PYPI_INDEX };

const PROVIDERS: readonly Settings['provider'][] = ['openai-compatible', 'openai', 'anthropic', 'demo'];

/** Reads settings, falling back to defaults for anything missing or malformed. */
export function loadSettings(): Settings {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Settings>;
    const num = (value: unknown, fallback: number, min: number, max: number): number =>
      typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : fallback;
    const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
    const baseUrl = str(raw.baseUrl);
    const model = str(raw.model);
    const apiKey = str(raw.apiKey);
    return {
      provider: PROVIDERS.includes(raw.provider as Settings['provider']) ? (raw.provider as Settings['provider']) : 'demo',
      ...(baseUrl ? { baseUrl } : {}),
      ...(model ? { model } : {}),
      ...(apiKey ? { apiKey } : {}),
      maxSteps: num(raw.maxSteps, DEFAULT_SETTINGS.maxSteps, 1, 100),
      timeoutSeconds: num(raw.timeoutSeconds, DEFAULT_SETTINGS.timeoutSeconds, 1, 3600),
      allowNet: typeof raw.allowNet === 'string' ? raw.allowNet : '',
      packageIndex: validIndex(raw.packageIndex) ?? DEFAULT_PACKAGE_INDEX,
      pypiIndex: validIndex(raw.pypiIndex, pypiIndexUrl) ?? DEFAULT_PYPI_INDEX,
    };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

export function saveSettings(settings: Settings): void {
  localStorage.setItem(KEY, JSON.stringify(settings));
}

/** The allow-list as origins; invalid lines are dropped. */
export function allowedOrigins(settings: Settings): string[] {
  return settings.allowNet
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [new URL(line).origin];
      } catch {
        return [];
      }
    });
}

/** The package index as a folder URL, or undefined when the value is not a usable one. */
function validIndex(value: unknown, normalize: (url: string) => string = packageIndexUrl): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return normalize(value);
  } catch {
    return undefined;
  }
}
