/** A problem a compiler or a traceback points at, shown as a marker in the editor. */
export interface Diagnostic {
  path: string;
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

const COMPILER_LINE = /^(?:\/workspace\/)?([^\s:][^:]*):(\d+):(\d+): (fatal error|error|warning|note): (.*)$/;
const PYTHON_FRAME = /^\s*File "(?:\/workspace\/)?([^"]+)", line (\d+)/;
const RUBY_FRAME = /^(?:\/workspace\/)?([^\s:]+\.rb):(\d+):in /;

/**
 * Reads diagnostics from a run's stderr: clang's `file:line:col: error: …`, and the innermost
 * workspace frame of a Python or Ruby traceback (with the exception line as the message).
 */
export function parseDiagnostics(stderr: string): Diagnostic[] {
  const lines = stderr.split('\n');
  const found: Diagnostic[] = [];
  for (const line of lines) {
    const m = COMPILER_LINE.exec(line);
    if (!m) continue;
    const [, path = '', row = '1', col = '1', kind = 'error', message = ''] = m;
    found.push({ path, line: Number(row), column: Number(col), severity: kind.endsWith('error') ? 'error' : kind === 'warning' ? 'warning' : 'info', message });
  }
  if (found.length > 0) return found;

  let frame: { path: string; line: number } | undefined;
  for (const line of lines) {
    const m = PYTHON_FRAME.exec(line) ?? RUBY_FRAME.exec(line);
    if (m && !m[1]?.startsWith('<')) frame ??= { path: m[1] ?? '', line: Number(m[2]) };
    if (m && PYTHON_FRAME.test(line)) frame = { path: m[1] ?? '', line: Number(m[2]) };
  }
  if (!frame) return [];
  const message = lines.filter((l) => l.trim() !== '').pop()?.trim() ?? 'error';
  return [{ path: frame.path, line: frame.line, column: 1, severity: 'error', message }];
}
