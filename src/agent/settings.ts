/** Provider settings and their defaults: plain data, cheap to import (no AI SDK). */

/** What the settings dialog stores (in localStorage, on the main thread only). */
export interface ProviderSettings {
  provider: 'openai-compatible' | 'openai' | 'anthropic' | 'demo';
  /** e.g. `http://localhost:11434/v1` (Ollama) or `http://localhost:1234/v1` (LM Studio). */
  baseUrl?: string;
  model?: string;
  apiKey?: string;
}

/** Defaults the UI can show as placeholders. */
export const DEFAULT_BASE_URLS = {
  'openai-compatible': 'http://localhost:11434/v1',
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
} as const;

export const DEFAULT_MODELS = {
  openai: 'gpt-5-mini',
  anthropic: 'claude-sonnet-4-5',
} as const;
