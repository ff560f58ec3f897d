import { describe, expect, it } from 'vitest';
import { runAgent } from './loop.ts';
import { createLanguageModel } from './providers.ts';
import { FakeSandbox } from '../../tests/mock-llm/fake-sandbox.ts';

/** A fetch that records the request and answers 401, so no network is used. */
function recordingFetch() {
  const calls: Array<{ url: string; headers: Headers }> = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), headers: new Headers(init?.headers) });
    return new Response(JSON.stringify({ error: { type: 'authentication_error', message: 'invalid x-api-key' } }), { status: 401, headers: { 'content-type': 'application/json' } });
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

describe('providers', () => {
  it('Anthropic calls carry the direct-browser-access header and the key, and a 401 is explained', async () => {
    const { calls, fetch } = recordingFetch();
    const message = await runAgent({
      sandbox: new FakeSandbox(),
      settings: { provider: 'anthropic', apiKey: 'sk-ant-test-key-123456' },
      history: [],
      userText: 'hi',
      fetch,
      maxRetries: 0,
    });
    expect(calls[0]?.url).toBe('https://api.anthropic.com/v1/messages');
    expect(calls[0]?.headers.get('anthropic-dangerous-direct-browser-access')).toBe('true');
    expect(calls[0]?.headers.get('x-api-key')).toBe('sk-ant-test-key-123456');
    expect(message).toMatchObject({ status: 'error', error: expect.stringMatching(/^Anthropic rejected the API key \(401\)/) });
  });

  it('OpenAI uses the given base URL and a bearer key', async () => {
    const { calls, fetch } = recordingFetch();
    await runAgent({ sandbox: new FakeSandbox(), settings: { provider: 'openai', apiKey: 'sk-x', baseUrl: 'https://proxy.example/v1/' }, history: [], userText: 'hi', fetch, maxRetries: 0 });
    expect(calls[0]?.url.startsWith('https://proxy.example/v1/')).toBe(true);
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer sk-x');
  });

  it('OpenAI-compatible sends no Authorization header without a key (Ollama needs none)', async () => {
    const { calls, fetch } = recordingFetch();
    await runAgent({ sandbox: new FakeSandbox(), settings: { provider: 'openai-compatible', model: 'llama3.2' }, history: [], userText: 'hi', fetch, maxRetries: 0 });
    expect(calls[0]?.url).toBe('http://localhost:11434/v1/chat/completions');
    expect(calls[0]?.headers.has('authorization')).toBe(false);
  });

  it('a missing OpenAI key is explained', async () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      const { calls, fetch } = recordingFetch();
      const message = await runAgent({ sandbox: new FakeSandbox(), settings: { provider: 'openai' }, history: [], userText: 'hi', fetch, maxRetries: 0, environment: 'node' });
      expect(calls).toHaveLength(0);
      expect(message).toMatchObject({ status: 'error', error: 'No API key is set for OpenAI. Pass a key or set OPENAI_API_KEY.' });
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
  });

  it('refuses settings that cannot work', () => {
    expect(() => createLanguageModel({ provider: 'openai-compatible' })).toThrow(/model name/);
    expect(() => createLanguageModel({ provider: 'openai-compatible', model: 'm', baseUrl: 'ftp://x' })).toThrow(/http/);
    expect(() => createLanguageModel({ provider: 'demo' })).toThrow(/demo/);
  });
});
