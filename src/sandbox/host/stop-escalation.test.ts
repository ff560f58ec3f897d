import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StopEscalation } from './stop-escalation.ts';

describe('StopEscalation', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Whether `terminated` has settled by now. */
  async function settled(stop: StopEscalation): Promise<boolean> {
    let done = false;
    void stop.terminated.then(() => (done = true));
    await Promise.resolve();
    await Promise.resolve();
    return done;
  }

  it('clears a flag left by the previous job, then interrupts first and terminates after the grace period', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    flag[0] = 2;
    const stop = new StopEscalation(flag, 500);
    expect(flag[0]).toBe(0);
    stop.stop('killed');
    expect(flag[0]).toBe(2);
    expect(stop.reason).toBe('killed');
    vi.advanceTimersByTime(499);
    expect(await settled(stop)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await settled(stop)).toBe(true);
  });

  it('times out only once the clock was started, and keeps the first reason', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const stop = new StopEscalation(flag, 500);
    vi.advanceTimersByTime(10_000);
    expect(stop.reason).toBeUndefined();
    stop.startClock(1000);
    vi.advanceTimersByTime(1000);
    expect(stop.reason).toBe('timeout');
    stop.stop('killed');
    expect(stop.reason).toBe('timeout');
  });

  it('does not count time the job spent waiting for the user’s input', () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const stop = new StopEscalation(flag, 500);
    let idle = 0;
    stop.startClock(1000, () => idle);
    vi.advanceTimersByTime(400);
    idle += 3000; // the program waited at input() for 3 s
    vi.advanceTimersByTime(3000);
    expect(stop.reason).toBeUndefined();
    vi.advanceTimersByTime(599);
    expect(stop.reason).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(stop.reason).toBe('timeout');
  });

  it('stops when the job signal aborts', () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const abort = new AbortController();
    const stop = new StopEscalation(flag, 500, abort.signal);
    abort.abort();
    expect(stop.reason).toBe('killed');
    expect(flag[0]).toBe(2);
  });

  it('does nothing once the job ended: no timeout, no signal, no late clock, no termination', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const abort = new AbortController();
    const stop = new StopEscalation(flag, 500, abort.signal);
    stop.startClock(1000);
    stop.end();
    abort.abort();
    stop.startClock(10);
    stop.stop('killed');
    vi.advanceTimersByTime(10_000);
    expect(stop.reason).toBeUndefined();
    expect(flag[0]).toBe(0);
    expect(await settled(stop)).toBe(false);
  });

  it('cancels a pending termination when the job ends within the grace period', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const stop = new StopEscalation(flag, 500);
    stop.stop('killed');
    vi.advanceTimersByTime(200);
    stop.end();
    vi.advanceTimersByTime(10_000);
    expect(await settled(stop)).toBe(false);
  });
});
