/** The agent loop on Node against the scripted OpenAI-compatible server and a fake sandbox. */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runAgent, type RunAgentOptions } from '../../src/agent/loop.ts';
import type { AgentEvent, ChatMessage } from '../../src/agent/types.ts';
import { FakeSandbox } from './fake-sandbox.ts';
import { startMockLlm, type MockLlm, type MockLlmOptions } from './server.ts';

let server: MockLlm | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(options: MockLlmOptions, sandbox = new FakeSandbox()) {
  server = await startMockLlm(options);
  const events: AgentEvent[] = [];
  const base: RunAgentOptions = {
    sandbox,
    settings: { provider: 'openai-compatible', baseUrl: server.url, model: 'mock-model' },
    history: [],
    userText: 'What is 6*7? Use Python.',
    maxRetries: 0,
    environment: 'node',
    onEvent: (event) => events.push(event),
  };
  return { server, sandbox, events, base };
}

const types = (events: AgentEvent[]) => events.map((e) => e.type);
const textOf = (events: AgentEvent[]) =>
  events
    .filter((e): e is Extract<AgentEvent, { type: 'text-delta' }> => e.type === 'text-delta')
    .map((e) => e.text)
    .join('');
const toolMessages = (body: { messages: Array<{ role: string; content?: unknown }> }) => body.messages.filter((m) => m.role === 'tool');

