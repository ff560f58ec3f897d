/**
 * Builds one assistant message and emits the matching `AgentEvent`s. Both the AI SDK loop and
 * the demo agent drive it, so the UI sees one event stream and one message shape.
 */
import type { OutputChunk } from '../sandbox/protocol.ts';
import type { ToolOutcome } from './tools.ts';
import type { AgentError, AgentEvent, AgentEventListener, ChatMessage, FinishReason, ToolCallRecord, ToolName } from './types.ts';

/** A fresh id; `crypto.randomUUID` is missing on plain-http pages, hence the fallback. */
export function newId(prefix = 'msg'): string {
  const uuid = globalThis.crypto?.randomUUID?.();
  return `${prefix}-${uuid ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`}`;
}

export class MessageRecorder {
  readonly message: ChatMessage;
  private readonly calls = new Map<string, ToolCallRecord>();
  private ended = false;

  constructor(
    private readonly listener: AgentEventListener | undefined,
    id: string = newId(),
  ) {
    this.message = { id, role: 'assistant', content: '', status: 'streaming' };
  }

  get id(): string {
    return this.message.id;
  }

  start(): void {
    this.emit({ type: 'start', messageId: this.id });
  }

  text(delta: string): void {
    if (!delta || this.ended) return;
    this.message.content += delta;
    this.emit({ type: 'text-delta', messageId: this.id, text: delta });
  }

  /** Announces a tool call; a second announcement of the same id is ignored. */
  toolStart(id: string, tool: ToolName, input: unknown): void {
    if (this.calls.has(id) || this.ended) return;
    const call: ToolCallRecord = { id, tool, input, state: 'running', textOffset: this.message.content.length };
    this.calls.set(id, call);
    (this.message.toolCalls ??= []).push(call);
    this.emit({ type: 'tool-call-start', messageId: this.id, call: { ...call } });
  }

  hasTool(id: string): boolean {
    return this.calls.has(id);
  }

  isRunning(id: string): boolean {
    return this.calls.get(id)?.state === 'running';
  }

  toolOutput(id: string, chunk: OutputChunk): void {
    if (!this.isRunning(id) || this.ended || !chunk.text) return;
    this.emit({ type: 'tool-output', messageId: this.id, toolCallId: id, stream: chunk.stream, text: chunk.text });
  }

  /** Settles a running tool call; later outcomes for the same id are ignored. */
  toolEnd(id: string, outcome: ToolOutcome): void {
    const call = this.calls.get(id);
    if (!call || call.state !== 'running') return;
    if (outcome.ok) {
      call.state = 'done';
      call.result = outcome.result;
    } else {
      call.state = 'error';
      call.error = outcome.error;
    }
    if (!this.ended) this.emit({ type: 'tool-call-end', messageId: this.id, call: { ...call } });
  }

  /** Whether some tool call has not settled yet. */
  hasRunningTools(): boolean {
    return [...this.calls.values()].some((call) => call.state === 'running');
  }

  stepFinish(step: number, finishReason: string): void {
    this.emit({ type: 'step-finish', messageId: this.id, step, finishReason });
  }

  finish(reason: FinishReason = 'stop'): ChatMessage {
    return this.end('done', (message) => ({ type: 'finish', messageId: this.id, reason, message }));
  }

  stop(): ChatMessage {
    this.settleRunning('Stopped.');
    return this.end('stopped', (message) => ({ type: 'stopped', messageId: this.id, message }));
  }

  fail(error: AgentError): ChatMessage {
    this.settleRunning('The agent turn ended before this call finished.');
    this.message.error = error.message;
    return this.end('error', (message) => ({ type: 'error', messageId: this.id, error, message }));
  }

  private settleRunning(reason: string): void {
    for (const call of this.calls.values()) if (call.state === 'running') this.toolEnd(call.id, { ok: false, error: reason });
  }

  private end(status: NonNullable<ChatMessage['status']>, event: (message: ChatMessage) => AgentEvent): ChatMessage {
    if (!this.ended) {
      this.ended = true;
      this.message.status = status;
      this.emit(event(snapshot(this.message)));
    }
    return snapshot(this.message);
  }

  private emit(event: AgentEvent): void {
    try {
      this.listener?.(event);
    } catch {
      // A faulty listener must not break the agent turn.
    }
  }
}

/** A copy of a message the caller may keep and mutate. */
export function snapshot(message: ChatMessage): ChatMessage {
  return {
    ...message,
    ...(message.toolCalls ? { toolCalls: message.toolCalls.map((call) => ({ ...call })) } : {}),
  };
}
