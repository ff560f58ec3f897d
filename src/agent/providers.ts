/**
 * Provider settings → an AI SDK language model. Calls go straight from the page (or Node) to the
 * provider: no proxy. The API key is only handed to the provider factory, never logged.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import { AgentConfigError } from './errors.ts';

export { DEFAULT_BASE_URLS, DEFAULT_MODELS, type ProviderSettings } from './settings.ts';
import { DEFAULT_BASE_URLS, DEFAULT_MODELS, type ProviderSettings } from './settings.ts';

export interface ModelOptions {
  /** Custom fetch (tests, proxies). */
  fetch?: typeof globalThis.fetch;
}

/**
 * Creates the language model for `settings`. Throws `AgentConfigError` for settings that cannot
 * work (demo has no model: `runAgent` plays it without one).
 */
export function createLanguageModel(settings: ProviderSettings, options: ModelOptions = {}): LanguageModel {
  const apiKey = settings.apiKey?.trim() || undefined;
  const model = settings.model?.trim() || undefined;
  const baseURL = checkBaseUrl(settings.baseUrl);
  const fetch = options.fetch;

  switch (settings.provider) {
    case 'openai-compatible': {
      if (!model) throw new AgentConfigError('Set a model name in Settings (for Ollama, e.g. "llama3.2"; `ollama list` shows what you have).');
      return createOpenAICompatible({
        name: 'openai-compatible',
        baseURL: baseURL ?? DEFAULT_BASE_URLS['openai-compatible'],
        apiKey,
        fetch,
      }).chatModel(model);
    }
    case 'openai':
      return createOpenAI({ apiKey, baseURL, fetch })(model ?? DEFAULT_MODELS.openai);
    case 'anthropic':
      return createAnthropic({
        apiKey,
        baseURL,
        fetch,
        // Anthropic refuses CORS requests from pages unless the caller opts in explicitly.
        headers: { 'anthropic-dangerous-direct-browser-access': 'true' },
      })(model ?? DEFAULT_MODELS.anthropic);
    case 'demo':
      throw new AgentConfigError('The demo agent has no language model.');
  }
}

function checkBaseUrl(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AgentConfigError(`The base URL "${value}" is not a valid URL. It should look like http://localhost:11434/v1.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AgentConfigError(`The base URL must start with http:// or https:// (got "${value}").`);
  }
  return value.replace(/\/+$/, '');
}
