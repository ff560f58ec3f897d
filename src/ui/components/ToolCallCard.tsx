import type { ToolCallRecord } from '../../agent/types.ts';
import { STARTERS } from '../starters.ts';
import { useStore } from '../store/store.ts';
import { AuditView } from './AuditView.tsx';

const EXTENSIONS: Record<string, string> = { python: 'py', ruby: 'rb', c: 'c', cpp: 'cpp' };

function field(input: unknown, name: string): string | undefined {
  const value = (input as Record<string, unknown> | null)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** One tool call: what the agent asked for, its live output, and how it ended. */
export function ToolCallCard({ call }: { call: ToolCallRecord }) {
  const live = useStore((s) => s.liveOutput[call.id]);
  const openFile = useStore((s) => s.openFile);
  const createFile = useStore((s) => s.createFile);
  const tree = useStore((s) => s.tree);
  const result = call.result;
  const code = field(call.input, 'code');
  const language = field(call.input, 'language');
  const command = field(call.input, 'command');
  const path = field(call.input, 'path');
  const summary = call.tool === 'run_code' ? `run ${language ?? ''}` : call.tool === 'exec' ? command : `${call.tool.replace('_', ' ')} ${path ?? '.'}`;
  const status = call.state === 'running' ? 'running' : call.state === 'error' ? 'error' : result?.kind === 'run' ? `${result.status} ${result.exitCode}` : result ? 'done' : 'not run here yet';

  const openInEditor = async (): Promise<void> => {
    if (!code) return;
    const ext = EXTENSIONS[language ?? ''] ?? 'txt';
    const taken = new Set(tree.map((t) => t.path));
    let name = `snippet.${ext}`;
    for (let i = 2; taken.has(name); i++) name = `snippet-${i}.${ext}`;
    await createFile(name, code);
  };

  return (
    <div className={`tool-call state-${call.state}`} data-testid="tool-call" data-tool={call.tool} data-state={call.state}>
      <div className="tool-head">
        <span className="tool-name">{call.tool}</span>
        <span className="tool-summary">{summary}</span>
        <span className={`tool-status status-${result?.kind === 'run' ? result.status : call.state}`} data-testid="tool-call-status">
          {status}
          {result?.kind === 'run' ? ` · ${Math.round(result.durationMs)} ms` : ''}
        </span>
      </div>
      {code && (
        <details open={call.state === 'running'}>
          <summary>code</summary>
          <pre className="tool-code">{code}</pre>
          <button type="button" onClick={() => void openInEditor()} title={`Save as a file (e.g. ${STARTERS.python.file.replace('main', 'snippet')}) and open it`}>
            Open in editor
          </button>
        </details>
      )}
      {field(call.input, 'content') !== undefined && call.tool === 'write_file' && (
        <details>
          <summary>content</summary>
          <pre className="tool-code">{field(call.input, 'content')}</pre>
        </details>
      )}
      {call.state === 'running' && live !== undefined && <pre className="tool-output">{live}</pre>}
      {result?.kind === 'run' && (result.stdout || result.stderr) && (
        <details open>
          <summary>output</summary>
          {result.stdout && <pre className="tool-output">{result.stdout}</pre>}
          {result.stderr && <pre className="tool-output term-stderr">{result.stderr}</pre>}
        </details>
      )}
      {result?.kind === 'read' && (
        <details>
          <summary>{result.binary ? `binary, ${result.bytes} bytes` : `${result.bytes} bytes`}</summary>
          <pre className="tool-output">{result.content}</pre>
        </details>
      )}
      {result?.kind === 'list' && <pre className="tool-output">{result.entries.map((e) => (e.kind === 'dir' ? `${e.name}/` : e.name)).join('\n')}</pre>}
      {call.error && <div className="chat-error">{call.error}</div>}
      {result?.kind === 'run' && result.audit && (result.audit.blocked.length > 0 || result.audit.files.read.length > 0) && (
        <details open={result.audit.blocked.length > 0}>
          <summary>{result.audit.blocked.length > 0 ? `audit: ${result.audit.blocked.length} blocked` : 'audit'}</summary>
          <AuditView audit={result.audit} compact />
        </details>
      )}
      {result?.kind === 'run' && result.filesChanged.length > 0 && (
        <div className="tool-files">
          files:{' '}
          {result.filesChanged.map((file) => (
            <button key={file} type="button" className="link" onClick={() => void openFile(file)}>
              {file}
            </button>
          ))}
        </div>
      )}
      {result?.kind === 'write' && (
        <div className="tool-files">
          wrote{' '}
          <button type="button" className="link" onClick={() => void openFile(result.path)}>
            {result.path}
          </button>
        </div>
      )}
    </div>
  );
}
