import type { Language } from '../../sandbox/protocol.ts';
import { DebugButtons } from '../debug/DebugButtons.tsx';
import { useStore } from '../store/store.ts';
import { ProjectMenu } from './ProjectMenu.tsx';
import { RunStatus } from './RunStatus.tsx';
import { RuntimeStatusView } from './RuntimeStatus.tsx';

const LANGUAGES: { value: Language; label: string }[] = [
  { value: 'python', label: 'Python' },
  { value: 'ruby', label: 'Ruby' },
  { value: 'c', label: 'C' },
  { value: 'cpp', label: 'C++' },
];

/** The top bar: project, language, Run/Stop, and what the sandbox is doing. */
export function Header({ embed = false }: { embed?: boolean }) {
  const language = useStore((s) => s.language);
  const running = useStore((s) => s.running || s.agentRunning);
  const chooseLanguage = useStore((s) => s.chooseLanguage);
  const runActive = useStore((s) => s.runActive);
  const stop = useStore((s) => s.stop);
  const stopAgent = useStore((s) => s.stopAgent);
  const makeShareLink = useStore((s) => s.makeShareLink);
  const openSettings = useStore((s) => s.openSettings);

  return (
    <header className="header">
      <span className="brand">Isobox</span>
      {!embed && <ProjectMenu />}
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
      <button type="button" data-testid="stop-button" className="stop" disabled={!running} onClick={() => {
          stopAgent();
          stop();
        }} title="Stop">
        Stop ■
      </button>
      <DebugButtons />
      <RunStatus />
      <span className="spacer" />
      <RuntimeStatusView />
      {!embed && (
        <>
          <button type="button" data-testid="share-button" onClick={() => void makeShareLink()} title="Copy a link to this playground">
            Share
          </button>
          <button type="button" data-testid="settings-button" onClick={() => openSettings(true)} aria-label="Settings" title="Settings">
            ⚙ Settings
          </button>
        </>
      )}
    </header>
  );
}
