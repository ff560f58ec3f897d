import { describe, expect, it } from 'vitest';
import { toModelMessages } from './history.ts';
import type { ChatMessage } from './types.ts';

describe('toModelMessages', () => {
  it('rebuilds text / tool-call / tool-result order from text offsets', () => {
    const history: ChatMessage[] = [
      { id: 'u', role: 'user', content: 'go' },
      {
        id: 'a',
        role: 'assistant',
        status: 'done',
        content: 'First.Then.Done.',
        toolCalls: [
          { id: 'c1', tool: 'write_file', input: { path: 'a.py', content: 'x' }, state: 'done', result: { kind: 'write', path: 'a.py', bytes: 1 }, textOffset: 6 },
          { id: 'c2', tool: 'read_file', input: '{"pa', state: 'error', error: 'Invalid input', textOffset: 11 },
          { id: 'c3', tool: 'list_files', input: {}, state: 'running', textOffset: 11 },
        ],
      },
    ];
    expect(toModelMessages(history)).toEqual([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: [{ type: 'text', text: 'First.' }, { type: 'tool-call', toolCallId: 'c1', toolName: 'write_file', input: { path: 'a.py', content: 'x' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'write_file', output: { type: 'json', value: { written: 'a.py', bytes: 1 } } }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Then.' },
          { type: 'tool-call', toolCallId: 'c2', toolName: 'read_file', input: {} },
          { type: 'tool-call', toolCallId: 'c3', toolName: 'list_files', input: {} },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'c2', toolName: 'read_file', output: { type: 'error-text', value: 'Invalid input' } },
          { type: 'tool-result', toolCallId: 'c3', toolName: 'list_files', output: { type: 'error-text', value: 'The call was interrupted.' } },
        ],
      },
      { role: 'assistant', content: 'Done.' },
    ]);
  });

  it('drops empty messages (e.g. a failed turn with nothing streamed)', () => {
    const history: ChatMessage[] = [
      { id: 'u', role: 'user', content: 'hi' },
      { id: 'a', role: 'assistant', content: '', status: 'error', error: 'wrong key' },
    ];
    expect(toModelMessages(history)).toEqual([{ role: 'user', content: 'hi' }]);
  });
});
