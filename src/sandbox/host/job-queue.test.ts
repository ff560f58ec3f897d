import { describe, expect, it } from 'vitest';
import { JobQueue } from './job-queue.ts';

/** A job the test finishes by hand, recording when it started. */
function manualJob(log: string[], name: string): { task: () => Promise<string>; finish: () => void } {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    task: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
      return name;
    },
    finish: () => finish(),
  };
}

describe('JobQueue', () => {
  it('runs jobs one at a time, in the order they were queued', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    const a = manualJob(log, 'a');
    const b = manualJob(log, 'b');
    const first = queue.enqueue(a.task, undefined, () => 'killed');
    const second = queue.enqueue(b.task, undefined, () => 'killed');
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['start a']);
    a.finish();
    expect(await first).toBe('a');
    b.finish();
    expect(await second).toBe('b');
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('settles a waiting job as killed as soon as its signal aborts, and never starts it', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    const a = manualJob(log, 'a');
    const b = manualJob(log, 'b');
    const first = queue.enqueue(a.task, undefined, () => 'killed');
    const abort = new AbortController();
    const second = queue.enqueue(b.task, abort.signal, () => 'killed b');
    abort.abort();
    // Settled while `a` still runs: the caller does not wait for its turn.
    expect(await second).toBe('killed b');
    a.finish();
    await first;
    expect(log).toEqual(['start a', 'end a']);
  });

  it('settles a job whose signal was aborted before it was queued without running it', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    const job = manualJob(log, 'a');
    expect(await queue.enqueue(job.task, AbortSignal.abort(), () => 'killed')).toBe('killed');
    expect(log).toEqual([]);
  });

  it('keeps a queued stop for the next job to start only while a job waits', async () => {
    const queue = new JobQueue();
    // Nothing waits: Stop has nothing to stop, and a job queued later runs normally.
    queue.stopNext();
    expect(await queue.enqueue(async () => (queue.takeStop() ? 'stopped' : 'ran'), undefined, () => 'killed')).toBe('ran');

    const log: string[] = [];
    const a = manualJob(log, 'a');
    const first = queue.enqueue(a.task, undefined, () => 'killed');
    const second = queue.enqueue(async () => (queue.takeStop() ? 'stopped' : 'ran'), undefined, () => 'killed');
    await Promise.resolve();
    await Promise.resolve();
    // `a` has started, `second` waits: the stop is kept for it.
    queue.stopNext();
    a.finish();
    await first;
    expect(await second).toBe('stopped');
    // The request was used up.
    expect(queue.takeStop()).toBe(false);
  });

  it('goes on with the next job after one fails', async () => {
    const queue = new JobQueue();
    const failed = queue.enqueue(() => Promise.reject(new Error('boom')), undefined, () => 'killed');
    const next = queue.enqueue(async () => 'next', undefined, () => 'killed');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('next');
  });
});
