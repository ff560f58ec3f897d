import { memo } from 'react';
import type { ToolCallRecord } from '../../agent/types.ts';
import { formatDebugReport } from '../../sandbox/host/debug-run.ts';
import { CodeBlock } from '../chat/CodeBlock.tsx';
import { useStore } from '../store/store.ts';
import { AuditView } from './AuditView.tsx';

function field(input: unknown, name: string): string | undefined {
  const value = (input as Record<string, unknown> | null)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** The extension of a path (`py`), as a fence info word for the code block showing the file. */
function extensionOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') ? path.slice(dot + 1) : '';
}

/**
 * One tool call: what the agent asked for, its live output, and how it ended. Its code shows as a
 * chat code block (highlighted, with Copy, Run and Open in editor). Memoized: a streaming reply
 * does not render the cards before it again.
 */
export const ToolCallCard = memo(function ToolCallCard({ call }: { call: ToolCallRecord }) {
  const live = useStore((s) => s.liveOutput[call.id]);
  const openFile = useStore((s) => s.openFile);
  const result = call.result;
  const code = field(call.input, 'code');
  const language = field(call.input, 'language');
  const command = field(call.input, 'command');
  const path = field(call.input, 'path');
  const summary = call.tool === 'run_code' ? `run ${language ?? ''}` : call.tool === 'exec' ? command : `${call.tool.replace('_', ' ')} ${path ?? '.'}`;
  const status = call.state === 'running' ? 'running' : call.state === 'error' ? 'error' : result?.kind === 'run' ? `${result.status} ${result.exitCode}` : result ? 'done' : 'not run here yet';

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
          <CodeBlock blockKey={`tool:${call.id}`} info={language ?? ''} code={code} complete={call.state !== 'running'} />
        </details>
      )}
      {field(call.input, 'content') !== undefined && call.tool === 'write_file' && (
        <details>
          <summary>content</summary>
          <CodeBlock blockKey={`tool:${call.id}`} info={`${extensionOf(path ?? '')} ${path ?? ''}`} code={field(call.input, 'content') ?? ''} complete={call.state !== 'running'} />
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
      {result?.kind === 'debug' && <pre className="tool-output">{formatDebugReport(result)}</pre>}
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
});
