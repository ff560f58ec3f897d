import { DebugWire } from '../debug-wire.ts';

/** How long one wait lasts before the worker checks for Stop again. */
const WAIT_SLICE_MS = 50;

/** The worker's end of a debug run's channel, as the Python debugger calls it. */
export interface WorkerDebugChannel {
  /** Publishes a pause event, then blocks until the host sends a command; returns its JSON. */
  pause(event: string): string;
  /** Blocks for the next command (after a breakpoint edit, the run stays paused). */
  wait(): string;
  /** Publishes the run's final event; never blocks. */
  end(event: string): void;
  /** Bytes an event may take (the recorder trims a trace to fit). */
  readonly capacity: number;
}

/** The command a paused run gets when the user pressed Stop. */
export const STOP_COMMAND = '{"kind":"stop"}';

/**
 * Opens the worker side of a channel. A paused run blocks in `Atomics.wait` (no spinning) in short
 * slices, checking the run's interrupt word between them, so Stop ends a paused run at once;
 * output is flushed before each pause so the terminal shows everything printed up to the line.
 */
export function openWorkerDebugChannel(buffer: SharedArrayBuffer, interrupt: Int32Array, flushOutput: () => void): WorkerDebugChannel {
  const wire = new DebugWire(buffer);
  /** The last command sequence this side has taken. */
  let taken = wire.commandSeq();

  function wait(): string {
    for (;;) {
      if (Atomics.load(interrupt, 0) !== 0) return STOP_COMMAND;
      const seq = wire.commandSeq();
      if (seq !== taken) {
        const text = wire.readCommand();
        taken = seq;
        // Tells the host the slot is free for its next command.
        wire.acknowledge(seq);
        return text;
      }
      Atomics.wait(wire.header, wire.commandSeqIndex, seq, WAIT_SLICE_MS);
    }
  }

  return {
    pause(event) {
      flushOutput();
      wire.writeEvent(event);
      return wait();
    },
    wait,
    end(event) {
      wire.writeEvent(event);
    },
    capacity: wire.eventCapacity,
  };
}
