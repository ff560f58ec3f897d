import type { Language } from '../../sandbox/protocol.ts';
import { useStore } from '../store/store.ts';
import { RunStatus } from './RunStatus.tsx';
import { RuntimeStatusView } from './RuntimeStatus.tsx';

const LANGUAGES: { value: Language; label: string }[] = [
  { value: 'python', label: 'Python' },
  { value: 'ruby', label: 'Ruby' },
  { value: 'c', label: 'C' },
  { value: 'cpp', label: 'C++' },
];

/** The top bar: project, language, Run/Stop, and what the sandbox is doing. */
export function Header() {
  const project = useStore((s) => s.project);
  const language = useStore((s) => s.language);
  const running = useStore((s) => s.running);
  const chooseLanguage = useStore((s) => s.chooseLanguage);
  const runActive = useStore((s) => s.runActive);
  const stop = useStore((s) => s.stop);

  return (
    <header className="header">
      <span className="brand">Isobox</span>
      <span className="project-name" title="Project">
        {project?.name ?? '…'}
      </span>
      <select
        data-testid="language-select"
        aria-label="Language"
        value={language}
        onChange={(e) => void chooseLanguage(e.target.value as Language)}
      >
        {LANGUAGES.map((l) => (
          <option key={l.value} value={l.value}>
            {l.label}
          </option>
        ))}
      </select>
      <button type="button" data-testid="run-button" className="run" disabled={running} onClick={() => void runActive()} title="Run (Ctrl+Enter)">
        Run ▶
      </button>
      <button type="button" data-testid="stop-button" className="stop" disabled={!running} onClick={stop} title="Stop (Esc)">
        Stop ■
      </button>
      <RunStatus />
      <span className="spacer" />
      <RuntimeStatusView />
    </header>
  );
}
