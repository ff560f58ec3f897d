import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';

// Monaco's own `new URL(…)` worker loading breaks after `vite build`; hand it vite-bundled workers.
self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
// Use the bundled copy, never the CDN loader.
loader.config({ monaco });

export { monaco };
