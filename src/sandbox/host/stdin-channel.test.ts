import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WorkerJob } from '../protocol.ts';
import { StdinRing } from '../stdin-ring.ts';
import { StdinChannel, StdinChannels } from './stdin-channel.ts';

type Report = { kind: 'flush' | 'interrupted' | 'eof' } | { kind: 'data'; bytes: number[] };

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

/** A worker_thread reading `channel` as the sandbox worker does; collects what each read returned. */
function startReader(channel: StdinChannel, max = 4096): { reports: Report[]; interrupt: Int32Array; next(kind: Report['kind']): Promise<Report> } {
  const interrupt = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./node-worker-bootstrap.mjs', import.meta.url), {
    workerData: { entry: new URL('../worker/stdin.fixture-worker.ts', import.meta.url).href, buffer: channel.buffer, interrupt: interrupt.buffer, max },
  });
  workers.push(worker);
  const reports: Report[] = [];
  const waiters: Array<() => void> = [];
  worker.on('message', (report: Report) => {
    reports.push(report);
    waiters.splice(0).forEach((wake) => wake());
  });
  let seen = 0;
  const next = async (kind: Report['kind']): Promise<Report> => {
    for (;;) {
      while (seen < reports.length) {
        const report = reports[seen++] as Report;
        if (report.kind === kind) return report;
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { reports, interrupt, next };
}

const text = (reports: Report[]): string[] => reports.flatMap((r) => (r.kind === 'data' ? [Buffer.from(r.bytes).toString('utf8')] : []));

describe('interactive stdin between host and worker', () => {
  it('a reader waits for a line, flushing output first, and gets one line per read', async () => {
    const channel = new StdinChannel();
    const reader = startReader(channel);
    await reader.next('flush');
    expect(reader.reports.some((r) => r.kind === 'data')).toBe(false);
    channel.write('first\nsecond\n');
    await reader.next('data');
    await reader.next('data');
    expect(text(reader.reports)).toEqual(['first\n', 'second\n']);
  });

  it('keeps type-ahead given before the reader starts', async () => {
    const channel = new StdinChannel();
    channel.write('early\n');
    const reader = startReader(channel);
    await reader.next('data');
    expect(text(reader.reports)).toEqual(['early\n']);
  });

  it('ends the input after what was given before Ctrl-D', async () => {
    const channel = new StdinChannel();
    channel.write('last line\n');
    expect(channel.end()).toBe(true);
    expect(channel.write('too late\n')).toBe(false);
    const reader = startReader(channel);
    await reader.next('eof');
    expect(text(reader.reports)).toEqual(['last line\n']);
  });

  it('a Stop reaches a reader blocked on input within 100 ms', async () => {
    const channel = new StdinChannel();
    const reader = startReader(channel);
    await reader.next('flush');
    const stopped = performance.now();
    Atomics.store(reader.interrupt, 0, 2);
    await reader.next('interrupted');
    expect(performance.now() - stopped).toBeLessThan(100);
  });

  it('a paste bigger than the ring arrives whole, in order', async () => {
    const channel = new StdinChannel(64);
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i} ${'é'.repeat(i % 7)}\n`);
    channel.write(lines.join(''));
    channel.end();
    const reader = startReader(channel);
    await reader.next('eof');
    expect(text(reader.reports).join('')).toBe(lines.join(''));
    expect(text(reader.reports)).toEqual(lines);
  });

  it('never splits a UTF-8 character when the reader asks for few bytes', async () => {
    const channel = new StdinChannel();
    channel.write('ab€😀\n');
    channel.end();
    const reader = startReader(channel, 4);
    await reader.next('eof');
    const chunks = reader.reports.flatMap((r) => (r.kind === 'data' ? [Buffer.from(r.bytes)] : []));
    expect(chunks.map((c) => c.toString('utf8'))).toEqual(['ab', '€', '😀', '\n']);
  });
});

describe('StdinRing', () => {
  it('does not cut a character the writer wrote whole, even at the wrap-around', () => {
    const ring = new StdinRing(new StdinChannel(16).buffer);
    ring.write(new TextEncoder().encode('0123456789'));
    expect(new TextDecoder().decode(ring.readLine(100))).toBe('0123456789');
    ring.write(new TextEncoder().encode('é€x\n'));
    expect(new TextDecoder().decode(ring.readLine(4))).toBe('é');
    expect(new TextDecoder().decode(ring.readLine(100))).toBe('€x\n');
  });
});

describe('StdinChannels', () => {
  it('gives text to the newest open job and says when there is none', () => {
    const channels = new StdinChannels();
    expect(channels.write('x\n')).toBe(false);
    expect(channels.end()).toBe(false);
    const first = channels.open();
    const second = channels.open();
    expect(channels.write('for the second\n')).toBe(true);
    expect(new TextDecoder().decode(new StdinRing(second.buffer).readLine(100))).toBe('for the second\n');
    expect(new StdinRing(first.buffer).available()).toBe(0);
    channels.release(second);
    channels.release(first);
    expect(channels.write('x\n')).toBe(false);
  });
});

describe('StdinChannels.forJob', () => {
  const job: WorkerJob = { kind: 'code', language: 'python', code: '', filename: 'main.py', args: [], env: { COLUMNS: '7' }, stdin: '', trace: false };

  it('attaches the ring and the terminal size to an interactive job, the caller’s env winning', () => {
    const channels = new StdinChannels();
    const terminal = channels.forJob({ interactive: true, terminalSize: { columns: 90, rows: 20 } });
    const attached = terminal.attach(job);
    expect(attached.terminal).toBeInstanceOf(SharedArrayBuffer);
    expect(attached.env).toEqual({ COLUMNS: '7', LINES: '20' });
    expect(channels.write('x\n')).toBe(true);
    terminal.release();
    expect(channels.write('x\n')).toBe(false);
  });

  it('gives no terminal to a job with its own stdin, or one not interactive', () => {
    const channels = new StdinChannels();
    expect(channels.forJob({ interactive: true, stdin: '' }).attach(job).terminal).toBeUndefined();
    expect(channels.forJob({}).attach(job).terminal).toBeUndefined();
    expect(channels.write('x\n')).toBe(false);
  });

  it('gives no terminal where SharedArrayBuffer is missing (a page that is not cross-origin isolated)', () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    try {
      const channels = new StdinChannels();
      expect(channels.forJob({ interactive: true }).attach(job).terminal).toBeUndefined();
      expect(channels.write('x\n')).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
