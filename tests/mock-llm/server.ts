/**
 * A scripted OpenAI-compatible chat-completions server for tests (node:http, 127.0.0.1).
 *
 * `POST /v1/chat/completions` answers each request with the next scripted `Turn`: streamed SSE
 * chunks in OpenAI's format (content deltas, `tool_calls` deltas split across chunks,
 * `finish_reason`, `data: [DONE]`), or an HTTP error with OpenAI's error body. CORS is open by
 * default so a page served from another port can call it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted tool call of a `tool-call` turn. */
export interface MockToolCall {
  name: string;
  /** JSON arguments; a string is sent verbatim (so it can be malformed on purpose). */
  arguments: string | Record<string, unknown>;
  id?: string;
}

/** What the server does for one request. */
export type Turn =
  /** Streams `text` as content deltas of `chunkSize` characters, ending with `finishReason` ('stop'). */
  | { type: 'text'; text: string; chunkSize?: number; delayMs?: number; finishReason?: 'stop' | 'length' | 'content_filter' }
  /** Optional text, then tool calls whose arguments arrive split across several chunks. */
  | { type: 'tool-call'; calls: MockToolCall[]; text?: string; delayMs?: number }
  /**
   * Streams `template` with `{{toolResult}}` replaced by the content of the last `tool` message
   * the request carried (and `{{toolStdout}}` by its `stdout` field when it is JSON), proving
   * the tool result reached the model.
   */
  | { type: 'echo-tool-result'; template: string; delayMs?: number }
  /** An HTTP error with OpenAI's error body `{"error":{"message":…}}`. */
  | { type: 'error'; status: number; message: string; code?: string; headers?: Record<string, string> }
  /** Sends the SSE headers and then nothing until the client gives up. */
  | { type: 'hang' };

/** The parsed JSON body of a chat-completions request (only the fields tests look at). */
export interface ChatRequestBody {
  model?: string;
  stream?: boolean;
  messages: Array<{ role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: string }>;
  tools?: Array<{ type: string; function: { name: string } }>;
  [key: string]: unknown;
}

/** Picks the turn for a request; `index` counts chat-completions requests from 0. */
export type Responder = (body: ChatRequestBody, index: number) => Turn;

export interface MockLlmOptions {
  /** Played in order, one per request; when exhausted, later requests get a 500. */
  turns?: Turn[];
  /** Alternative to `turns`: choose the turn from the request (stateless scenarios). */
  respond?: Responder;
  /** Model names the server knows; any other model gets a 404 "model not found". */
  models?: string[];
  /** Required bearer key; a request without it gets a 401 "Incorrect API key". */
  apiKey?: string;
  /** Default delay between SSE chunks in ms (0). */
  delayMs?: number;
  /** Send CORS headers and answer preflights (default true). False simulates a CORS refusal. */
  cors?: boolean;
  /** Port to listen on (default 0: a random free port). */
  port?: number;
}

