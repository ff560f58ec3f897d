/**
 * Turns provider and network failures into messages a user can act on: wrong key, unreachable
 * server, CORS refusal, unknown model, rate limit, server errors. Keys never appear in the text.
 */
import { APICallError, LoadAPIKeyError, RetryError } from 'ai';
import type { AgentError } from './types.ts';
import type { ProviderSettings } from './providers.ts';

/** Where the agent runs: a CORS refusal only exists in a browser. */
export type AgentEnvironment = 'browser' | 'node';

/** Thrown for settings that cannot work (missing model, malformed base URL). */
export class AgentConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentConfigError';
  }
}

/** Best guess of the environment: Node has `process.versions.node`, browsers and workers do not. */
export function detectEnvironment(): AgentEnvironment {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return proc?.versions?.node ? 'node' : 'browser';
}

const PROVIDER_NAMES: Record<ProviderSettings['provider'], string> = {
  'openai-compatible': 'The server',
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  demo: 'The demo agent',
};

/** Explains `error` for the user, given the settings that produced it. */
export function describeError(error: unknown, settings: ProviderSettings, environment: AgentEnvironment = detectEnvironment()): AgentError {
  const described = describe(unwrap(error), settings, environment);
  return { ...described, message: redact(described.message, settings.apiKey) };
}

function describe(error: unknown, settings: ProviderSettings, environment: AgentEnvironment): AgentError {
  const who = PROVIDER_NAMES[settings.provider];
  const where = endpoint(settings);
  const model = settings.model ? `"${settings.model}"` : 'the model';

  if (error instanceof AgentConfigError) return { kind: 'config', message: error.message };
  if (LoadAPIKeyError.isInstance(error)) {
    const variable = settings.provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY';
    const where = environment === 'node' ? `Pass a key or set ${variable}.` : 'Add one in Settings.';
    return { kind: 'auth', message: `No API key is set for ${who}. ${where}` };
  }

  const status = statusOf(error);
  const detail = serverMessage(error);
  const said = detail ? ` It said: "${detail}".` : '';
  if (status === 401 || status === 403) {
    return { kind: 'auth', status, message: `${who} rejected the API key (${status}).${said} Check the key in Settings.` };
  }
  if (status === 404) {
    const hint =
      settings.provider === 'openai-compatible'
        ? ` Check the model name (for Ollama: \`ollama list\`, or \`ollama pull ${settings.model ?? '<model>'}\`) and that the base URL ends in /v1.`
        : ' Check the model name in Settings.';
    return { kind: 'model-not-found', status, message: `Model ${model} was not found at ${where} (404).${said}${hint}` };
  }
  if (status === 429) {
    return { kind: 'rate-limit', status, message: `${who} is rate-limiting requests (429).${said} Wait a moment and try again, or check your plan's quota.` };
  }
  if (status !== undefined && status >= 500) {
    return { kind: 'server', status, message: `${who} had an internal error (${status}).${said} Try again in a moment.` };
  }
  if (status !== undefined) {
    return { kind: 'bad-request', status, message: `${who} refused the request (${status}).${detail ? ` It said: "${detail}".` : ''}` };
  }

  if (isNetworkFailure(error)) {
    if (environment === 'browser') {
      return {
        kind: 'cors',
        message:
          `Could not reach ${where}. Either nothing is listening there, or the server does not allow requests from this page (CORS). ` +
          'Ollama: restart it with OLLAMA_ORIGINS=* (e.g. `OLLAMA_ORIGINS=* ollama serve`). ' +
          'LM Studio: turn on "Enable CORS" in the Developer tab\'s server settings. Other servers: allow this origin.',
      };
    }
    const cause = networkCause(error);
    return { kind: 'network', message: `Could not connect to ${where}${cause ? ` (${cause})` : ''}. Is the server running, and is the base URL right?` };
  }

  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : (detail ?? 'unknown error');
  return { kind: 'unknown', message: `Something went wrong: ${message}` };
}

/** The last attempt of a retried call is the one worth explaining. */
function unwrap(error: unknown): unknown {
  if (RetryError.isInstance(error)) return error.lastError ?? error;
  return error;
}

function statusOf(error: unknown): number | undefined {
  if (APICallError.isInstance(error)) return error.statusCode;
  const status = (error as { statusCode?: unknown; status?: unknown } | null)?.statusCode ?? (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** The provider's own error text (OpenAI/Anthropic `{"error":{"message":…}}`), shortened. */
function serverMessage(error: unknown): string | undefined {
  let text: string | undefined;
  if (APICallError.isInstance(error)) {
    text = messageFromBody(error.responseBody) ?? (error.statusCode !== undefined ? error.message : undefined);
  } else if (typeof error === 'object' && error !== null && !(error instanceof Error)) {
    // Mid-stream provider errors arrive as plain `{ message, type, code }` objects.
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') text = message;
  }
  if (!text) return undefined;
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

function messageFromBody(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.length < 300 ? body : undefined;
}

/** fetch() failing before any response: browsers say "Failed to fetch"/"Load failed", Node "fetch failed". */
function isNetworkFailure(error: unknown): boolean {
  if (APICallError.isInstance(error)) return error.statusCode === undefined && /Cannot connect to API/i.test(error.message);
  if (error instanceof TypeError) return /failed to fetch|fetch failed|load failed|networkerror/i.test(error.message);
  return false;
}

function networkCause(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

function endpoint(settings: ProviderSettings): string {
  if (settings.baseUrl) return settings.baseUrl;
  if (settings.provider === 'openai') return 'the OpenAI API';
  if (settings.provider === 'anthropic') return 'the Anthropic API';
  return 'the configured base URL';
}

/** Removes the key (and anything shaped like a secret key) from a message. */
export function redact(message: string, apiKey: string | undefined): string {
  let out = message;
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('[key]');
  return out.replace(/\b(sk-(?:ant-)?[A-Za-z0-9_-]{4})[A-Za-z0-9_*-]{8,}/g, '$1…');
}
