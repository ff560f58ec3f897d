/**
 * The debugger's shared channel: one SharedArrayBuffer per debug run that both the host and the
 * sandbox worker read and write. A paused worker is blocked in `Atomics.wait`, so it cannot take
 * messages: the host's commands and the worker's events both go through this memory.
 *
 * Layout: header words (Int32), a command area, then an event area. Each side bumps its own
 * sequence word after writing and notifies; the other side waits on that word.
 */

const CMD_SEQ = 0;
const CMD_LEN = 1;
const EVT_SEQ = 2;
const EVT_LEN = 3;
/** The last command sequence the worker has taken; the host sends the next one only after it. */
const CMD_ACK = 4;
const HEADER_BYTES = 32;
/** Commands are small (a breakpoint set at most). */
const COMMAND_BYTES = 64 * 1024;

/** Event bytes for a live debug run: a pause holds a capped stack and capped variables. */
export const DEBUG_EVENT_BYTES = 4 * 1024 * 1024;
/** Event bytes for a recorded trace (10,000 steps); memory is committed only as it is written. */
export const TRACE_EVENT_BYTES = 64 * 1024 * 1024;

/** Creates an empty channel whose event area holds `eventBytes`. */
export function createDebugChannel(eventBytes = DEBUG_EVENT_BYTES): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + COMMAND_BYTES + eventBytes);
}

/** One side's view of a channel. */
export class DebugWire {
  readonly header: Int32Array;
  private readonly commands: Uint8Array;
  private readonly events: Uint8Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.commands = new Uint8Array(buffer, HEADER_BYTES, COMMAND_BYTES);
    this.events = new Uint8Array(buffer, HEADER_BYTES + COMMAND_BYTES);
  }

  /** Bytes an event may take. */
  get eventCapacity(): number {
    return this.events.byteLength;
  }

  /** The header word the worker sleeps on while paused. */
  readonly commandSeqIndex = CMD_SEQ;
  /** The header word the host waits on for events. */
  readonly eventSeqIndex = EVT_SEQ;
  /** The header word the host waits on for the worker to take a command. */
  readonly ackIndex = CMD_ACK;

  commandSeq(): number {
    return Atomics.load(this.header, CMD_SEQ);
  }

  /** Whether the worker has taken every command sent so far. */
  commandTaken(): boolean {
    return Atomics.load(this.header, CMD_ACK) === Atomics.load(this.header, CMD_SEQ);
  }

  /** Worker: marks command `seq` as taken. */
  acknowledge(seq: number): void {
    Atomics.store(this.header, CMD_ACK, seq);
    Atomics.notify(this.header, CMD_ACK);
  }

  eventSeq(): number {
    return Atomics.load(this.header, EVT_SEQ);
  }

  /** Host: sends a command (JSON text) to the worker. */
  writeCommand(text: string): void {
    const length = put(this.commands, text);
    Atomics.store(this.header, CMD_LEN, length);
    Atomics.add(this.header, CMD_SEQ, 1);
    Atomics.notify(this.header, CMD_SEQ);
  }

  /** Worker: the last command's text. */
  readCommand(): string {
    return get(this.commands, Atomics.load(this.header, CMD_LEN));
  }

  /** Worker: publishes an event (JSON text) to the host. */
  writeEvent(text: string): void {
    const length = put(this.events, text);
    Atomics.store(this.header, EVT_LEN, length);
    Atomics.add(this.header, EVT_SEQ, 1);
    Atomics.notify(this.header, EVT_SEQ);
  }

  /** Host: the last event's text. */
  readEvent(): string {
    return get(this.events, Atomics.load(this.header, EVT_LEN));
  }
}

/** Copies UTF-8 text into shared memory (encoders refuse shared views, so it goes through a copy). */
function put(area: Uint8Array, text: string): number {
  const bytes = new TextEncoder().encode(text);
  if (bytes.byteLength > area.byteLength) throw new RangeError(`debugger message of ${bytes.byteLength} bytes does not fit in ${area.byteLength}`);
  area.set(bytes);
  return bytes.byteLength;
}

function get(area: Uint8Array, length: number): string {
  // slice() copies into an unshared buffer, which TextDecoder accepts.
  return new TextDecoder().decode(area.slice(0, length));
}
