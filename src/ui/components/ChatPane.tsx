import { lazy, memo, Suspense, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ChatMessage, ToolCallRecord } from '../../agent/types.ts';
import { useFrameThrottled } from '../chat/use-frame-throttled.ts';
import { useStore, type AppState } from '../store/store.ts';
import { ToolCallCard } from './ToolCallCard.tsx';

const loadMarkdown = () => import('../chat/MessageMarkdown.tsx');
// Kept out of the first paint: the Markdown parser loads when the first agent message shows.
const MessageMarkdown = lazy(loadMarkdown);
/** How close to the bottom (px) the list must be for new text to keep it scrolled to the end. */
const STICK_TO_BOTTOM_PX = 48;
const selectMessages = (state: AppState): ChatMessage[] => state.messages;

/** The agent's chat: streamed messages with tool-call cards, an input, Send/Stop and Replay. */
export function ChatPane() {
  // At most one render (and layout) per frame however fast tokens arrive.
  const messages = useFrameThrottled(selectMessages);
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
  const atBottom = useRef(true);

  // Follow a streaming reply, unless the user scrolled up to read: then leave them there.
  useLayoutEffect(() => {
    const el = list.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [messages]);
  useEffect(() => {
    const idle = requestIdleCallback(() => void loadMarkdown().catch(() => undefined), { timeout: 3000 });
    return () => cancelIdleCallback(idle);
  }, []);
  const onScroll = (): void => {
    const el = list.current;
    if (el) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_TO_BOTTOM_PX;
  };

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
      <div className="chat-messages" data-testid="chat-messages" ref={list} onScroll={onScroll} aria-live="polite">
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

/** A stretch of a message's text, with its offset in the message (stable while it streams). */
interface TextPart {
  start: number;
  text: string;
}

/** The message's text with each tool-call card where the call happened (its `textOffset`). */
function interleave(message: ChatMessage): (TextPart | ToolCallRecord)[] {
  const parts: (TextPart | ToolCallRecord)[] = [];
  let at = 0;
  const calls = [...(message.toolCalls ?? [])].sort((a, b) => (a.textOffset ?? Infinity) - (b.textOffset ?? Infinity));
  for (const call of calls) {
    const offset = Math.min(call.textOffset ?? message.content.length, message.content.length);
    if (offset > at) parts.push({ start: at, text: message.content.slice(at, offset) });
    parts.push(call);
    at = Math.max(at, offset);
  }
  if (at < message.content.length) parts.push({ start: at, text: message.content.slice(at) });
  return parts.filter((part) => !('text' in part) || part.text.trim() !== '');
}

function isTextPart(part: TextPart | ToolCallRecord): part is TextPart {
  return 'text' in part;
}

/** An agent's text as Markdown (plain text until the renderer has loaded); a user's as typed. */
function MessageText({ message, part, last }: { message: ChatMessage; part: TextPart; last: boolean }) {
  const plain = <div className="chat-text">{part.text.trim()}</div>;
  if (message.role === 'user') return plain;
  return (
    <Suspense fallback={plain}>
      <MessageMarkdown id={`${message.id}+${part.start}`} text={part.text} streaming={last && message.status === 'streaming'} />
    </Suspense>
  );
}

/** One message; memoized, so while a reply streams the messages before it do not render again. */
const Message = memo(function Message({ message }: { message: ChatMessage }) {
  const parts = interleave(message);
  return (
    <article className={`chat-message ${message.role} status-${message.status ?? 'done'}`} data-testid="chat-message" data-role={message.role} data-status={message.status ?? 'done'}>
      <div className="chat-role">{message.role === 'user' ? 'You' : 'Agent'}</div>
      {parts.map((part, i) => (isTextPart(part) ? <MessageText key={`t${part.start}`} message={message} part={part} last={i === parts.length - 1} /> : <ToolCallCard key={part.id} call={part} />))}
      {message.status === 'streaming' && !message.content && !message.toolCalls?.length && <div className="chat-thinking">thinking…</div>}
      {message.status === 'stopped' && <div className="chat-note">stopped</div>}
      {message.status === 'error' && (
        <div className="chat-error" role="alert">
          {message.error}
        </div>
      )}
    </article>
  );
});
