import { useEffect } from 'react';
import { Group, Panel, Separator } from 'react-resizable-panels';
import { ChatPane } from './components/ChatPane.tsx';
import { EditorPane } from './components/EditorPane.tsx';
import { FileTree } from './components/FileTree.tsx';
import { Header } from './components/Header.tsx';
import { Notice } from './components/Notice.tsx';
import { Terminal } from './terminal/Terminal.tsx';
import { onRuntimeStatus } from './sandbox-client.ts';
import { useStore } from './store/store.ts';

/** The playground: header, file tree, editor over terminal, chat. */
export function App() {
  useEffect(() => {
    const off = onRuntimeStatus((status) => useStore.getState().setRuntimeStatus(status));
    void useStore.getState().boot();
    const save = (): void => void useStore.getState().flush();
    const onVisibility = (): void => {
      if (document.visibilityState === 'hidden') save();
    };
    window.addEventListener('pagehide', save);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      off();
      window.removeEventListener('pagehide', save);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);

  return (
    <div className="app">
      <Header />
      <Notice />
      <Group orientation="horizontal" className="main">
        <Panel defaultSize="16" minSize="8" className="pane">
          <FileTree />
        </Panel>
        <Separator className="sep sep-v" />
        <Panel defaultSize="56" minSize="25" className="pane">
          <Group orientation="vertical">
            <Panel defaultSize="62" minSize="15" className="pane">
              <EditorPane />
            </Panel>
            <Separator className="sep sep-h" />
            <Panel defaultSize="38" minSize="10" className="pane">
              <Terminal />
            </Panel>
          </Group>
        </Panel>
        <Separator className="sep sep-v" />
        <Panel defaultSize="28" minSize="12" className="pane">
          <ChatPane />
        </Panel>
      </Group>
    </div>
  );
}
