import '@xterm/xterm/css/xterm.css';
import './terminal.css';
import { useEffect, useRef, useState } from 'react';
import { useStore } from '../store/store.ts';
import { terminalSession } from './session.ts';

/**
 * The terminal pane: a real terminal emulator (xterm.js) running the shell prompt and, while a
 * program runs, that program's tty; below it the last run's status and the terminal's tools.
 * Output is written as terminal text, never as HTML.
 */
export function Terminal() {
  const host = useRef<HTMLDivElement>(null);
  const fontSize = useStore((s) => s.fontSize);
  const [searching, setSearching] = useState(false);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const session = terminalSession();
    session.attach(element);
    session.onSearchRequest = () => setSearching(true);
    // Refit on every size change of the pane (panel drags, window resize, presenter zoom).
    let frame: number | undefined;
    const observer = new ResizeObserver(() => {
      frame ??= requestAnimationFrame(() => {
        frame = undefined;
        session.resize();
      });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      if (frame !== undefined) cancelAnimationFrame(frame);
      session.onSearchRequest = () => undefined;
    };
  }, []);

  return (
    <section className="terminal-pane" aria-label="Terminal">
      <div className="terminal-host" data-testid="output" ref={host} style={{ fontSize }} onClick={() => terminalSession().focus()} />
      {searching && <SearchBox onClose={() => setSearching(false)} />}
      <TerminalFooter onSearch={() => setSearching(true)} />
    </section>
  );
}

/** Find in the terminal's scrollback: Enter finds the next match, Shift+Enter the previous one, Escape closes. */
function SearchBox({ onClose }: { onClose: () => void }) {
  const [term, setTerm] = useState('');
  const [missing, setMissing] = useState(false);
  const find = (backwards: boolean): void => setMissing(term !== '' && !terminalSession().search(term, backwards));
  const close = (): void => {
    terminalSession().endSearch();
    onClose();
  };
  return (
    <div className="terminal-search" role="search">
      <input
        autoFocus
        aria-label="Find in terminal"
        placeholder="Find"
        value={term}
        onChange={(e) => {
          setTerm(e.target.value);
          setMissing(e.target.value !== '' && !terminalSession().search(e.target.value));
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') find(e.shiftKey);
          else if (e.key === 'Escape') close();
        }}
      />
      {missing && <span className="no-match">no match</span>}
      <button type="button" aria-label="Previous match" onClick={() => find(true)}>
        ↑
      </button>
      <button type="button" aria-label="Next match" onClick={() => find(false)}>
        ↓
      </button>
      <button type="button" aria-label="Close find" onClick={close}>
        ✕
      </button>
    </div>
  );
}

/** The last run's status (kept outside the terminal text) and the terminal's tools. */
function TerminalFooter({ onSearch }: { onSearch: () => void }) {
  const running = useStore((s) => s.running);
  const result = useStore((s) => s.lastResult);
  const [screenReader, setScreenReader] = useState(false);
  const status = running ? 'running…' : result ? `${result.status} · exit ${result.exitCode} · ${formatMs(result.durationMs)}` : '';
  return (
    <div className="terminal-footer">
      <span className={`terminal-status status-${running ? 'running' : (result?.status ?? 'idle')}`}>{status}</span>
      <button type="button" title="Find (Ctrl+Shift+F)" onClick={onSearch}>
        Find
      </button>
      <button
        type="button"
        aria-pressed={screenReader}
        title="Screen reader mode: the terminal's text is read out as it appears"
        onClick={() => {
          terminalSession().setScreenReaderMode(!screenReader);
          setScreenReader(!screenReader);
        }}
      >
        Screen reader
      </button>
    </div>
  );
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
