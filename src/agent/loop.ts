/**
 * One agent turn: the user's text → a multi-step AI SDK stream (text, tool calls run in the
 * sandbox, results back to the model) → the final assistant message. Never rejects: failures end
 * the message with status 'error' and a user-facing text; aborting ends it with 'stopped'.
 */
import { isStepCount, streamText, type ModelMessage } from 'ai';
import type { Sandbox } from '../sandbox/host/api.ts';
import { runDemo, type DemoOptions } from './demo/player.ts';
import { describeError, detectEnvironment, type AgentEnvironment } from './errors.ts';
import { toModelMessages } from './history.ts';
import { createLanguageModel, type ProviderSettings } from './providers.ts';
import { MessageRecorder } from './recorder.ts';
import { buildSystemPrompt } from './system-prompt.ts';
import { createAgentTools } from './tools.ts';
import { isToolName, type AgentEventListener, type ChatMessage, type FinishReason } from './types.ts';

export const DEFAULT_MAX_STEPS = 10;

export interface RunAgentOptions {
  sandbox: Sandbox;
  settings: ProviderSettings;
  /** Earlier messages of the conversation, without the new user message. */
  history: ChatMessage[];
  userText: string;
  /** Model round trips allowed in this turn (default 10). */
  maxSteps?: number;
  /** Aborting stops the stream and the run of a running tool; the message ends 'stopped'. */
  signal?: AbortSignal;
  onEvent?: AgentEventListener;
  /** Id of the assistant message (default: a fresh one). */
  messageId?: string;
  /** Retries of failed provider calls (429, 5xx, network), default 1. */
  maxRetries?: number;
  /** Custom fetch for provider calls (tests, proxies). */
  fetch?: typeof globalThis.fetch;
  /** Replaces the built-in system prompt. */
  systemPrompt?: string;
  /** Demo agent pacing. */
  demo?: DemoOptions;
  /** Where the agent runs, for error messages (default: detected). */
  environment?: AgentEnvironment;
}

/** How long a stopped turn waits for an interrupted program to report its end. */
const STOP_GRACE_MS = 3000;

/** Runs one agent turn and resolves with the final assistant message. */
export async function runAgent(options: RunAgentOptions): Promise<ChatMessage> {
  const recorder = new MessageRecorder(options.onEvent, options.messageId);
  recorder.start();
  if (options.signal?.aborted) return recorder.stop();
  if (options.settings.provider === 'demo') return runDemo(recorder, options);

  const environment = options.environment ?? detectEnvironment();
  const fail = (error: unknown) => recorder.fail(describeError(error, options.settings, environment));

  let model;
  try {
    model = createLanguageModel(options.settings, { fetch: options.fetch });
  } catch (error) {
    return fail(error);
  }

  const maxSteps = Math.max(1, options.maxSteps ?? DEFAULT_MAX_STEPS);
  const seen = new Gates();
  const tools = createAgentTools(options.sandbox, {
    // Wait until the stream consumer has announced the call, so events keep their order.
    beforeRun: (id) => seen.wait(id, options.signal),
    onOutput: (id, chunk) => recorder.toolOutput(id, chunk),
    onEnd: (id, outcome) => recorder.toolEnd(id, outcome),
  });

  const messages: ModelMessage[] = [...toModelMessages(options.history), { role: 'user', content: options.userText }];
  const instructions = options.systemPrompt ?? buildSystemPrompt({ files: await workspaceFiles(options.sandbox) });

  const errors: unknown[] = [];
  let aborted = false;
  let steps = 0;
  let lastFinish = 'stop';
  try {
    const result = streamText({
      model,
      instructions,
      messages,
      tools,
      stopWhen: isStepCount(maxSteps),
      // The sandbox runs one program at a time; sequential calls keep cards and output in order.
      toolCallConcurrency: 1,
      maxRetries: options.maxRetries ?? 1,
      abortSignal: options.signal,
      // Errors arrive as stream parts below; the default handler would console.error them.
      onError: () => {},
    });
    for await (const part of result.stream) {
      switch (part.type) {
        case 'text-delta':
          recorder.text(part.text);
          break;
        case 'tool-call':
          if (isToolName(part.toolName)) recorder.toolStart(part.toolCallId, part.toolName, part.input);
          seen.open(part.toolCallId);
          break;
        case 'tool-error':
          // Executed calls were settled by the tool itself; this covers calls that never ran
          // (malformed arguments), whose error the AI SDK also sends back to the model.
          recorder.toolEnd(part.toolCallId, { ok: false, error: cleanToolError(part.error) });
          break;
        case 'finish-step':
          steps += 1;
          lastFinish = part.finishReason;
          recorder.stepFinish(steps, part.finishReason);
          break;
        case 'error':
          errors.push(part.error);
          break;
        case 'abort':
          aborted = true;
          break;
        default:
          break;
      }
    }
  } catch (error) {
    if (!options.signal?.aborted) errors.push(error);
  }

  if (aborted || options.signal?.aborted) {
    // The tool's run saw the same signal; give it a moment to report how it ended.
    await settleWithin(recorder, STOP_GRACE_MS);
    return recorder.stop();
  }
  if (errors.length > 0) return fail(errors[0]);
  if (steps >= maxSteps && lastFinish === 'tool-calls') {
    recorder.text(`${recorder.message.content ? '\n\n' : ''}[Stopped after ${maxSteps} steps: the max-steps limit. Say "continue" to let me go on, or raise the limit in Settings.]`);
    return recorder.finish('max-steps');
  }
  if (lastFinish === 'length') {
    recorder.text(`${recorder.message.content ? '\n\n' : ''}[The answer was cut off: the model reached its output token limit. Say "continue" to get the rest.]`);
  }
  return recorder.finish(finishReason(lastFinish));
}

function finishReason(raw: string): FinishReason {
  return raw === 'stop' || raw === 'length' || raw === 'content-filter' ? raw : raw === 'tool-calls' ? 'stop' : 'other';
}

/** `AI_InvalidToolInputError: Invalid input for tool x: …` → `Invalid input for tool x: …`. */
function cleanToolError(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
  return text.replace(/^AI_\w+Error: /, '');
}

async function workspaceFiles(sandbox: Sandbox): Promise<string[]> {
  try {
    return Object.keys((await sandbox.fs.manifest()).files).sort();
  } catch {
    return [];
  }
}

/** Waits until no tool call is running, or `ms` passed. */
async function settleWithin(recorder: MessageRecorder, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (recorder.hasRunningTools() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** One-shot gates keyed by tool-call id. */
class Gates {
  private readonly opened = new Set<string>();
  private readonly waiting = new Map<string, Array<() => void>>();

  open(id: string): void {
    this.opened.add(id);
    for (const resolve of this.waiting.get(id) ?? []) resolve();
    this.waiting.delete(id);
  }

  wait(id: string, signal: AbortSignal | undefined): Promise<void> {
    if (this.opened.has(id) || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      signal?.addEventListener('abort', done, { once: true });
      const list = this.waiting.get(id) ?? [];
      list.push(done);
      this.waiting.set(id, list);
    });
  }
}
