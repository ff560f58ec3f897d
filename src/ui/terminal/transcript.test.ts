import { describe, expect, it } from 'vitest';
import { Transcript } from './transcript.ts';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

describe('Transcript', () => {
  it('keeps what was written for the next page', () => {
    const storage = memoryStorage();
    const first = new Transcript(storage);
    first.append('/workspace $ ls\r\n');
    first.append('main.py\n');
    first.save();
    expect(new Transcript(storage).saved).toBe('/workspace $ ls\r\nmain.py\n');
  });

  it('forgets everything on clear', () => {
    const storage = memoryStorage();
    const transcript = new Transcript(storage);
    transcript.append('old');
    transcript.save();
    transcript.clear();
    transcript.save();
    expect(new Transcript(storage).saved).toBe('');
    expect(storage.data.size).toBe(0);
  });

  it('keeps the newest 256 KiB, cut at a line start', () => {
    const transcript = new Transcript(memoryStorage());
    for (let i = 0; i < 5000; i++) transcript.append(`line ${i} ${'x'.repeat(100)}\n`);
    expect(transcript.saved.length).toBeLessThanOrEqual(256 * 1024);
    expect(transcript.saved.startsWith('line ')).toBe(true);
    expect(transcript.saved.endsWith(`line 4999 ${'x'.repeat(100)}\n`)).toBe(true);
    transcript.save();
  });

  it('works without storage', () => {
    const transcript = new Transcript(undefined);
    transcript.append('x');
    transcript.save();
    expect(transcript.saved).toBe('x');
  });
});
