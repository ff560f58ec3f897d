import type { RunAudit } from '../../sandbox/protocol.ts';
import { useStore } from '../store/store.ts';

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Files a run touched, as buttons that open them. */
function FileList({ label, paths }: { label: string; paths: string[] }) {
  const openFile = useStore((s) => s.openFile);
  const tree = useStore((s) => s.tree);
  if (paths.length === 0) return null;
  const exists = new Set(tree.map((t) => t.path));
  return (
    <div className="audit-files" data-audit-files={label}>
      <span className="audit-label">{label}</span>
      {paths.map((path) =>
        exists.has(path) ? (
          <button key={path} type="button" className="link" onClick={() => void openFile(path)}>
            {path}
          </button>
        ) : (
          <span key={path} className="audit-path">
            {path}
          </span>
        ),
      )}
    </div>
  );
}

/**
 * The audit of one run: blocked attempts first, then the files it touched, then figures and the
 * optional syscall trace. Everything is rendered as text.
 */
export function AuditView({ audit, compact = false }: { audit: RunAudit; compact?: boolean }) {
  const { read, created, modified, deleted } = audit.files;
  const untouched = read.length + created.length + modified.length + deleted.length === 0;
  return (
    <div className="audit" data-testid="audit">
      {audit.blocked.length > 0 && (
        <div className="audit-blocked" role="alert">
          <div className="audit-label">blocked ({audit.blocked.length})</div>
          <ul>
            {audit.blocked.slice(0, compact ? 5 : 500).map((b, i) => (
              <li key={i} data-testid="audit-blocked" data-kind={b.kind}>
                <span className="audit-kind">{b.kind}</span> <code>{b.target}</code> — {b.rule}
              </li>
            ))}
          </ul>
        </div>
      )}
      <FileList label="created" paths={created} />
      <FileList label="modified" paths={modified} />
      <FileList label="deleted" paths={deleted} />
      <FileList label="read" paths={read} />
      {untouched && <div className="audit-muted">no workspace files touched</div>}
      {!compact && (
        <div className="audit-figures">
          peak Wasm memory {audit.peakMemoryBytes ? bytes(audit.peakMemoryBytes) : 'n/a'} · output {bytes(audit.outputBytes.stdout)} stdout, {bytes(audit.outputBytes.stderr)} stderr
          {audit.eventsDropped > 0 && <span className="audit-warn"> · {audit.eventsDropped} more events not recorded (cap reached)</span>}
        </div>
      )}
      {!compact && audit.trace && (
        <details className="audit-trace">
          <summary>WASI syscall trace ({audit.trace.length} calls)</summary>
          <pre>{audit.trace.slice(0, 5000).map((t) => `${t.call}(${t.args}) = ${t.result}`).join('\n')}</pre>
        </details>
      )}
    </div>
  );
}
