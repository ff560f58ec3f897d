import type { BlockedAttempt, BlockedKind, SyscallRecord, WorkerAudit } from '../protocol.ts';
import type { AuditSink } from '../runtimes/runtime.ts';

/** Most blocked attempts and file reads kept per run; a flood beyond is counted, not stored. */
export const AUDIT_EVENT_CAP = 500;
/** Most syscalls kept in a trace. */
export const TRACE_CAP = 10_000;

/** Collects the audit of one job inside the worker. */
export class AuditRecorder implements AuditSink {
  private readonly reads = new Set<string>();
  /** One entry per distinct attempt: a runtime may touch the same blocked name several times for one call. */
  private readonly seenBlocked = new Set<string>();
  private readonly trace: SyscallRecord[] | undefined;
  private blockedCount = 0;
  private dropped = 0;
  private peak = 0;

  constructor(
    private readonly onBlocked: (attempt: BlockedAttempt) => void,
    readonly tracing: boolean,
  ) {
    this.trace = tracing ? [] : undefined;
  }

  fileRead(path: string): void {
    if (this.reads.has(path)) return;
    if (this.reads.size >= AUDIT_EVENT_CAP) this.dropped++;
    else this.reads.add(path);
  }

  block(kind: BlockedKind, target: string, rule: string): void {
    const key = `${kind}\u0000${target}`;
    if (this.seenBlocked.has(key)) return;
    this.seenBlocked.add(key);
    if (this.blockedCount >= AUDIT_EVENT_CAP) {
      this.dropped++;
      return;
    }
    this.blockedCount++;
    this.onBlocked({ kind, target: target.slice(0, 500), rule });
  }

  syscall(record: SyscallRecord): void {
    if (!this.trace) return;
    if (this.trace.length >= TRACE_CAP) this.dropped++;
    else this.trace.push(record);
  }

  memory(bytes: number): void {
    if (bytes > this.peak) this.peak = bytes;
  }

  result(): WorkerAudit {
    return {
      read: [...this.reads].sort(),
      peakMemoryBytes: this.peak,
      ...(this.trace ? { trace: this.trace } : {}),
      eventsDropped: this.dropped,
    };
  }
}

let current: AuditSink | undefined;

/**
 * The audit of the job running now. Guards that live on the worker's global (the fetch guard,
 * removed network globals) have no per-job context of their own, so they report here.
 */
export function currentAudit(): AuditSink | undefined {
  return current;
}

export function setCurrentAudit(sink: AuditSink | undefined): void {
  current = sink;
}
