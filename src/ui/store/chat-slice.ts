import type { StateCreator } from 'zustand';
import { isToolName, type AgentEvent, type ChatMessage, type ToolCallRecord, type ToolResult } from '../../agent/types.ts';
import type { ShareChatMessage } from '../../share/format.ts';
import { deleteChat, loadChat, saveChat } from '../chat-persistence.ts';
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
  /** Re-runs every tool call of the conversation, one by one, in this sandbox. */
  replay(): Promise<void>;
  clearChat(): Promise<void>;
  loadProjectChat(projectId: string): Promise<void>;
  forgetChat(projectId: string): Promise<void>;
  persistChatCopy(fromProjectId: string): Promise<void>;
  shareableChat(): ShareChatMessage[];
  loadSharedChat(chat: ShareChatMessage[]): void;
}

let controller: AbortController | undefined;
let messageCounter = 0;

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
  return !!v && typeof v === 'object' && (v.kind === 'run' || v.kind === 'write' || v.kind === 'read' || v.kind === 'list');
}

export const createChatSlice: StateCreator<AppState, [], [], ChatSlice> = (set, get) => {
  const persist = async (): Promise<void> => {
    const project = get().project;
    if (project) await saveChat(project.id, get().messages).catch(() => undefined);
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

  const onEvent = (event: AgentEvent): void => {
    switch (event.type) {
      case 'start':
        set({ messages: [...get().messages, { id: event.messageId, role: 'assistant', content: '', status: 'streaming' }] });
        break;
      case 'text-delta':
        updateMessage(event.messageId, (m) => ({ ...m, content: m.content + event.text }));
        break;
      case 'tool-call-start':
        updateCall(event.messageId, event.call);
        break;
      case 'tool-output':
        set({ liveOutput: { ...get().liveOutput, [event.toolCallId]: (get().liveOutput[event.toolCallId] ?? '') + event.text } });
        break;
      case 'tool-call-end':
        updateCall(event.messageId, event.call);
        void afterToolCall(event.call);
        break;
      case 'finish':
      case 'error':
      case 'stopped':
        updateMessage(event.messageId, () => event.message);
        break;
      case 'step-finish':
        break;
    }
  };

  return {
    messages: [],
    agentRunning: false,
    liveOutput: {},

    async sendMessage(text) {
      const userText = text.trim();
      if (!userText || get().agentRunning) return;
      // Busy from here on, so a second send while the project still opens is refused.
      set({ agentRunning: true });
      controller = new AbortController();
      await projectOpen();
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
    },

    stopAgent() {
      controller?.abort();
    },

    async replay() {
      if (get().agentRunning) return;
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
    },

    async clearChat() {
      controller?.abort();
      set({ messages: [] });
      await persist();
    },

    async loadProjectChat(projectId) {
      const shown = get().messages;
      const messages = await loadChat(projectId);
      // A chat set while this one loaded (a shared link's, a new message) wins over the stored one.
      if (get().project?.id === projectId && get().messages === shown) {
        // A chat interrupted by a reload is no longer streaming.
        set({ messages: messages.map((m) => (m.status === 'streaming' ? { ...m, status: 'stopped' } : m)) });
      }
    },

    async forgetChat(projectId) {
      await deleteChat(projectId);
    },

    async persistChatCopy(fromProjectId) {
      const messages = await loadChat(fromProjectId);
      set({ messages });
      await persist();
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
      void persist();
    },
  };
};
