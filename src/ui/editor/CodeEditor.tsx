import Editor from '@monaco-editor/react';
import { useEffect, useState } from 'react';
import { DEBUG_EDITOR_OPTIONS, useDebugEditor } from '../debug/useDebugEditor.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { monaco } from './monaco.ts';

const MONACO_LANGUAGES: Record<string, string> = {
  py: 'python',
  rb: 'ruby',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  js: 'javascript',
  ts: 'typescript',
  json: 'json',
  md: 'markdown',
  sh: 'shell',
  html: 'html',
  css: 'css',
  txt: 'plaintext',
};

function monacoLanguage(path: string): string {
  return MONACO_LANGUAGES[path.slice(path.lastIndexOf('.') + 1).toLowerCase()] ?? 'plaintext';
}

export interface CodeEditorProps {
  path: string;
  value: string;
  fontSize: number;
  /** Problems from the last run, shown as markers on the lines they name. */
  diagnostics: Diagnostic[];
  onChange(text: string): void;
  onRun(): void;
}

const SEVERITY = { error: monaco.MarkerSeverity.Error, warning: monaco.MarkerSeverity.Warning, info: monaco.MarkerSeverity.Info };

/** Monaco, one model per workspace file (so undo history survives tab switches). Loaded lazily. */
export default function CodeEditor({ path, value, fontSize, diagnostics, onChange, onRun }: CodeEditorProps) {
  const [editor, setEditor] = useState<monaco.editor.IStandaloneCodeEditor>();
  useDebugEditor(editor, path);

  useEffect(() => {
    const model = editor?.getModel();
    if (!model) return;
    const markers = diagnostics
      .filter((d) => d.path === path)
      .map((d) => ({
        severity: SEVERITY[d.severity],
        message: d.message,
        startLineNumber: d.line,
        startColumn: d.column,
        endLineNumber: d.line,
        endColumn: model.getLineMaxColumn(Math.min(d.line, model.getLineCount())),
      }));
    monaco.editor.setModelMarkers(model, 'isobox', markers);
  }, [editor, diagnostics, path, value]);

  return (
    <Editor
      path={path}
      value={value}
      language={monacoLanguage(path)}
      theme="vs-dark"
      options={{ ...DEBUG_EDITOR_OPTIONS, fontSize, minimap: { enabled: false }, automaticLayout: true, scrollBeyondLastLine: false, tabSize: 4 }}
      onChange={(text) => onChange(text ?? '')}
      onMount={(mounted) => {
        mounted.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, onRun);
        setEditor(mounted);
      }}
    />
  );
}