describe('runAgent with an OpenAI-compatible server', () => {
  it('runs a tool call in the sandbox, sends the result back and streams the answer', async () => {
    const { server, sandbox, events, base } = await setup({
      turns: [
        { type: 'tool-call', calls: [{ name: 'run_code', arguments: { language: 'python', code: 'print(6*7)' } }] },
        { type: 'echo-tool-result', template: 'The tool said: {{toolResult}}' },
      ],
    });
    const message = await runAgent(base);

    expect(sandbox.runs.map((r) => r.code)).toEqual(['print(6*7)']);
    // The second request carries the tool result the sandbox produced.
    expect(server.requests).toHaveLength(2);
    const [toolMessage] = toolMessages(server.requests[1]!);
    expect(JSON.parse(String(toolMessage?.content))).toMatchObject({ status: 'ok', exitCode: 0, stdout: '42\n' });
    // The first request had the system prompt, the user text and the five tools.
    expect(server.requests[0]!.messages[0]).toMatchObject({ role: 'system' });
    expect(String(server.requests[0]!.messages[0]!.content)).toContain('/workspace');
    expect(server.requests[0]!.messages.at(-1)).toEqual({ role: 'user', content: 'What is 6*7? Use Python.' });
    expect(server.requests[0]!.tools?.map((t) => t.function.name).sort()).toEqual(['debug_run', 'exec', 'list_files', 'read_file', 'run_code', 'write_file']);

    expect(message.status).toBe('done');
    expect(message.content).toContain('The tool said:');
    expect(message.content).toContain('42');
    expect(message.toolCalls).toHaveLength(1);
    expect(message.toolCalls![0]).toMatchObject({ tool: 'run_code', state: 'done', input: { language: 'python', code: 'print(6*7)' }, result: { kind: 'run', status: 'ok', stdout: '42\n' }, textOffset: 0 });

    // Events come in order: start, the call with its live output, the answer, one finish.
    const order = types(events).filter((t, i, all) => t !== all[i - 1]);
    expect(order).toEqual(['start', 'tool-call-start', 'tool-output', 'tool-call-end', 'step-finish', 'text-delta', 'step-finish', 'finish']);
    expect(events.find((e) => e.type === 'tool-output')).toMatchObject({ stream: 'stdout', text: '42\n' });
    expect(textOf(events)).toBe(message.content);
    const finish = events.at(-1);
    expect(finish).toMatchObject({ type: 'finish', reason: 'stop', message });
  });

  it('goes through several steps: write a file, run it, answer', async () => {
    const { server, sandbox, base } = await setup({
      turns: [
        { type: 'tool-call', text: 'Writing the script.', calls: [{ name: 'write_file', arguments: { path: '/workspace/calc.py', content: 'print(2**10)\n' } }] },
        { type: 'tool-call', calls: [{ name: 'exec', arguments: { command: 'python calc.py' } }] },
        { type: 'echo-tool-result', template: 'Done: {{toolResult}}' },
      ],
    });
    const message = await runAgent(base);

    expect(await sandbox.fs.readText('calc.py')).toBe('print(2**10)\n');
    expect(sandbox.execs.map((e) => e.line)).toEqual(['python calc.py']);
    expect(server.requests).toHaveLength(3);
    expect(JSON.parse(String(toolMessages(server.requests[1]!)[0]?.content))).toEqual({ written: 'calc.py', bytes: 13 });
    expect(JSON.parse(String(toolMessages(server.requests[2]!)[1]?.content))).toMatchObject({ stdout: '1024\n', cwd: '/workspace' });
    expect(message.status).toBe('done');
    expect(message.content.startsWith('Writing the script.')).toBe(true);
    expect(message.content).toContain('1024');
    expect(message.toolCalls?.map((c) => [c.tool, c.state, c.textOffset])).toEqual([
      ['write_file', 'done', 'Writing the script.'.length],
      ['exec', 'done', 'Writing the script.'.length],
    ]);
  });

  it('returns malformed tool arguments to the model as a tool error and carries on', async () => {
    const { server, sandbox, base } = await setup({
      turns: [
        { type: 'tool-call', calls: [{ name: 'run_code', arguments: '{"code": ' }] },
        { type: 'tool-call', calls: [{ name: 'run_code', arguments: { language: 'python', code: 'print(6*7)' } }] },
        { type: 'echo-tool-result', template: 'Second try: {{toolResult}}' },
      ],
    });
    const message = await runAgent(base);

    expect(server.requests).toHaveLength(3);
    const error = String(toolMessages(server.requests[1]!)[0]?.content);
    expect(error).toContain('Invalid input for tool run_code');
    expect(sandbox.runs).toHaveLength(1);
    expect(message.status).toBe('done');
    expect(message.toolCalls?.[0]).toMatchObject({ tool: 'run_code', state: 'error', input: '{"code": ' });
    expect(message.toolCalls?.[0]?.error).toMatch(/^Invalid input for tool run_code/);
    expect(message.toolCalls?.[1]).toMatchObject({ state: 'done', result: { stdout: '42\n' } });
    expect(message.content).toContain('42');
  });

  it('returns workspace errors (ENOENT, paths outside the workspace) to the model as tool errors', async () => {
    const { server, base } = await setup({
      turns: [
        { type: 'tool-call', calls: [{ name: 'read_file', arguments: { path: 'missing.txt' } }] },
        { type: 'tool-call', calls: [{ name: 'write_file', arguments: { path: '../escape.txt', content: 'x' } }] },
        { type: 'text', text: 'Both failed.' },
      ],
    });
    const message = await runAgent(base);

    expect(String(toolMessages(server.requests[1]!)[0]?.content)).toContain('ENOENT');
    expect(String(toolMessages(server.requests[2]!)[1]?.content)).toContain('EACCES');
    expect(message.status).toBe('done');
    expect(message.toolCalls?.map((c) => c.state)).toEqual(['error', 'error']);
    expect(message.content).toBe('Both failed.');
  });

  it('stops at the max-steps limit with a note in the message', async () => {
    const call = { type: 'tool-call' as const, calls: [{ name: 'run_code', arguments: { language: 'python', code: 'print(1)' } }] };
    const { server, events, base } = await setup({ respond: () => call });
    const message = await runAgent({ ...base, maxSteps: 3 });

    expect(server.requests).toHaveLength(3);
    expect(message.status).toBe('done');
    expect(message.toolCalls).toHaveLength(3);
    expect(message.content).toMatch(/Stopped after 3 steps/);
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'max-steps' });
    expect(textOf(events)).toBe(message.content);
  });

  it('notes an answer cut by the output token limit', async () => {
    const { base, events } = await setup({ turns: [{ type: 'text', text: 'The first half of', finishReason: 'length' }] });
    const message = await runAgent(base);
    expect(message.content).toMatch(/^The first half of\n\n\[The answer was cut off/);
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'length' });
  });

  it('keeps the streamed text and ends "stopped" when aborted mid-stream', async () => {
    const { base, events } = await setup({ turns: [{ type: 'text', text: 'one two three four five six seven eight nine ten', chunkSize: 4, delayMs: 40 }] });
    const controller = new AbortController();
    const onEvent = (event: AgentEvent) => {
      events.push(event);
      if (event.type === 'text-delta' && textOf(events).length >= 8) controller.abort();
    };
    const message = await runAgent({ ...base, signal: controller.signal, onEvent });

    expect(message.status).toBe('stopped');
    expect(message.content.length).toBeGreaterThanOrEqual(8);
    expect('one two three four five six seven eight nine ten'.startsWith(message.content)).toBe(true);
    expect(message.content.length).toBeLessThan(40);
    expect(events.at(-1)).toMatchObject({ type: 'stopped' });
    expect(types(events)).not.toContain('error');
  });

  it('stops the run of a tool call when aborted while it runs', async () => {
    const sandbox = new FakeSandbox({ hang: true });
    const { base, events } = await setup(
      { turns: [{ type: 'tool-call', calls: [{ name: 'run_code', arguments: { language: 'python', code: 'while True: pass' } }] }] },
      sandbox,
    );
    const controller = new AbortController();
    const onEvent = (event: AgentEvent) => {
      events.push(event);
      if (event.type === 'tool-output') controller.abort();
    };
    const message = await runAgent({ ...base, signal: controller.signal, onEvent });

    expect(sandbox.aborts).toBe(1);
    expect(sandbox.busy).toBe(false);
    expect(message.status).toBe('stopped');
    expect(message.toolCalls?.[0]).toMatchObject({ tool: 'run_code', state: 'done', result: { status: 'killed', exitCode: 137 } });
    expect(types(events).slice(-2)).toEqual(['tool-call-end', 'stopped']);
  });

  it('sends earlier turns, tool calls and results included, back to the model', async () => {
    const { server, base } = await setup({
      turns: [
        { type: 'tool-call', text: 'Let me run it.', calls: [{ name: 'run_code', arguments: { language: 'python', code: 'print(6*7)' } }] },
        { type: 'text', text: 'It is 42.' },
        { type: 'text', text: 'You asked about 6*7.' },
      ],
    });
    const first = await runAgent(base);
    const history: ChatMessage[] = [{ id: 'u1', role: 'user', content: base.userText }, first];
    const second = await runAgent({ ...base, history, userText: 'What did I ask?' });

    expect(second.content).toBe('You asked about 6*7.');
    const sent = server.requests[2]!.messages.slice(1);
    expect(sent.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
    expect(sent[1]).toMatchObject({ role: 'assistant', content: 'Let me run it.' });
    expect(JSON.stringify(sent[1]!.tool_calls)).toContain('print(6*7)');
    expect(String(sent[2]!.content)).toContain('42');
    expect(sent[3]).toMatchObject({ role: 'assistant', content: 'It is 42.' });
  });
});

