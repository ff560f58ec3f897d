import { useStore } from '../store/store.ts';
import { VariableList } from './VariableList.tsx';

/** A recorded run: a slider over its steps, and the line, stack, variables and output of the step shown. */
export function TraceView() {
  const trace = useStore((s) => s.trace);
  const index = useStore((s) => s.traceIndex);
  const setIndex = useStore((s) => s.setTraceIndex);
  const close = useStore((s) => s.closeDebug);
  if (!trace) return null;
  const total = trace.steps.length;
  const step = trace.steps[index];
  const at = step?.stack[0];
  return (
    <>
      <div className="debug-toolbar">
        <input
          type="range"
          data-testid="trace-slider"
          aria-label="Trace step"
          min={1}
          max={Math.max(total, 1)}
          value={index + 1}
          disabled={total === 0}
          onChange={(e) => setIndex(Number(e.target.value) - 1)}
        />
        <span data-testid="trace-step">{`step ${total === 0 ? 0 : index + 1} / ${total}`}</span>
        {at && <code data-testid="debug-line">{`${at.file}:${at.line}`}</code>}
        {trace.capped && <span className="debug-note">{`Recording stopped after ${trace.maxSteps.toLocaleString('en')} steps; the program ran on.`}</span>}
        <button type="button" className="debug-close" aria-label="Close the trace" onClick={close}>
          ×
        </button>
      </div>
      {step ? (
        <div className="debug-columns">
          <div className="debug-column">
            <h3>Stack</h3>
            <ol data-testid="debug-stack" className="debug-stack">
              {step.stack.map((f, i) => (
                <li key={i}>{`${f.function}:${f.line}`}</li>
              ))}
            </ol>
          </div>
          <div className="debug-column">
            <h3>Variables</h3>
            <VariableList variables={step.variables} />
          </div>
          <div className="debug-column">
            <h3>Output so far</h3>
            <pre className="debug-output" data-testid="trace-output">{trace.output.slice(0, step.outputLength)}</pre>
          </div>
        </div>
      ) : (
        <p className="debug-empty">The program ran no line of its file.</p>
      )}
    </>
  );
}
