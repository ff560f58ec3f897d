import { useEffect, useRef } from 'react';
import { monaco } from '../editor/monaco.ts';
import { debugLocation } from '../store/debug-slice.ts';
import { useStore } from '../store/store.ts';

/** Editor options the debugger needs: a glyph margin for the breakpoint dots. */
export const DEBUG_EDITOR_OPTIONS = { glyphMargin: true } as const;

const NO_LINES: number[] = [];

/**
 * Breakpoints and the paused line in a Monaco editor: a click in the glyph margin or F9 toggles a
 * breakpoint (red dot) on that line of `path`; the line the debugger is at is highlighted and
 * scrolled into view.
 */
export function useDebugEditor(editor: monaco.editor.IStandaloneCodeEditor | undefined, path: string): void {
  const lines = useStore((s) => s.breakpoints[path] ?? NO_LINES);
  const location = useStore((s) => debugLocation(s));
  const pathRef = useRef(path);
  useEffect(() => {
    pathRef.current = path;
  }, [path]);
  const decorations = useRef<monaco.editor.IEditorDecorationsCollection | undefined>(undefined);

  useEffect(() => {
    if (!editor) return;
    decorations.current = editor.createDecorationsCollection();
    const toggle = (line: number): void => useStore.getState().toggleBreakpoint(pathRef.current, line);
    const click = editor.onMouseDown((event) => {
      if (event.target.type === monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN && event.target.position) toggle(event.target.position.lineNumber);
    });
    const action = editor.addAction({
      id: 'isobox.toggle-breakpoint',
      label: 'Toggle breakpoint',
      keybindings: [monaco.KeyCode.F9],
      run: (ed) => {
        const position = ed.getPosition();
        if (position) toggle(position.lineNumber);
      },
    });
    return () => {
      click.dispose();
      action.dispose();
      decorations.current?.clear();
    };
  }, [editor]);

  const line = location && location.file === path ? location.line : undefined;
  useEffect(() => {
    const collection = decorations.current;
    if (!editor || !collection) return;
    const dots = lines.map((l) => ({
      range: new monaco.Range(l, 1, l, 1),
      options: { glyphMarginClassName: 'debug-breakpoint-glyph', glyphMarginHoverMessage: { value: `Breakpoint at line ${l}` }, stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges },
    }));
    const current = line === undefined ? [] : [{ range: new monaco.Range(line, 1, line, 1), options: { isWholeLine: true, className: 'debug-current-line', linesDecorationsClassName: 'debug-current-glyph' } }];
    collection.set([...dots, ...current]);
    if (line !== undefined) editor.revealLineInCenterIfOutsideViewport(line);
  }, [editor, lines, line, path]);
}
