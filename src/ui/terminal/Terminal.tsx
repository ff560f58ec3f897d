import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useStore } from '../store/store.ts';
import type { TermChunk } from '../store/run-slice.ts';
import { ansiRuns } from './ansi.ts';

/**
 * The terminal: program output (ANSI colours, always text, never HTML) and a shell prompt with
 * line editing and history. Its text content is exactly what was printed plus echoed commands;
 * the prompt and status line are drawn by CSS so they never pollute copied or tested text.
 */
export function Terminal() {
  const terminal = useStore((s) => s.terminal);
  const running = useStore((s) => s.running);
  const cwd = useStore((s) => s.cwd);
  const result = useStore((s) => s.lastResult);
  const execLine = useStore((s) => s.execLine);
  const history = useStore((s) => s.history);
  const fontSize = useStore((s) => s.fontSize);
  const [line, setLine] = useState('');
  const [historyIndex, setHistoryIndex] = useState<number>();
  const input = useRef<HTMLInputElement>(null);
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [terminal, running]);

  const onKey = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter') {
      event.preventDefault();
      const command = line;
      setLine('');
      setHistoryIndex(undefined);
      void execLine(command);
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      if (history.length === 0) return;
      const from = historyIndex ?? history.length;
      const next = Math.max(0, Math.min(history.length, from + (event.key === 'ArrowUp' ? -1 : 1)));
      setHistoryIndex(next);
      setLine(history[next] ?? '');
    } else if (event.key === 'c' && event.ctrlKey && running) {
      event.preventDefault();
      useStore.getState().stop();
    } else if (event.key === 'l' && event.ctrlKey) {
      event.preventDefault();
      useStore.getState().clearTerminal();
    }
  };

  const statusLine = result && !running ? `${result.status} · exit ${result.exitCode} · ${formatMs(result.durationMs)}` : undefined;

  return (
    <section className="terminal-pane" aria-label="Terminal">
      <div
        className="terminal"
        data-testid="output"
        ref={scroller}
        tabIndex={-1}
        style={{ fontSize }}
        onClick={() => {
          if (!window.getSelection()?.toString()) input.current?.focus();
        }}
        onFocus={(e) => {
          if (e.target === e.currentTarget) input.current?.focus();
        }}
      >
        <pre className="terminal-text">
          {terminal.map((chunk, i) => (
            <Chunk key={i} chunk={chunk} />
          ))}
        </pre>
        {statusLine && <div className={`terminal-status status-${result?.status}`} data-status={statusLine} aria-hidden="true" />}
        <div className="prompt-line" data-prompt={`${cwd ? `/workspace/${cwd}` : '/workspace'} $`}>
          <input
            ref={input}
            className="prompt-input"
            aria-label="Shell command"
            data-testid="terminal-input"
            spellCheck={false}
            autoComplete="off"
            value={line}
            disabled={running}
            onChange={(e) => setLine(e.target.value)}
            onKeyDown={onKey}
          />
        </div>
      </div>
    </section>
  );
}

const Chunk = memo(function Chunk({ chunk }: { chunk: TermChunk }) {
  if (chunk.kind === 'command') return <span className="term-command">{chunk.text}</span>;
  return (
    <span className={`term-${chunk.kind}`}>
      {ansiRuns(chunk.text).map((run, i) => (
        <span key={i} style={run.style}>
          {run.text}
        </span>
      ))}
    </span>
  );
});

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
