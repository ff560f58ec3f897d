import { EXIT_KILLED, EXIT_TIMEOUT } from '../limits.ts';
import type { ExecResult, RunResult, WorkerJob } from '../protocol.ts';
import { buildAudit } from './build-audit.ts';

/** The result of a job stopped before it started: nothing ran, nothing changed. */
export function killedBeforeStart(job: WorkerJob): ExecResult {
  return {
    status: 'killed',
    exitCode: EXIT_KILLED,
    stdout: '',
    stderr: '',
    truncated: false,
    durationMs: 0,
    filesChanged: [],
    cwd: job.kind === 'shell' ? job.cwd : '',
    audit: buildAudit({ saved: [], blocked: [], stdout: '', stderr: '' }),
  };
}

/** The exit code a shell reports for a run the sandbox ended, else the program's own. */
export function exitCodeFor(status: RunResult['status'], own: number): number {
  return status === 'timeout' ? EXIT_TIMEOUT : status === 'killed' ? EXIT_KILLED : own;
}

/** A shell line's result as a program run's: a run has no working directory to report. */
export function withoutCwd({ cwd: _cwd, ...result }: ExecResult): RunResult {
  return result;
}
