import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ChatMessage, ToolCallRecord } from '../../agent/types.ts';
import { useStore } from '../store/store.ts';
import { ToolCallCard } from './ToolCallCard.tsx';

/** The agent's chat: streamed messages with tool-call cards, an input, Send/Stop and Replay. */
export function ChatPane() {
  const messages = useStore((s) => s.messages);
  const agentRunning = useStore((s) => s.agentRunning);
  const sendMessage = useStore((s) => s.sendMessage);
  const stopAgent = useStore((s) => s.stopAgent);
  const replay = useStore((s) => s.replay);
  const clearChat = useStore((s) => s.clearChat);
  const provider = useStore((s) => s.settings.provider);
  const openSettings = useStore((s) => s.openSettings);
  const fontSize = useStore((s) => s.fontSize);
  const [text, setText] = useState('');
  const list = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages]);

  const send = (): void => {
    if (!text.trim() || agentRunning) return;
    const value = text;
    setText('');
    void sendMessage(value);
  };
  const onKey = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      send();
    }
  };
  const hasToolCalls = messages.some((m) => (m.toolCalls?.length ?? 0) > 0);

  return (
    <section className="chat" aria-label="Chat with the agent" style={{ fontSize: Math.max(12, fontSize - 1) }}>
      <div className="pane-title">
        <span>Agent · {provider === 'demo' ? 'Demo (offline)' : provider}</span>
        <span className="pane-actions">
          {hasToolCalls && (
            <button type="button" data-testid="chat-replay" disabled={agentRunning} onClick={() => void replay()} title="Run every tool call again, live">
              Replay
            </button>
          )}
          <button type="button" aria-label="Clear the conversation" title="Clear" disabled={agentRunning || messages.length === 0} onClick={() => void clearChat()}>
            ⌫
          </button>
        </span>
      </div>
      <div className="chat-messages" data-testid="chat-messages" ref={list} aria-live="polite">
        {messages.length === 0 && (
          <div className="chat-empty">
            {provider === 'demo' ? (
              <>
                <p>The Demo agent works offline, no key needed. Try:</p>
                {['write FizzBuzz in Python and run it', 'compile and run a C program', 'fix a failing test', 'count primes below 100'].map((idea) => (
                  <button key={idea} type="button" className="idea" onClick={() => void sendMessage(idea)}>
                    {idea}
                  </button>
                ))}
                <p>
                  Or connect a real model in <button type="button" className="link" onClick={() => openSettings(true)}>Settings</button>.
                </p>
              </>
            ) : (
              <p>Ask the agent to write and run code. It works in this project’s files.</p>
            )}
          </div>
        )}
        {messages.map((message) => (
          <Message key={message.id} message={message} />
        ))}
      </div>
      <div className="chat-input-row">
        <textarea
          data-testid="chat-input"
          aria-label="Message the agent"
          placeholder="Ask the agent to write and run code…"
          value={text}
          rows={2}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
        />
        {agentRunning ? (
          <button type="button" data-testid="chat-stop" className="stop" onClick={stopAgent}>
            Stop
          </button>
        ) : (
          <button type="button" data-testid="chat-send" onClick={send} disabled={!text.trim()}>
            Send
          </button>
        )}
      </div>
    </section>
  );
}

/** The message's text with each tool-call card where the call happened (its `textOffset`). */
function interleave(message: ChatMessage): (string | ToolCallRecord)[] {
  const parts: (string | ToolCallRecord)[] = [];
  let at = 0;
  const calls = [...(message.toolCalls ?? [])].sort((a, b) => (a.textOffset ?? Infinity) - (b.textOffset ?? Infinity));
  for (const call of calls) {
    const offset = Math.min(call.textOffset ?? message.content.length, message.content.length);
    if (offset > at) parts.push(message.content.slice(at, offset).trim());
    parts.push(call);
    at = Math.max(at, offset);
  }
  if (at < message.content.length) parts.push(message.content.slice(at).trim());
  return parts.filter((part) => part !== '');
}

function Message({ message }: { message: ChatMessage }) {
  return (
    <article className={`chat-message ${message.role} status-${message.status ?? 'done'}`} data-testid="chat-message" data-role={message.role} data-status={message.status ?? 'done'}>
      <div className="chat-role">{message.role === 'user' ? 'You' : 'Agent'}</div>
      {interleave(message).map((part, i) =>
        typeof part === 'string' ? (
          <div key={i} className="chat-text">
            {part}
          </div>
        ) : (
          <ToolCallCard key={part.id} call={part} />
        ),
      )}
      {message.status === 'streaming' && !message.content && !message.toolCalls?.length && <div className="chat-thinking">thinking…</div>}
      {message.status === 'stopped' && <div className="chat-note">stopped</div>}
      {message.status === 'error' && (
        <div className="chat-error" role="alert">
          {message.error}
        </div>
      )}
    </article>
  );
}
