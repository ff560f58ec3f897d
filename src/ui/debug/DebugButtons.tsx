import { useEffect } from 'react';
import { useStore } from '../store/store.ts';

/** Debug and Trace beside Run, and the debugger's keys (F5, F10, F11, Shift+F11) anywhere on the page. */
export function DebugButtons() {
  const running = useStore((s) => s.running || s.agentRunning);
  const startDebug = useStore((s) => s.startDebug);
  const startTrace = useStore((s) => s.startTrace);
  useDebugKeys();
  return (
    <>
      <button type="button" data-testid="debug-button" disabled={running} onClick={() => void startDebug()} title="Debug the Python file: stops at breakpoints (F5; F9 or a click left of a line number sets one)">
        Debug
      </button>
      <button type="button" data-testid="trace-button" disabled={running} onClick={() => void startTrace()} title="Record every line the Python file runs, then move through it">
        Trace
      </button>
    </>
  );
}

/** F5 starts Debug or continues a paused run; F10, F11 and Shift+F11 step it. */
function useDebugKeys(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const state = useStore.getState();
      let handled = true;
      if (event.key === 'F5' && !event.ctrlKey && !event.altKey && !event.metaKey) {
        if (state.debugPaused) state.debugStep('continue');
        else if (!state.running && !state.agentRunning) void state.startDebug();
      } else if (event.key === 'F10' && state.debugPaused) state.debugStep('step-over');
      else if (event.key === 'F11' && state.debugPaused) state.debugStep(event.shiftKey ? 'step-out' : 'step-into');
      else handled = false;
      // F5 would reload the page and F11 go full screen: the debugger has these keys here.
      if (handled) event.preventDefault();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
