import { describe, expect, it } from 'vitest';
import { OutputWriter, type WriteSink } from './output-writer.ts';

/** A sink that parses only when told to, and frames that run only when told to. */
function harness() {
  const writes: { data: string; parsed: () => void }[] = [];
  const frames: (() => void)[] = [];
  const sink: WriteSink = { write: (data, parsed) => writes.push({ data, parsed }) };
  const writer = new OutputWriter(sink, (callback) => {
    frames.push(callback);
    return () => frames.splice(frames.indexOf(callback), 1);
  });
  const frame = (): void => frames.splice(0).forEach((f) => f());
  const parseAll = (): void => writes.splice(0).forEach((w) => w.parsed());
  return { writer, writes, frames, frame, parseAll };
}

describe('OutputWriter', () => {
  it('writes at once when idle (the echo of a key), then batches what follows within a frame', () => {
    const { writer, writes, frame } = harness();
    writer.write('a');
    expect(writes.map((w) => w.data)).toEqual(['a']);
    writer.write('b');
    writer.write('c\n');
    expect(writes).toHaveLength(1);
    frame();
    expect(writes.map((w) => w.data)).toEqual(['a', 'bc\n']);
  });

  it('hands 1 MiB over in slices and stops at the high-water mark until the emulator catches up', () => {
    const { writer, writes, frame, parseAll } = harness();
    writer.write('x'.repeat(1024 * 1024));
    frame();
    const first = writes.reduce((n, w) => n + w.data.length, 0);
    expect(first).toBe(64 * 1024);
    expect(Math.max(...writes.map((w) => w.data.length))).toBe(8 * 1024);
    let total = first;
    for (let i = 0; i < 100 && writer.backlog > 0; i++) {
      parseAll();
      frame();
      total += writes.reduce((n, w) => n + w.data.length, 0);
    }
    expect(total).toBe(1024 * 1024);
  });

  it('runs a task only once the text queued before it was parsed', () => {
    const { writer, frame, parseAll } = harness();
    const seen: string[] = [];
    writer.write('text');
    writer.run(() => seen.push('task'));
    frame();
    expect(seen).toEqual([]);
    parseAll();
    frame();
    expect(seen).toEqual(['task']);
  });

  it('drained settles when everything is parsed', async () => {
    const { writer, frame, parseAll } = harness();
    await writer.drained();
    writer.write('abc');
    let done = false;
    void writer.drained().then(() => (done = true));
    frame();
    await Promise.resolve();
    expect(done).toBe(false);
    parseAll();
    await Promise.resolve();
    expect(done).toBe(true);
  });

  it('never splits a surrogate pair between two writes', () => {
    const { writer, writes, frame } = harness();
    writer.write(`${'x'.repeat(8 * 1024 - 1)}😀tail`);
    frame();
    expect(writes[0]?.data.length).toBe(8 * 1024 - 1);
    expect(writes[1]?.data.startsWith('😀')).toBe(true);
  });

  it('discard drops text not yet handed over but keeps tasks', () => {
    const { writer, writes, frame, parseAll } = harness();
    const seen: string[] = [];
    writer.write('on its way');
    writer.write('old');
    writer.run(() => seen.push('task'));
    writer.discard();
    parseAll();
    frame();
    expect(writes).toHaveLength(0);
    expect(seen).toEqual(['task']);
  });
});
