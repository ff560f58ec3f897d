import type { StateCreator } from 'zustand';
import { isToolName, type AgentEvent, type ChatMessage, type ToolCallRecord, type ToolResult } from '../../agent/types.ts';
import type { ShareChatMessage } from '../../share/format.ts';
import { deleteChat, loadChat, mirrorChat, saveChat } from '../chat-persistence.ts';
import { sandbox } from '../sandbox-client.ts';
import { projectOpen } from './opening.ts';
import type { AppState } from './store.ts';

export interface ChatSlice {
  messages: ChatMessage[];
  agentRunning: boolean;
  /** Live output of running tool calls, by tool call id. */
  liveOutput: Record<string, string>;
  sendMessage(text: string): Promise<void>;
  stopAgent(): void;
  /** Stops the agent's turn (or Replay) and resolves once it has ended and its chat is saved. */
  stopAgentAndWait(): Promise<void>;
  /** Re-runs every tool call of the conversation, one by one, in this sandbox. */
  replay(): Promise<void>;
  clearChat(): Promise<void>;
  loadProjectChat(projectId: string): Promise<void>;
  forgetChat(projectId: string): Promise<void>;
  persistChatCopy(fromProjectId: string): Promise<void>;
  /** Saves what the chat shows synchronously (for `pagehide`: a closed tab keeps a streaming reply). */
  saveChatNow(): void;
  shareableChat(): ShareChatMessage[];
  loadSharedChat(chat: ShareChatMessage[]): void;
}

let controller: AbortController | undefined;
/** The agent turn or Replay in progress, settled once its chat is saved. */
let turn: Promise<void> | undefined;
/** Loading the open project's stored chat; a send waits for it, so the history is never dropped. */
let loading: Promise<void> = Promise.resolve();
/** The project whose chat the store holds; nothing is saved before it has loaded (it would overwrite the stored chat). */
let loadedFor: string | undefined;
let messageCounter = 0;

/** While a reply streams, what it has shown so far is saved at least this often. */
const SAVE_EVERY_MS = 500;

/** A tool call that was running when the page went away: it will never finish. */
function interrupted(message: ChatMessage): ChatMessage {
  const toolCalls = message.toolCalls?.map((call): ToolCallRecord => (call.state === 'running' ? { ...call, state: 'error', error: 'interrupted: the page was reloaded or closed while it ran' } : call));
  return { ...message, ...(message.status === 'streaming' ? { status: 'stopped' } : {}), ...(toolCalls ? { toolCalls } : {}) };
}

function newId(prefix: string): string {
  messageCounter += 1;
  return `${prefix}-${Date.now().toString(36)}-${messageCounter}`;
}

/** A compact result for links: enough to show, while Replay re-runs the real thing. */
function compactResult(result: ToolResult | undefined): unknown {
  if (!result) return undefined;
  if (result.kind === 'run') return { kind: 'run', status: result.status, exitCode: result.exitCode, stdout: result.stdout.slice(0, 2000), stderr: result.stderr.slice(0, 2000) };
  if (result.kind === 'write') return result;
  return undefined;
}

function isToolResult(value: unknown): value is ToolResult {
  const v = value as { kind?: unknown } | null;
  return !!v && typeof v === 'object' && (v.kind === 'run' || v.kind === 'write' || v.kind === 'read' || v.kind === 'list' || v.kind === 'debug');
}