export interface MockLlm {
  /** Base URL to configure a provider with, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  port: number;
  /** Parsed bodies of the chat-completions requests received, in order. */
  requests: ChatRequestBody[];
  /** Headers of those requests (lower-case names), in the same order. */
  requestHeaders: Array<Record<string, string>>;
  /** Resolves when the server has stopped; open streams are cut. */
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Starts the server on 127.0.0.1. */
export async function startMockLlm(options: MockLlmOptions = {}): Promise<MockLlm> {
  const requests: ChatRequestBody[] = [];
  const requestHeaders: Array<Record<string, string>> = [];
  const cors = options.cors ?? true;
  const open = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(error) } }, cors);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'OPTIONS') {
      if (cors) {
        res.writeHead(204, {
          ...corsHeaders(),
          // Authorization is never covered by a `*` wildcard, so echo what the browser asks for.
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
          'access-control-max-age': '600',
        });
      } else res.writeHead(204);
      res.end();
      return;
    }
    if (req.method === 'GET' && path === '/v1/models') {
      const data = (options.models ?? ['mock-model']).map((id) => ({ id, object: 'model', owned_by: 'mock' }));
      sendJson(res, 200, { object: 'list', data }, cors);
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      sendJson(res, 404, { error: { message: `no route ${req.method} ${path}` } }, cors);
      return;
    }

    const body = JSON.parse(await readBody(req)) as ChatRequestBody;
    const index = requests.length;
    requests.push(body);
    requestHeaders.push(flattenHeaders(req));

    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendError(res, { type: 'error', status: 401, message: 'Incorrect API key provided', code: 'invalid_api_key' }, cors);
      return;
    }
    if (options.models && !options.models.includes(body.model ?? '')) {
      const message = `The model \`${body.model ?? ''}\` does not exist or you do not have access to it.`;
      sendError(res, { type: 'error', status: 404, message, code: 'model_not_found' }, cors);
      return;
    }

    const turn = options.respond
      ? options.respond(body, index)
      : (options.turns?.[index] ?? { type: 'error', status: 500, message: `mock-llm: no scripted turn #${index + 1}` });
    await play(turn, body, res);
  }

  async function play(turn: Turn, body: ChatRequestBody, res: ServerResponse): Promise<void> {
    if (turn.type === 'error') {
      sendError(res, turn, cors);
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...(cors ? corsHeaders() : {}),
    });
    res.flushHeaders();
    if (turn.type === 'hang') return; // the client aborts, or close() cuts it

    const delay = ('delayMs' in turn ? turn.delayMs : undefined) ?? options.delayMs ?? 0;
    const model = body.model ?? 'mock-model';
    const id = `chatcmpl-mock-${Math.random().toString(36).slice(2, 10)}`;
    const send = async (delta: Record<string, unknown>, finishReason: string | null = null): Promise<boolean> => {
      if (res.destroyed || res.writableEnded) return false;
      const chunk = { id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: finishReason }] };
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      if (delay > 0) await sleep(delay);
      return !res.destroyed;
    };

    if (!(await send({ role: 'assistant', content: '' }))) return;
    const text = turn.type === 'echo-tool-result' ? fillEcho(turn.template, lastToolContent(body)) : turn.text;
    const size = turn.type === 'text' ? (turn.chunkSize ?? 4) : 4;
    for (const piece of split(text ?? '', size)) if (!(await send({ content: piece }))) return;

    if (turn.type === 'tool-call') {
      for (const [i, call] of turn.calls.entries()) {
        const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
        const callId = call.id ?? `call_${i}_${Math.random().toString(36).slice(2, 8)}`;
        // First chunk names the call; the arguments follow in small pieces, as OpenAI streams them.
        const head = { index: i, id: callId, type: 'function', function: { name: call.name, arguments: '' } };
        if (!(await send({ tool_calls: [head] }))) return;
        for (const piece of split(args, 7)) if (!(await send({ tool_calls: [{ index: i, function: { arguments: piece } }] }))) return;
      }
      if (!(await send({}, 'tool_calls'))) return;
    } else if (!(await send({}, (turn.type === 'text' ? turn.finishReason : undefined) ?? 'stop'))) return;

    res.write('data: [DONE]\n\n');
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    requestHeaders,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The text of the last `tool` message of a request (what the agent sent back as a tool result). */
export function lastToolContent(body: ChatRequestBody): string {
  const message = [...body.messages].reverse().find((m) => m.role === 'tool');
  if (!message) return '(no tool result)';
  return typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
}

function fillEcho(template: string, content: string): string {
  let stdout = content;
  try {
    const parsed = JSON.parse(content) as { stdout?: unknown };
    if (typeof parsed.stdout === 'string') stdout = parsed.stdout.trimEnd();
  } catch {
    // not JSON (e.g. a tool error text): echo it whole
  }
  return template.replaceAll('{{toolResult}}', content).replaceAll('{{toolStdout}}', stdout);
}

function split(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

function corsHeaders(): Record<string, string> {
  return { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, POST, OPTIONS' };
}

function sendJson(res: ServerResponse, status: number, body: unknown, cors: boolean): void {
  res.writeHead(status, { 'content-type': 'application/json', ...(cors ? corsHeaders() : {}) });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, turn: Extract<Turn, { type: 'error' }>, cors: boolean): void {
  const type = turn.status >= 500 ? 'server_error' : 'invalid_request_error';
  res.writeHead(turn.status, { 'content-type': 'application/json', ...(cors ? corsHeaders() : {}), ...turn.headers });
  res.end(JSON.stringify({ error: { message: turn.message, type, param: null, code: turn.code ?? null } }));
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
