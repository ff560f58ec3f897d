import { describe, expect, it } from 'vitest';
import type { OutputChunk } from '../protocol.ts';
import { JobOutput } from './job-output.ts';

describe('JobOutput', () => {
  it('keeps each stream, forwards chunks as they come and notes the cap', () => {
    const seen: OutputChunk[] = [];
    const output = new JobOutput((chunk) => seen.push(chunk));
    output.forward([{ stream: 'stdout', text: 'a' }, { stream: 'stderr', text: 'oops' }]);
    output.forward([{ stream: 'stdout', text: 'b', truncated: true }]);
    expect(output.stdout).toBe('ab');
    expect(output.stderr).toBe('oops');
    expect(output.truncated).toBe(true);
    expect(seen.map((c) => c.text)).toEqual(['a', 'oops', 'b']);
  });

  it('waits for batches still in flight, counting blocked attempts too', async () => {
    const output = new JobOutput();
    let arrived = false;
    const all = output.allArrived(3).then(() => (arrived = true));
    output.forward([{ stream: 'stdout', text: '1' }]);
    output.onBlocked({ kind: 'network', target: 'js.fetch', rule: 'network is off' });
    await Promise.resolve();
    expect(arrived).toBe(false);
    output.forward([{ stream: 'stdout', text: '2' }]);
    await all;
    expect(output.stdout).toBe('12');
    expect(output.blocked).toEqual([{ kind: 'network', target: 'js.fetch', rule: 'network is off' }]);
  });

  it('resolves at once when everything already arrived', async () => {
    const output = new JobOutput();
    output.forward([{ stream: 'stdout', text: 'x' }]);
    await output.allArrived(1);
    await output.allArrived(0);
  });

  it('ignores what arrives after the job finished, and streams host notes as stderr', () => {
    const seen: OutputChunk[] = [];
    const output = new JobOutput((chunk) => seen.push(chunk));
    output.finish();
    output.forward([{ stream: 'stdout', text: 'late' }]);
    output.onBlocked({ kind: 'network', target: 'x', rule: 'y' });
    output.note('isobox: note\n');
    output.note('');
    expect(output.stdout).toBe('');
    expect(output.blocked).toEqual([]);
    expect(seen).toEqual([{ stream: 'stderr', text: 'isobox: note\n' }]);
  });
});
