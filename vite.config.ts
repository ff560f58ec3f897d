import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Cross-origin isolation (SharedArrayBuffer for interrupts) on the dev and preview servers. */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export default defineConfig({
  base: process.env.ISOBOX_BASE ?? '/',
  plugins: [react()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
    assetsInlineLimit: 0,
  },
  optimizeDeps: { exclude: ['pyodide', '@yowasp/clang', '@ruby/wasm-wasi'] },
});
