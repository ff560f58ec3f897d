import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './app.css';
import { SetupScreen } from './components/SetupScreen.tsx';
import { registerServiceWorker, registerServiceWorkerNow, willReloadForIsolation } from './register-sw.ts';
import { prestartSandbox, pythonSettled } from './sandbox-client.ts';

/** If the one-time isolation reload has not come by then, the service worker cannot help: open the app anyway. */
const SETUP_TIMEOUT_MS = 60_000;

const element = document.getElementById('root');
if (!element) throw new Error('missing #root');
const root = createRoot(element);

/** The playground; Python's start-up is the long pole, so its worker starts first. */
function openApp(): void {
  prestartSandbox();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

if (willReloadForIsolation()) {
  // A header-less host's first visit: the page reloads once the service worker controls it.
  root.render(<SetupScreen />);
  const timer = setTimeout(openApp, SETUP_TIMEOUT_MS);
  void registerServiceWorkerNow().then((registered) => {
    if (registered) return;
    clearTimeout(timer);
    openApp();
  });
} else {
  openApp();
}
registerServiceWorker(pythonSettled(30_000));
