import { useStore } from '../store/store.ts';
import type { DebugStep } from '../store/debug-slice.ts';
import { TraceView } from './TraceView.tsx';
import { VariableList } from './VariableList.tsx';
import './debug.css';

const STEPS: { step: DebugStep; label: string; key: string; testId: string }[] = [
  { step: 'continue', label: 'Continue', key: 'F5', testId: 'debug-continue' },
  { step: 'step-over', label: 'Step over', key: 'F10', testId: 'debug-step-over' },
  { step: 'step-into', label: 'Step into', key: 'F11', testId: 'debug-step-into' },
  { step: 'step-out', label: 'Step out', key: 'Shift+F11', testId: 'debug-step-out' },
];

/**
 * The debugger under the editor: step controls, where the program is, its stack and variables; a
 * recorded trace's slider; or the offer to debug the last run's uncaught exception.
 */
export function DebugPanel() {
  const view = useStore((s) => s.debugView);
  const note = useStore((s) => s.debugNote);
  const postMortem = useStore((s) => s.postMortem);
  const openPostMortem = useStore((s) => s.openPostMortem);
  if (view === 'none') {
    if (note) return <div className="debug-offer" role="status">{note}</div>;
    if (!postMortem) return null;
    return (
      <div className="debug-offer" role="status">
        <span>
          The program stopped with <code>{postMortem.exception}</code>
        </span>
        <button type="button" onClick={openPostMortem}>
          Debug this error
        </button>
      </div>
    );
  }
  return (
    <section className="debug-panel" aria-label="Debugger">
      {view === 'trace' ? <TraceView /> : <PauseView />}
    </section>
  );
}

/** A live or post-mortem pause: controls, position, stack, variables. */
function PauseView() {
  const view = useStore((s) => s.debugView);
  const paused = useStore((s) => s.debugPaused);
  const pause = useStore((s) => s.debugPause);
  const frame = useStore((s) => s.debugFrame);
  const debugStep = useStore((s) => s.debugStep);
  const selectFrame = useStore((s) => s.selectDebugFrame);
  const close = useStore((s) => s.closeDebug);
  const live = view === 'live';
  const at = pause?.stack[frame];
  return (
    <>
      <div className="debug-toolbar">
        {live &&
          STEPS.map(({ step, label, key, testId }) => (
            <button key={step} type="button" data-testid={testId} disabled={!paused} onClick={() => debugStep(step)} title={`${label} (${key})`}>
              {label}
            </button>
          ))}
        <span className="debug-where">
          {live ? (paused ? 'Paused at ' : 'Running… ') : 'Uncaught exception at '}
          {at && <code data-testid="debug-line">{`${at.file}:${at.line}`}</code>}
        </span>
        {pause?.exception && <code className="debug-exception">{pause.exception}</code>}
        {!live && (
          <button type="button" className="debug-close" aria-label="Close the debugger" onClick={close}>
            ×
          </button>
        )}
      </div>
      {pause && (
        <div className="debug-columns">
          <div className="debug-column">
            <h3>Stack</h3>
            <ol data-testid="debug-stack" className="debug-stack">
              {pause.stack.map((f, i) => (
                <li key={i} className={i === frame ? 'selected' : undefined}>
                  <button type="button" onClick={() => selectFrame(i)} aria-current={i === frame}>{`${f.function}:${f.line}`}</button>
                </li>
              ))}
            </ol>
          </div>
          <div className="debug-column">
            <h3>Variables</h3>
            <VariableList variables={pause.variables[frame] ?? []} />
          </div>
        </div>
      )}
    </>
  );
}
