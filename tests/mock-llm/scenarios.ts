/**
 * Named, stateless scenarios for the mock LLM (used by the CLI for Playwright, and by tests).
 * Each picks its turn from the request itself, so one server serves any number of chats.
 */
import type { ChatRequestBody, MockLlmOptions, Turn } from './server.ts';

const lastRole = (body: ChatRequestBody) => body.messages.at(-1)?.role;
/** Tool results so far in this turn (after the last user message). */
const toolResultsSinceUser = (body: ChatRequestBody) => {
  const lastUser = body.messages.map((m) => m.role).lastIndexOf('user');
  return body.messages.slice(lastUser + 1).filter((m) => m.role === 'tool').length;
};

const runPython = (code: string): Turn => ({ type: 'tool-call', calls: [{ name: 'run_code', arguments: { language: 'python', code } }] });

export const SCENARIOS = {
  /** Streams a plain answer. */
  text: { respond: () => ({ type: 'text', text: 'Hello from the mock LLM. No tools needed for this one.' }) },
  /** run_code(python, "print(6*7)"), then an answer quoting the tool result it received. */
  'tool-call': {
    respond: (body) =>
      lastRole(body) === 'tool'
        ? { type: 'echo-tool-result', template: 'The program printed {{toolStdout}}. So 6*7 = {{toolStdout}}.' }
        : { type: 'tool-call', text: 'Let me compute that in Python.', calls: [{ name: 'run_code', arguments: { language: 'python', code: 'print(6*7)' } }] },
  },
  /** write_file main.py, exec "python main.py", then an answer. */
  'multi-step': {
    respond: (body) => {
      const done = toolResultsSinceUser(body);
      if (done === 0) return { type: 'tool-call', calls: [{ name: 'write_file', arguments: { path: 'main.py', content: 'print(sum(range(101)))\n' } }] };
      if (done === 1) return { type: 'tool-call', calls: [{ name: 'exec', arguments: { command: 'python main.py' } }] };
      return { type: 'echo-tool-result', template: 'main.py prints {{toolStdout}}: the sum of 0..100.' };
    },
  },
  /** A long answer at 150 ms per chunk, to press Stop in the middle. */
  slow: {
    respond: () => ({ type: 'text', text: 'This answer streams slowly, word by word, so that you can press stop before it ends. '.repeat(6), chunkSize: 6, delayMs: 150 }),
  },
  /** A program that prints a line every 0.5 s for a minute, to stop it while it runs. */
  'long-run': {
    respond: (body) =>
      lastRole(body) === 'tool'
        ? { type: 'echo-tool-result', template: 'The program ended: {{toolResult}}' }
        : runPython('import time\nfor i in range(120):\n    print(i, flush=True)\n    time.sleep(0.5)\n'),
  },
  /** First a tool call with malformed JSON arguments, then a valid one, then the answer. */
  'malformed-args': {
    respond: (body) => {
      const done = toolResultsSinceUser(body);
      if (done === 0) return { type: 'tool-call', calls: [{ name: 'run_code', arguments: '{"code": ' }] };
      if (done === 1) return runPython('print(6*7)');
      return { type: 'echo-tool-result', template: 'After fixing my arguments: {{toolStdout}}.' };
    },
  },
  /** Calls a tool on every step, so the max-steps limit ends the turn. */
  'max-steps': { respond: () => runPython('print(1)') },
  '401': { respond: () => ({ type: 'error', status: 401, message: 'Incorrect API key provided', code: 'invalid_api_key' }) },
  '404': { respond: (body) => ({ type: 'error', status: 404, message: `The model \`${body.model ?? ''}\` does not exist.`, code: 'model_not_found' }) },
  '429': { respond: () => ({ type: 'error', status: 429, message: 'Rate limit reached for requests', headers: { 'retry-after-ms': '10' } }) },
  '500': { respond: () => ({ type: 'error', status: 500, message: 'The server had an error while processing your request.' }) },
  /** Answers without CORS headers: a browser page on another origin sees "Failed to fetch". */
  'no-cors': { cors: false, respond: () => ({ type: 'text', text: 'You should never see this in a browser.' }) },
} satisfies Record<string, MockLlmOptions>;

export type ScenarioName = keyof typeof SCENARIOS;

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}
