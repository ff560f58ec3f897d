import type { ChatMessage } from '../agent/types.ts';

/**
 * Conversations are stored per project in OPFS at `chats/<project>.json`, outside the project's
 * workspace folder, so code running in the sandbox can never read or rewrite them.
 */
async function chatsDir(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle('chats', { create: true });
}

export async function loadChat(projectId: string): Promise<ChatMessage[]> {
  try {
    const file = await (await (await chatsDir()).getFileHandle(`${projectId}.json`)).getFile();
    const parsed = JSON.parse(await file.text()) as unknown;
    return Array.isArray(parsed) ? (parsed as ChatMessage[]).filter((m) => m && typeof m.content === 'string' && (m.role === 'user' || m.role === 'assistant')) : [];
  } catch {
    return [];
  }
}

export async function saveChat(projectId: string, messages: ChatMessage[]): Promise<void> {
  const handle = await (await chatsDir()).getFileHandle(`${projectId}.json`, { create: true });
  const writable = await handle.createWritable();
  await writable.write(JSON.stringify(messages));
  await writable.close();
}

export async function deleteChat(projectId: string): Promise<void> {
  await (await chatsDir()).removeEntry(`${projectId}.json`).catch(() => undefined);
}
