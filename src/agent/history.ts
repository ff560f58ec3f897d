/**
 * Chat history → AI SDK model messages. Assistant messages with tool calls are split back into
 * the text / tool-call / tool-result sequence the model produced, using each call's `textOffset`.
 */
import type { ModelMessage, ToolResultPart, ToolCallPart } from 'ai';
import { modelView } from './tools.ts';
import type { ChatMessage, ToolCallRecord } from './types.ts';

/** Converts earlier messages of a conversation for the model. */
export function toModelMessages(history: ChatMessage[]): ModelMessage[] {
  const out: ModelMessage[] = [];
  for (const message of history) {
    if (message.role === 'user') {
      if (message.content.trim()) out.push({ role: 'user', content: message.content });
      continue;
    }
    out.push(...assistantMessages(message));
  }
  return out;
}

function assistantMessages(message: ChatMessage): ModelMessage[] {
  const calls = message.toolCalls ?? [];
  const out: ModelMessage[] = [];
  let cursor = 0;
  // Calls that started at the same text offset were made in the same step.
  const groups = new Map<number, ToolCallRecord[]>();
  for (const call of calls) {
    const offset = Math.min(Math.max(call.textOffset ?? message.content.length, 0), message.content.length);
    const group = groups.get(offset);
    if (group) group.push(call);
    else groups.set(offset, [call]);
  }
  for (const [offset, group] of [...groups.entries()].sort((a, b) => a[0] - b[0])) {
    const text = message.content.slice(cursor, offset);
    cursor = offset;
    const parts: Array<{ type: 'text'; text: string } | ToolCallPart> = [];
    if (text.trim()) parts.push({ type: 'text', text });
    for (const call of group) parts.push({ type: 'tool-call', toolCallId: call.id, toolName: call.tool, input: objectInput(call.input) });
    out.push({ role: 'assistant', content: parts });
    out.push({ role: 'tool', content: group.map(toolResultPart) });
  }
  const rest = message.content.slice(cursor);
  if (rest.trim()) out.push({ role: 'assistant', content: rest });
  return out;
}

function toolResultPart(call: ToolCallRecord): ToolResultPart {
  const base = { type: 'tool-result' as const, toolCallId: call.id, toolName: call.tool };
  if (call.state === 'done' && call.result) return { ...base, output: { type: 'json', value: modelView(call.result) } };
  const error = call.state === 'running' ? 'The call was interrupted.' : (call.error ?? 'The call failed.');
  return { ...base, output: { type: 'error-text', value: error } };
}

/** Providers need an object as tool input; malformed input was recorded as the raw string. */
function objectInput(input: unknown): Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}
