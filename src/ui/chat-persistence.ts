import type { ChatMessage } from '../agent/types.ts';

/**
 * Conversations are stored per project in OPFS at `chats/<project>.json`, outside the project's
 * workspace folder, so code running in the sandbox can never read or rewrite them.
 *
 * OPFS writes are asynchronous and die with the page, so every save first writes a synchronous
 * mirror to localStorage (`isobox:chat:<project>`): a reload or a closed tab right after a reply
 * appeared keeps it. Both copies carry the time of the save they hold (`Stored`); loading takes the
 * newer one, and a finished OPFS write drops a mirror that holds the same save.
 */
interface Stored {
  savedAt: number;
  messages: ChatMessage[];
}

const mirrorKey = (projectId: string): string => `isobox:chat:${projectId}`;

async function chatsDir(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle('chats', { create: true });
}

/** Keeps only well-formed messages from stored JSON. */
function messagesOf(parsed: unknown): ChatMessage[] {
  return Array.isArray(parsed) ? (parsed as ChatMessage[]).filter((m) => m && typeof m.content === 'string' && (m.role === 'user' || m.role === 'assistant')) : [];
}

/** A stored copy; a bare array is the format before saves carried their time. */
function storedOf(parsed: unknown): Stored | undefined {
  if (Array.isArray(parsed)) return { savedAt: 0, messages: messagesOf(parsed) };
  const stored = parsed as Partial<Stored> | null;
  return stored && typeof stored.savedAt === 'number' ? { savedAt: stored.savedAt, messages: messagesOf(stored.messages) } : undefined;
}

function readMirror(projectId: string): Stored | undefined {
  try {
    return storedOf(JSON.parse(localStorage.getItem(mirrorKey(projectId)) ?? 'null'));
  } catch {
    return undefined;
  }
}

/** Loads a project's conversation: the newer of the OPFS file and the mirror. */
export async function loadChat(projectId: string): Promise<ChatMessage[]> {
  const mirror = readMirror(projectId);
  let stored: Stored | undefined;
  try {
    const file = await (await (await chatsDir()).getFileHandle(`${projectId}.json`)).getFile();
    stored = storedOf(JSON.parse(await file.text()));
  } catch {
    stored = undefined;
  }
  const newer = mirror && (!stored || mirror.savedAt >= stored.savedAt) ? mirror : stored;
  return newer?.messages ?? [];
}

/** Writes the mirror now (synchronously: safe in `pagehide`). Returns its stamp. */
export function mirrorChat(projectId: string, messages: ChatMessage[]): number {
  const savedAt = Date.now();
  try {
    localStorage.setItem(mirrorKey(projectId), JSON.stringify({ savedAt, messages } satisfies Stored));
  } catch {
    // localStorage full: the OPFS write below still runs.
  }
  return savedAt;
}

/** One OPFS write at a time per project; a newer save waits for the one in flight. */
const writes = new Map<string, Promise<void>>();

/** Saves a conversation: the mirror at once, then the OPFS file. */
export function saveChat(projectId: string, messages: ChatMessage[]): Promise<void> {
  const savedAt = mirrorChat(projectId, messages);
  const previous = writes.get(projectId) ?? Promise.resolve();
  const next = previous.then(async () => {
    const handle = await (await chatsDir()).getFileHandle(`${projectId}.json`, { create: true });
    const writable = await handle.createWritable();
    await writable.write(JSON.stringify({ savedAt, messages } satisfies Stored));
    await writable.close();
    if (readMirror(projectId)?.savedAt === savedAt) localStorage.removeItem(mirrorKey(projectId));
  });
  const settled = next.catch(() => undefined);
  writes.set(projectId, settled);
  void settled.then(() => {
    if (writes.get(projectId) === settled) writes.delete(projectId);
  });
  return next;
}

export async function deleteChat(projectId: string): Promise<void> {
  localStorage.removeItem(mirrorKey(projectId));
  await (await chatsDir()).removeEntry(`${projectId}.json`).catch(() => undefined);
}
