import type { Breakpoints, DebugCommand, DebugEnd, DebugMode, DebugPause, DebugRequest } from '../debug-protocol.ts';
import { DEBUG_EVENT_BYTES, DebugWire, TRACE_EVENT_BYTES, createDebugChannel } from '../debug-wire.ts';
import type { RunOptions, RunResult } from '../protocol.ts';
import type { Sandbox } from './api.ts';
import { parseDebugEvent } from './debug-events.ts';

export type { Breakpoints, DebugEnd, DebugFrame, DebugHit, DebugMode, DebugPause, DebugTrace, DebugVariable, TraceStep } from '../debug-protocol.ts';

/** What a caller hears from a debug run. */
export interface DebugListener {
  /** The program stopped at a breakpoint or after a step; it waits for a command. */
  onPause?(pause: DebugPause): void;
  /** The program ended; holds the trace, the hits or the post-mortem it left. */
  onEnd?(end: DebugEnd): void;
}

export interface DebugSessionOptions {
  mode: DebugMode;
  breakpoints?: Breakpoints;
  /** `collect`: expressions evaluated at each hit. */
  watch?: string[];
  /** `collect`: most hits recorded. */
  maxHits?: number;
}

/** Event area per mode: a trace carries up to 10,000 steps, a post-mortem one pause. */
const EVENT_BYTES: Record<DebugMode, number> = { debug: DEBUG_EVENT_BYTES, collect: DEBUG_EVENT_BYTES, trace: TRACE_EVENT_BYTES, postmortem: 1024 * 1024 };
/** How long one wait lasts where `Atomics.waitAsync` is missing (polling fallback). */
const POLL_MS = 20;

type WaitAsync = (array: Int32Array, index: number, value: number, timeout?: number) => { async: false; value: string } | { async: true; value: Promise<string> };

/** Resolves once `array[index]` is no longer `value` (or after a while; callers check again). */
function changed(array: Int32Array, index: number, value: number): Promise<unknown> {
  const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;
  if (!waitAsync) return new Promise((resolve) => setTimeout(resolve, POLL_MS));
  const result = waitAsync(array, index, value, 1000);
  return result.async ? result.value : Promise.resolve();
}

/**
 * The host side of one debug run: makes the request a run carries (`RunOptions.debug`), hears the
 * worker's pauses and end through the shared channel, and sends it commands while it is paused.
 * DOM-free: the UI, agent tools and the CLI use the same session.
 */
export class DebugSession {
  readonly request: DebugRequest;
  private readonly wire: DebugWire;
  private seenEvent = 0;
  private closed = false;
  private paused = false;
  /** Breakpoints changed while the program ran: sent as soon as it pauses. */
  private pendingBreakpoints: Breakpoints | undefined;
  private readonly outbox: string[] = [];
  private sending = false;
  private ended: DebugEnd | undefined;

  constructor(options: DebugSessionOptions, private readonly listener: DebugListener = {}) {
    if (typeof SharedArrayBuffer !== 'function') throw new Error('the debugger needs shared memory: this page is not cross-origin isolated');
    const channel = createDebugChannel(EVENT_BYTES[options.mode]);
    this.wire = new DebugWire(channel);
    this.request = {
      mode: options.mode,
      breakpoints: options.breakpoints ?? {},
      ...(options.watch ? { watch: options.watch } : {}),
      ...(options.maxHits !== undefined ? { maxHits: options.maxHits } : {}),
      channel,
    };
    void this.listen();
  }

  /** Whether the program is stopped and waiting for a command. */
  get isPaused(): boolean {
    return this.paused;
  }

  continue(): void {
    this.resume({ kind: 'continue' });
  }

  stepOver(): void {
    this.resume({ kind: 'step-over' });
  }

  stepInto(): void {
    this.resume({ kind: 'step-into' });
  }

  stepOut(): void {
    this.resume({ kind: 'step-out' });
  }

  /** Replaces the breakpoints; a paused program keeps waiting, a running one gets them at its next pause. */
  setBreakpoints(breakpoints: Breakpoints): void {
    if (this.paused) this.send({ kind: 'breakpoints', breakpoints });
    else this.pendingBreakpoints = breakpoints;
  }

  /**
   * Call once the run has settled: reads an end event the listener has not seen yet (the worker
   * wrote it before its result was posted) and stops listening. Returns what the run left.
   */
  finish(): DebugEnd | undefined {
    this.take();
    this.close();
    return this.ended;
  }

  private resume(command: DebugCommand): void {
    if (!this.paused) return;
    this.paused = false;
    this.send(command);
  }

  private close(): void {
    this.closed = true;
    this.paused = false;
    // Wakes the listening loop so it ends now.
    Atomics.notify(this.wire.header, this.wire.eventSeqIndex);
  }

  private async listen(): Promise<void> {
    while (!this.closed) {
      const seen = this.seenEvent;
      this.take();
      if (this.closed || this.seenEvent !== seen) continue;
      await changed(this.wire.header, this.wire.eventSeqIndex, seen);
    }
  }

  /** Handles the newest event, if there is one the session has not seen. */
  private take(): void {
    const seq = this.wire.eventSeq();
    if (seq === this.seenEvent || this.ended) return;
    this.seenEvent = seq;
    const event = parseDebugEvent(this.wire.readEvent());
    if (!event) return;
    if (event.kind === 'pause') {
      this.paused = true;
      if (this.pendingBreakpoints) {
        this.send({ kind: 'breakpoints', breakpoints: this.pendingBreakpoints });
        this.pendingBreakpoints = undefined;
      }
      this.listener.onPause?.(event.pause);
      return;
    }
    const { kind: _kind, ...end } = event;
    this.ended = end;
    this.closed = true;
    this.listener.onEnd?.(end);
  }

  /** Queues a command; the worker takes one at a time (it acknowledges each). */
  private send(command: DebugCommand): void {
    this.outbox.push(JSON.stringify(command));
    void this.deliver();
  }

  private async deliver(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.outbox.length > 0) {
        const ack = Atomics.load(this.wire.header, this.wire.ackIndex);
        if (!this.wire.commandTaken()) {
          if (this.ended) return;
          await changed(this.wire.header, this.wire.ackIndex, ack);
          continue;
        }
        this.wire.writeCommand(this.outbox.shift() ?? '');
      }
    } finally {
      this.sending = false;
    }
  }
}

/** Runs a program under a debug session and returns its result with what the session recorded. */
export async function runWithDebugger(sandbox: Sandbox, run: RunOptions, session: DebugSession): Promise<{ result: RunResult; end: DebugEnd | undefined }> {
  let result: RunResult;
  try {
    result = await sandbox.run({ ...run, debug: session.request });
  } catch (error) {
    session.finish();
    throw error;
  }
  return { result, end: session.finish() };
}
