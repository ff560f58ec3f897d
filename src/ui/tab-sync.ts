/**
 * Tabs of this app on the same project tell each other what they saved (BroadcastChannel), so no
 * tab silently overwrites another's work: files are saved per file and the last save wins, and
 * the other tab is told at once (it reloads what it has not edited, and warns where it has).
 */
export type TabMessage =
  | { kind: 'hello' | 'here'; project: string; tab: string }
  | { kind: 'saved'; project: string; tab: string; path: string }
  | { kind: 'workspace'; project: string; tab: string };

const thisTab = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel('isobox:tabs');

type Announcement = { kind: 'hello' | 'here' | 'workspace' } | { kind: 'saved'; path: string };

/** Tells the other tabs about this tab's project: that it opened, saved a file, or ran something. */
export function announce(project: string, message: Announcement): void {
  if (project === 'embed') return; // Embeds keep their files in memory: nothing is shared between tabs.
  channel?.postMessage({ ...message, project, tab: thisTab } satisfies TabMessage);
}

/** Subscribes to what other tabs announce; returns an unsubscribe function. */
export function onOtherTab(listener: (message: TabMessage) => void): () => void {
  const handle = (event: MessageEvent<TabMessage>): void => {
    const message = event.data;
    if (message && typeof message === 'object' && message.tab !== thisTab && typeof message.project === 'string') listener(message);
  };
  channel?.addEventListener('message', handle);
  return () => channel?.removeEventListener('message', handle);
}
