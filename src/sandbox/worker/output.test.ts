import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutputChunk } from '../protocol.ts';
import { OutputPump } from './output.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('OutputPump', () => {
  let clock = 0;
  let batches: OutputChunk[][];
  const pump = (cap = 1024): OutputPump => new OutputPump(cap, (chunks) => batches.push(chunks), () => clock);

  beforeEach(() => {
    vi.useFakeTimers();
    clock = 100;
    batches = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first write at once and batches writes that follow within 16 ms', () => {
    const p = pump();
    p.write('stdout', bytes('a\n'));
    p.write('stdout', bytes('b\n'));
    p.write('stdout', bytes('c\n'));
    expect(batches).toEqual([[{ stream: 'stdout', text: 'a\n' }]]);
    clock += 20;
    p.write('stderr', bytes('d\n'));
    expect(batches[1]).toEqual([
      { stream: 'stdout', text: 'b\nc\n' },
      { stream: 'stderr', text: 'd\n' },
    ]);
  });

  it('sends the rest on a timer when the program pauses without writing again', () => {
    const p = pump();
    p.write('stdout', bytes('loading…\n'));
    p.write('stdout', bytes('almost\n'));
    expect(batches).toHaveLength(1);
    vi.advanceTimersByTime(16);
    expect(batches).toEqual([[{ stream: 'stdout', text: 'loading…\n' }], [{ stream: 'stdout', text: 'almost\n' }]]);
    // Nothing pending: the timer does not send empty batches.
    vi.advanceTimersByTime(100);
    expect(batches).toHaveLength(2);
  });

  it('joins a character split across writes, and keeps it whole at the end', () => {
    const p = pump();
    const euro = bytes('€');
    p.write('stdout', euro.subarray(0, 1));
    p.write('stdout', euro.subarray(1));
    p.flush(true);
    expect(batches.flat().map((c) => c.text).join('')).toBe('€');
  });

  it('stops at the cap with a truncated marker, once per stream', () => {
    const p = pump(4);
    p.write('stdout', bytes('abcdef'));
    p.write('stdout', bytes('more'));
    p.flush(true);
    expect(batches.flat()).toEqual([{ stream: 'stdout', text: 'abcd', truncated: true }]);
    expect(p.truncated).toBe(true);
  });
});
