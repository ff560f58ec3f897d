import Editor from '@monaco-editor/react';
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
  onChange(text: string): void;
  onRun(): void;
}

/** Monaco, one model per workspace file (so undo history survives tab switches). Loaded lazily. */
export default function CodeEditor({ path, value, fontSize, onChange, onRun }: CodeEditorProps) {
  return (
    <Editor
      path={path}
      value={value}
      language={monacoLanguage(path)}
      theme="vs-dark"
      options={{ fontSize, minimap: { enabled: false }, automaticLayout: true, scrollBeyondLastLine: false, tabSize: 4 }}
      onChange={(text) => onChange(text ?? '')}
      onMount={(editor) => {
        editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, onRun);
      }}
    />
  );
}
