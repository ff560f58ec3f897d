import type { TerminalInput } from '../runtimes/runtime.ts';
import { StdinRing } from '../stdin-ring.ts';

/** How long one wait for input lasts before the interrupt flag is checked again. */
const WAIT_SLICE_MS = 25;

/**
 * The worker side of an interactive run's stdin: reads block on the ring the host writes typed
 * lines into. The wait is cut in short slices so that Stop or the time limit (the interrupt flag)
 * ends a program waiting for input; output written before the read is sent to the host first,
 * so the prompt is on screen while the program waits.
 */
export class TerminalReader implements TerminalInput {
  private readonly ring: StdinRing;
  /** Fractions of a millisecond of waiting not yet added to the ring's count. */
  private waitedCarry = 0;

  constructor(
    buffer: SharedArrayBuffer,
    private readonly interrupt: Int32Array,
    private readonly flushOutput: () => void,
  ) {
    this.ring = new StdinRing(buffer);
  }

  read(max: number): Uint8Array | 'interrupted' {
    if (max <= 0) return new Uint8Array(0);
    let flushed = false;
    for (;;) {
      if (Atomics.load(this.interrupt, 0) !== 0) return 'interrupted';
      const seen = this.ring.sequence();
      if (this.ring.available() > 0) return this.ring.readLine(max);
      if (this.ring.ended()) return new Uint8Array(0);
      if (!flushed) {
        this.flushOutput();
        flushed = true;
      }
      const before = performance.now();
      const waited = this.ring.waitForChange(seen, WAIT_SLICE_MS);
      this.countWait(performance.now() - before);
      if (!waited) {
        // A thread that may not block (never a sandbox worker): end of input rather than a spin.
        return new Uint8Array(0);
      }
    }
  }

  /** Tells the host how long the program waited for the user, which its time limit does not count. */
  private countWait(ms: number): void {
    const total = this.waitedCarry + ms;
    const whole = Math.floor(total);
    this.waitedCarry = total - whole;
    if (whole > 0) this.ring.addWaited(whole);
  }

  ready(): boolean {
    return this.ring.available() > 0 || this.ring.ended();
  }
}
