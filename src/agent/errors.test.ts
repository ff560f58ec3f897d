import { APICallError, RetryError } from 'ai';
import { describe, expect, it } from 'vitest';
import { describeError, redact } from './errors.ts';
import type { ProviderSettings } from './providers.ts';

const settings: ProviderSettings = { provider: 'openai-compatible', baseUrl: 'http://localhost:11434/v1', model: 'llama3.2', apiKey: 'sk-proj-SECRETSECRET1234' };
const apiError = (statusCode: number, message: string) =>
  new APICallError({ message, url: 'http://x', requestBodyValues: {}, statusCode, responseBody: JSON.stringify({ error: { message } }) });

describe('describeError', () => {
  it.each([
    [401, 'auth', /rejected the API key \(401\)/],
    [403, 'auth', /rejected the API key \(403\)/],
    [404, 'model-not-found', /Model "llama3.2" was not found at http:\/\/localhost:11434\/v1 .*ollama pull llama3.2/],
    [429, 'rate-limit', /rate-limiting/],
    [503, 'server', /internal error \(503\)/],
    [400, 'bad-request', /refused the request \(400\)/],
  ])('HTTP %i → %s', (status, kind, pattern) => {
    const error = describeError(apiError(status, 'details here'), settings, 'node');
    expect(error).toMatchObject({ kind, status });
    expect(error.message).toMatch(pattern);
    expect(error.message).toContain('details here');
  });

  it('explains the last attempt of a retried call', () => {
    const error = new RetryError({ message: 'Failed after 3 attempts', reason: 'maxRetriesExceeded', errors: [apiError(429, 'a'), apiError(429, 'b')] });
    expect(describeError(error, settings, 'node')).toMatchObject({ kind: 'rate-limit', message: expect.stringContaining('"b"') });
  });

  it('a refused fetch in a browser is explained as CORS with fixes', () => {
    const error = describeError(new TypeError('Failed to fetch'), settings, 'browser');
    expect(error.kind).toBe('cors');
    expect(error.message).toContain('OLLAMA_ORIGINS=*');
    expect(error.message).toContain('Enable CORS');
  });

  it('a refused connection in Node names the cause', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const error = new APICallError({ message: 'Cannot connect to API: connect ECONNREFUSED', url: 'http://x', requestBodyValues: {}, cause, isRetryable: true });
    expect(describeError(error, settings, 'node')).toEqual({ kind: 'network', message: expect.stringContaining('(ECONNREFUSED)') });
  });

  it('mid-stream provider error objects keep their message', () => {
    expect(describeError({ message: 'context too long', type: 'invalid_request_error' }, settings, 'node').message).toContain('context too long');
  });

  it('never shows the API key', () => {
    const error = describeError(apiError(401, `Incorrect API key provided: ${settings.apiKey}`), settings, 'node');
    expect(error.message).not.toContain('SECRETSECRET');
  });
});

describe('redact', () => {
  it('masks the key and key-shaped strings', () => {
    expect(redact('key abcd1234 here', 'abcd1234')).toBe('key [key] here');
    expect(redact('got sk-ant-api03-abcdefghijklmnop', undefined)).toBe('got sk-ant-api0…');
  });
});