describe('runAgent error messages', () => {
  it('401: says the key was rejected, without echoing the key', async () => {
    const apiKey = 'sk-test-abcdef1234567890';
    const { base, events } = await setup({ apiKey: 'the-right-key' });
    const message = await runAgent({ ...base, settings: { ...base.settings, apiKey } });

    expect(message.status).toBe('error');
    expect(message.error).toMatch(/rejected the API key \(401\)/);
    expect(message.error).toContain('Incorrect API key');
    expect(message.error).not.toContain(apiKey);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'auth', status: 401 } });
  });

  it('unreachable base URL: says it could not connect', async () => {
    const port = await closedPort();
    const events: AgentEvent[] = [];
    const message = await runAgent({
      sandbox: new FakeSandbox(),
      settings: { provider: 'openai-compatible', baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm' },
      history: [],
      userText: 'hi',
      maxRetries: 0,
      environment: 'node',
      onEvent: (e) => events.push(e),
    });
    expect(message.status).toBe('error');
    expect(message.error).toMatch(/Could not connect to http:\/\/127\.0\.0\.1:\d+\/v1 \(ECONNREFUSED\)/);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'network' } });
  });

  it('in a browser, a refused fetch is explained as CORS or unreachable, with fixes for Ollama and LM Studio', async () => {
    const message = await runAgent({
      sandbox: new FakeSandbox(),
      settings: { provider: 'openai-compatible', baseUrl: 'http://localhost:11434/v1', model: 'llama3.2' },
      history: [],
      userText: 'hi',
      maxRetries: 0,
      environment: 'browser',
      // What Chrome's fetch throws for a CORS refusal.
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    expect(message.status).toBe('error');
    expect(message.error).toContain('CORS');
    expect(message.error).toContain('OLLAMA_ORIGINS=*');
    expect(message.error).toContain('LM Studio');
  });

  it('404: names the model that was not found', async () => {
    const { base, events } = await setup({ models: ['llama3.2'] });
    const message = await runAgent({ ...base, settings: { ...base.settings, model: 'no-such-model' } });
    expect(message.status).toBe('error');
    expect(message.error).toMatch(/Model "no-such-model" was not found/);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'model-not-found', status: 404 } });
  });

  it('429: says the provider is rate-limiting, also after retries', async () => {
    const limited = { type: 'error' as const, status: 429, message: 'Rate limit reached', headers: { 'retry-after-ms': '5' } };
    const { server, base, events } = await setup({ turns: [limited, limited] });
    const message = await runAgent({ ...base, maxRetries: 1 });
    expect(server.requests).toHaveLength(2);
    expect(message.error).toMatch(/rate-limiting requests \(429\)/);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'rate-limit', status: 429 } });
  });

  it('500: says the provider failed and keeps what was already produced', async () => {
    const { base, events } = await setup({
      turns: [
        { type: 'tool-call', text: 'Running.', calls: [{ name: 'run_code', arguments: { language: 'python', code: 'print(6*7)' } }] },
        { type: 'error', status: 500, message: 'upstream exploded' },
      ],
    });
    const message = await runAgent(base);
    expect(message.status).toBe('error');
    expect(message.error).toMatch(/internal error \(500\)/);
    expect(message.content).toBe('Running.');
    expect(message.toolCalls?.[0]?.state).toBe('done');
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'server' } });
  });

  it('settings that cannot work give a config message without a request', async () => {
    const run = (settings: RunAgentOptions['settings']) => runAgent({ sandbox: new FakeSandbox(), settings, history: [], userText: 'hi' });
    const noModel = await run({ provider: 'openai-compatible', baseUrl: 'http://localhost:11434/v1' });
    expect(noModel).toMatchObject({ status: 'error', error: expect.stringMatching(/Set a model name/) });
    const badUrl = await run({ provider: 'openai-compatible', baseUrl: 'localhost:11434', model: 'm' });
    expect(badUrl).toMatchObject({ status: 'error', error: expect.stringMatching(/must start with http/) });
  });
});

/** A port nothing listens on: bind, note the port, close. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}
