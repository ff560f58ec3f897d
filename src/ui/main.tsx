import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './app.css';
import { registerServiceWorker, willReloadForIsolation } from './register-sw.ts';
import { prestartSandbox, pythonSettled } from './sandbox-client.ts';

// Before anything else: Python's start-up is the long pole, so its worker starts first (unless
// this page is about to reload once for cross-origin isolation).
if (!willReloadForIsolation()) prestartSandbox();

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
registerServiceWorker(pythonSettled(30_000));
