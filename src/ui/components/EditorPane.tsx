import { lazy, Suspense, useMemo, useState } from 'react';
import { parseDiagnostics } from '../diagnostics.ts';
import { previewKind } from '../preview/kind.ts';
import { DebugPanel } from '../debug/DebugPanel.tsx';
import { useStore } from '../store/store.ts';
import { PackagesPrompt } from './PackagesPrompt.tsx';
import { Preview } from './Preview.tsx';

// Monaco is large: keep it out of the first paint.
const CodeEditor = lazy(() => import('../editor/CodeEditor.tsx'));

/** Tabs of open files over the editor. */
export function EditorPane() {
  const openTabs = useStore((s) => s.openTabs);
  const activePath = useStore((s) => s.activePath);
  const buffer = useStore((s) => (s.activePath ? s.buffers[s.activePath] : undefined));
  const dirty = useStore((s) => s.dirty);
  const openFile = useStore((s) => s.openFile);
  const closeTab = useStore((s) => s.closeTab);
  const editBuffer = useStore((s) => s.editBuffer);
  const runActive = useStore((s) => s.runActive);
  const fontSize = useStore((s) => s.fontSize);
  const stderr = useStore((s) => s.lastResult?.stderr ?? '');
  const diagnostics = useMemo(() => parseDiagnostics(stderr), [stderr]);
  // Paths whose source the user asked to see instead of their preview.
  const [sourceShown, setSourceShown] = useState<Record<string, boolean>>({});
  const kind = activePath ? previewKind(activePath) : undefined;
  const previewing = kind !== undefined && activePath !== undefined && !sourceShown[activePath];

  return (
    <section className="editor-pane" aria-label="Editor">
      {/* Python runs from anywhere (Run, the terminal, the agent) may ask here before loading packages. */}
      <PackagesPrompt />
      <div className="tabs" role="tablist">
        {openTabs.map((path) => (
          <div key={path} role="tab" aria-selected={path === activePath} className={`tab${path === activePath ? ' active' : ''}`} data-tab={path}>
            <button type="button" className="tab-name" onClick={() => void openFile(path)}>
              {path.slice(path.lastIndexOf('/') + 1)}
              {dirty[path] ? ' •' : ''}
            </button>
            <button type="button" className="tab-close" aria-label={`Close ${path}`} onClick={() => closeTab(path)}>
              ×
            </button>
          </div>
        ))}
      </div>
      {kind && activePath && (
        <div className="preview-toolbar">
          <label>
            <input type="checkbox" role="switch" aria-label="View source" data-testid="preview-source-switch" checked={!previewing} onChange={(e) => setSourceShown({ ...sourceShown, [activePath]: e.target.checked })} />
            View source
          </label>
        </div>
      )}
      <div className="editor-body">
        {previewing && buffer ? (
          <Preview path={activePath} kind={kind} {...(buffer.kind === 'text' ? { text: buffer.text } : {})} />
        ) : !activePath || !buffer ? (
          <p className="placeholder">Open a file from the tree, or create one with +.</p>
        ) : buffer.kind === 'binary' ? (
          <p className="placeholder">
            {activePath} is a binary file ({buffer.size.toLocaleString()} bytes).
            {activePath.endsWith('.wasm') ? ` Run it from the terminal: ./${activePath}` : ''}
          </p>
        ) : (
          <Suspense fallback={<p className="placeholder">Loading editor…</p>}>
            <CodeEditor path={activePath} value={buffer.text} fontSize={fontSize} diagnostics={diagnostics} onChange={(text) => editBuffer(activePath, text)} onRun={() => void runActive()} />
          </Suspense>
        )}
      </div>
      <DebugPanel />
    </section>
  );
}