export const createChatSlice: StateCreator<AppState, [], [], ChatSlice> = (set, get) => {
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const persist = async (): Promise<void> => {
    flushText();
    clearTimeout(saveTimer);
    saveTimer = undefined;
    const project = get().project;
    if (project && project.id === loadedFor) await saveChat(project.id, get().messages).catch(() => undefined);
  };
  /** Throttled save for streamed text; tool-call boundaries and the end of a reply save at once. */
  const persistSoon = (): void => {
    saveTimer ??= setTimeout(() => void persist(), SAVE_EVERY_MS);
  };

  const updateMessage = (id: string, update: (message: ChatMessage) => ChatMessage): void => {
    set({ messages: get().messages.map((m) => (m.id === id ? update(m) : m)) });
  };

  const updateCall = (messageId: string, call: ToolCallRecord): void => {
    updateMessage(messageId, (m) => {
      const calls = m.toolCalls ?? [];
      const known = calls.some((c) => c.id === call.id);
      return { ...m, toolCalls: known ? calls.map((c) => (c.id === call.id ? call : c)) : [...calls, call] };
    });
  };

  const afterToolCall = async (call: ToolCallRecord): Promise<void> => {
    const result = call.result;
    if (!result) return;
    const changed = result.kind === 'run' ? result.filesChanged : result.kind === 'write' ? [result.path] : [];
    if (changed.length === 0) return;
    // A run's changes reach the tree through onWorkspaceChanged; a write_file is not a run.
    if (result.kind === 'write') await get().refreshTree();
    await get().reloadChanged(changed);
  };

  /** Text deltas waiting for the next frame, by message: the store (and React) update once per frame, not per token. */
  const pendingText = new Map<string, string>();
  let textScheduled = false;
  const flushText = (): void => {
    for (const [id, text] of pendingText) updateMessage(id, (m) => ({ ...m, content: m.content + text }));
    pendingText.clear();
  };
  const appendText = (messageId: string, text: string): void => {
    pendingText.set(messageId, (pendingText.get(messageId) ?? '') + text);
    if (textScheduled) return;
    textScheduled = true;
    const apply = (): void => {
      textScheduled = false;
      flushText();
      persistSoon();
    };
    // Hidden tabs get no animation frames: a timer keeps their chat (and its saves) current.
    if (document.visibilityState === 'visible') requestAnimationFrame(apply);
    else setTimeout(apply, 250);
  };

  const onEvent = (event: AgentEvent): void => {
    if (event.type !== 'text-delta') flushText();
    switch (event.type) {
      case 'start':
        set({ messages: [...get().messages, { id: event.messageId, role: 'assistant', content: '', status: 'streaming' }] });
        persistSoon();
        break;
      case 'text-delta':
        appendText(event.messageId, event.text);
        break;
      case 'tool-call-start':
        updateCall(event.messageId, event.call);
        void persist();
        break;
      case 'tool-output':
        set({ liveOutput: { ...get().liveOutput, [event.toolCallId]: (get().liveOutput[event.toolCallId] ?? '') + event.text } });
        break;
      case 'tool-call-end':
        updateCall(event.messageId, event.call);
        void persist();
        void afterToolCall(event.call);
        break;
      case 'finish':
      case 'error':
      case 'stopped':
        updateMessage(event.messageId, () => event.message);
        void persist();
        break;
      case 'step-finish':
        break;
    }
  };

  const sendNow = async (userText: string): Promise<void> => {
    // Busy from here on, so a second send while the project still opens is refused.
    set({ agentRunning: true });
    controller = new AbortController();
    await projectOpen();
    await loading;
    await get().flush();
    const history = get().messages;
    set({ messages: [...history, { id: newId('user'), role: 'user', content: userText }] });
    await persist();
    const { settings } = get();
    try {
      // The agent (AI SDK, providers) loads on first use, keeping it out of the first paint.
      const { runAgent } = await import('../../agent/loop.ts');
      await runAgent({
        sandbox: sandbox(),
        settings,
        history,
        userText,
        maxSteps: settings.maxSteps,
        signal: controller.signal,
        onEvent,
      });
    } finally {
      controller = undefined;
      set({ agentRunning: false, liveOutput: {} });
      await persist();
    }
  };

  const replayNow = async (): Promise<void> => {
    set({ agentRunning: true });
    controller = new AbortController();
    const signal = controller.signal;
    try {
      const { runTool } = await import('../../agent/tools.ts');
      for (const message of get().messages) {
        for (const call of message.toolCalls ?? []) {
          if (signal.aborted) return;
          if (!isToolName(call.tool)) continue;
          const running: ToolCallRecord = { ...call, state: 'running', result: undefined, error: undefined };
          updateCall(message.id, running);
          set({ liveOutput: { ...get().liveOutput, [call.id]: '' } });
          const outcome = await runTool(sandbox(), call.tool, call.input, {
            signal,
            onOutput: (chunk) => set({ liveOutput: { ...get().liveOutput, [call.id]: (get().liveOutput[call.id] ?? '') + chunk.text } }),
          });
          const done: ToolCallRecord = outcome.ok ? { ...running, state: 'done', result: outcome.result } : { ...running, state: 'error', error: outcome.error };
          updateCall(message.id, done);
          await afterToolCall(done);
        }
      }
    } finally {
      controller = undefined;
      set({ agentRunning: false, liveOutput: {} });
      await persist();
    }
  };

  return {
    messages: [],
    agentRunning: false,
    liveOutput: {},

    sendMessage(text) {
      const userText = text.trim();
      if (!userText || get().agentRunning) return Promise.resolve();
      turn = sendNow(userText);
      return turn;
    },

    stopAgent() {
      controller?.abort();
    },

    async stopAgentAndWait() {
      controller?.abort();
      await turn?.catch(() => undefined);
    },

    replay() {
      if (get().agentRunning) return Promise.resolve();
      turn = replayNow();
      return turn;
    },
    async clearChat() {
      controller?.abort();
      set({ messages: [] });
      loadedFor = get().project?.id;
      await persist();
    },

    loadProjectChat(projectId) {
      loadedFor = undefined;
      loading = (async () => {
        const shown = get().messages;
        const messages = await loadChat(projectId);
        if (get().project?.id !== projectId) return;
        loadedFor = projectId;
        // A chat set while this one loaded (a shared link's) wins over the stored one.
        // A reply or tool call cut off by a reload is no longer streaming or running.
        if (get().messages === shown) set({ messages: messages.map(interrupted) });
      })();
      return loading;
    },

    async forgetChat(projectId) {
      await deleteChat(projectId);
    },

    async persistChatCopy(fromProjectId) {
      const messages = await loadChat(fromProjectId);
      set({ messages });
      loadedFor = get().project?.id;
      await persist();
    },

    saveChatNow() {
      flushText();
      const project = get().project;
      if (project && project.id === loadedFor) mirrorChat(project.id, get().messages);
    },

    shareableChat() {
      return get().messages.map((m): ShareChatMessage => {
        if (m.role === 'user') return { role: 'user', content: m.content };
        const toolCalls = (m.toolCalls ?? []).map((c) => {
          const result = compactResult(c.result);
          return { id: c.id, tool: c.tool, input: c.input, ...(result === undefined ? {} : { result }) };
        });
        return { role: 'assistant', content: m.content, ...(toolCalls.length > 0 ? { toolCalls } : {}) };
      });
    },

    loadSharedChat(chat) {
      const messages: ChatMessage[] = chat.flatMap((m): ChatMessage[] => {
        if (m.role === 'tool') return [];
        if (m.role === 'user') return [{ id: newId('user'), role: 'user', content: m.content }];
        const toolCalls: ToolCallRecord[] = (m.toolCalls ?? []).filter((c) => isToolName(c.tool)).map((c) => ({
          id: c.id,
          tool: c.tool as ToolCallRecord['tool'],
          input: c.input,
          state: 'done',
          ...(isToolResult(c.result) ? { result: c.result } : {}),
        }));
        return [{ id: newId('msg'), role: 'assistant', content: m.content, status: 'done', ...(toolCalls.length > 0 ? { toolCalls } : {}) }];
      });
      set({ messages });
      loadedFor = get().project?.id;
      void persist();
    },
  };
};
