import { NO_AUDIT, type ProgramIo } from './runtime.ts';

/** A ProgramIo for runtime tests that collects stdout and stderr as text. */
export function recordingIo(overrides: Partial<ProgramIo> = {}): { io: ProgramIo; stdout(): string; stderr(): string } {
  let stdout = '';
  let stderr = '';
  const decoder = new TextDecoder();
  const io: ProgramIo = {
    args: [],
    env: {},
    stdin: new Uint8Array(),
    cwd: '',
    stdout: (bytes) => (stdout += decoder.decode(bytes)),
    stderr: (bytes) => (stderr += decoder.decode(bytes)),
    interrupt: new Int32Array(new SharedArrayBuffer(4)),
    audit: NO_AUDIT,
    ...overrides,
  };
  return { io, stdout: () => stdout, stderr: () => stderr };
}
