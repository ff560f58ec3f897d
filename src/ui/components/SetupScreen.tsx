/**
 * Shown on the first visit to a host that sends no isolation headers, for the second or so until
 * the service worker takes control and the page reloads once (src/ui/register-sw.ts). Nothing can
 * be typed or run here, so nothing can be lost to that reload.
 */
export function SetupScreen() {
  return (
    <main className="setup-screen" data-testid="setup-screen" aria-busy="true">
      <h1>Isobox</h1>
      <p role="status">Preparing the sandbox for this site (first visit only; the page reloads once)…</p>
    </main>
  );
}
