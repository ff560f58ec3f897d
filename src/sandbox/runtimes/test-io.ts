import { NO_AUDIT, type ProgramIo } from './runtime.ts';

/** One write of a program, with when it arrived. */
export interface RecordedChunk {
  stream: 'stdout' | 'stderr';
  text: string;
  at: number;
}

/** A ProgramIo for runtime tests that records every write (with its arrival time) as text. */
export function recordingIo(overrides: Partial<ProgramIo> = {}): { io: ProgramIo; chunks: RecordedChunk[]; stdout(): string; stderr(): string } {
  const chunks: RecordedChunk[] = [];
  const decoder = new TextDecoder();
  const record = (stream: RecordedChunk['stream']) => (bytes: Uint8Array) => chunks.push({ stream, text: decoder.decode(bytes), at: performance.now() });
  const io: ProgramIo = {
    args: [],
    env: {},
    stdin: new Uint8Array(),
    cwd: '',
    stdout: record('stdout'),
    stderr: record('stderr'),
    interrupt: new Int32Array(new SharedArrayBuffer(4)),
    audit: NO_AUDIT,
    ...overrides,
  };
  const text = (stream: RecordedChunk['stream']): string =>
    chunks
      .filter((c) => c.stream === stream)
      .map((c) => c.text)
      .join('');
  return { io, chunks, stdout: () => text('stdout'), stderr: () => text('stderr') };
}
