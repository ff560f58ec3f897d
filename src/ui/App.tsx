import { useEffect } from 'react';
import { Group, Panel, Separator } from 'react-resizable-panels';
import { decodeShare } from '../share/codec.ts';
import { BottomPane } from './components/BottomPane.tsx';
import { ChatPane } from './components/ChatPane.tsx';
import { EditorPane } from './components/EditorPane.tsx';
import { FileTree } from './components/FileTree.tsx';
import { Header } from './components/Header.tsx';
import { Notice } from './components/Notice.tsx';
import { SettingsDialog } from './components/SettingsDialog.tsx';
import { SharePanel } from './components/SharePanel.tsx';
import { STARTERS } from './starters.ts';
import { installAutomation } from './automation.ts';
import { errorMessage } from './download.ts';
import { onRuntimeStatus } from './sandbox-client.ts';
import { whileOpening } from './store/opening.ts';
import { useStore } from './store/store.ts';

const embed = new URLSearchParams(location.search).has('embed');

/** Opens the app: a shared link into a new project (or in memory for embeds), else the last project. */
async function start(): Promise<void> {
  const store = useStore.getState();
  const hash = location.hash;
  const shared = hash.startsWith('#s=') ? decodeShare(hash) : undefined;
  if (embed) {
    if (shared?.ok) await store.bootEmbed(shared.payload.files, shared.payload.active);
    else await store.bootEmbed({ [STARTERS.python.file]: STARTERS.python.code }, STARTERS.python.file);
    if (shared && !shared.ok) store.setNotice({ kind: 'error', text: `This share link cannot be opened: ${shared.error.message}` });
    return;
  }
  await store.boot({ skipDefault: shared?.ok === true });
  if (shared) {
    // Opened once: a reload must not import the same link again.
    history.replaceState(null, '', location.pathname + location.search);
    if (!(await store.openShareLink(hash)) && !useStore.getState().project) await store.boot();
  }
}

/** A share link pasted into this tab's address bar (a hash change, no reload) opens too. */
function onHashChange(): void {
  const hash = location.hash;
  if (embed || !hash.startsWith('#s=')) return;
  history.replaceState(null, '', location.pathname + location.search);
  void useStore.getState().openShareLink(hash);
}

/** Presenter zoom from the keyboard: Ctrl/Cmd with +, − and 0. */
function onZoomKey(event: KeyboardEvent): void {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
  const delta = event.key === '+' || event.key === '=' ? 2 : event.key === '-' ? -2 : event.key === '0' ? 0 : undefined;
  if (delta === undefined) return;
  event.preventDefault();
  useStore.getState().zoom(delta);
}

/** The playground: header, file tree, editor over terminal, chat. `?embed` keeps editor and terminal only. */
export function App() {
  useEffect(() => {
    const off = onRuntimeStatus((status) => useStore.getState().setRuntimeStatus(status));
    installAutomation();
    whileOpening(start).catch((error: unknown) => {
      useStore.getState().setNotice({ kind: 'error', text: `Isobox could not open a project: ${errorMessage(error)}` });
    });
    // Fetch the agent's code once the page is idle, so the chat works even if the network drops later.
    const idle = requestIdleCallback(() => void import('../agent/loop.ts').catch(() => undefined), { timeout: 5000 });
    const save = (): void => {
      useStore.getState().saveChatNow();
      void useStore.getState().flush();
    };
    // The page goes away: a streamed reply ends as stopped (not as the error of its cut connection), saved as shown.
    // beforeunload comes before the browser cuts the page's connections; pagehide covers the rest.
    const leave = (): void => {
      useStore.getState().stopAgent();
      save();
    };
    const onVisibility = (): void => {
      if (document.visibilityState === 'hidden') save();
    };
    window.addEventListener('beforeunload', leave);
    window.addEventListener('pagehide', leave);
    window.addEventListener('keydown', onZoomKey);
    window.addEventListener('hashchange', onHashChange);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      off();
      cancelIdleCallback(idle);
      window.removeEventListener('beforeunload', leave);
      window.removeEventListener('pagehide', leave);
      window.removeEventListener('keydown', onZoomKey);
      window.removeEventListener('hashchange', onHashChange);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);

  const editorAndTerminal = (
    <Group orientation="vertical">
      <Panel defaultSize="62" minSize="15" className="pane">
        <EditorPane />
      </Panel>
      <Separator className="sep sep-h" />
      <Panel defaultSize="38" minSize="10" className="pane">
        <BottomPane withInspector={!embed} />
      </Panel>
    </Group>
  );

  if (embed) {
    return (
      <div className="app embed">
        <Header embed />
        <Notice />
        <div className="main">{editorAndTerminal}</div>
      </div>
    );
  }

  return (
    <div className="app">
      <Header />
      <Notice />
      <SharePanel />
      <Group orientation="horizontal" className="main">
        <Panel defaultSize="16" minSize="8" className="pane">
          <FileTree />
        </Panel>
        <Separator className="sep sep-v" />
        <Panel defaultSize="56" minSize="25" className="pane">
          {editorAndTerminal}
        </Panel>
        <Separator className="sep sep-v" />
        <Panel defaultSize="28" minSize="12" className="pane">
          <ChatPane />
        </Panel>
      </Group>
      <SettingsDialog />
    </div>
  );
}
