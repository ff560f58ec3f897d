/**
 * Isobox's shell against Debian's bash and coreutils: every case of cases.json runs through the
 * interpreter over an in-memory workspace and must give what record.mjs recorded from the real
 * tools (stdout exactly, whether anything went to stderr, the exit code).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runLine } from '../../src/sandbox/shell/interpreter.ts';
import { FileTree } from '../../src/sandbox/worker/tree.ts';

type Check = 'stdout' | 'stderr' | 'exit';

interface PosixCase {
  name: string;
  line: string;
  stdin?: string;
  check?: Check[];
}

interface PosixRecord {
  name: string;
  stdout: string;
  stderr: string;
  exitCode: number;
}

const read = <T>(file: string): T => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as T;
const { files, cases } = read<{ files: Record<string, string>; cases: PosixCase[] }>('./cases.json');
const { records } = read<{ records: PosixRecord[] }>('./recorded.json');

async function runInIsobox(testCase: PosixCase): Promise<PosixRecord> {
  const tree = new FileTree();
  for (const [path, text] of Object.entries(files)) tree.writeFile(path, text);
  const decoder = new TextDecoder();
  let stdout = '';
  let stderr = '';
  const outcome = await runLine(testCase.line, {
    tree,
    cwd: '',
    env: {},
    lastExitCode: 0,
    stdin: new TextEncoder().encode(testCase.stdin ?? ''),
    stdout: (bytes) => void (stdout += decoder.decode(bytes)),
    stderr: (bytes) => void (stderr += decoder.decode(bytes)),
    interrupt: new Int32Array(new SharedArrayBuffer(4)),
    resolveProgram: () => undefined,
  });
  return { name: testCase.name, stdout, stderr, exitCode: outcome.exitCode };
}

describe('the shell gives what bash and coreutils give', () => {
  it('has a recording for every case, in order (re-run record.mjs after editing cases.json)', () => {
    expect(records.map((record) => record.name)).toEqual(cases.map((testCase) => testCase.name));
  });

  it.each(cases.map((testCase, i) => [testCase.name, testCase, records[i]] as const))('%s', async (_name, testCase, recorded) => {
    if (!recorded) throw new Error(`no recording for ${testCase.name}`);
    const actual = await runInIsobox(testCase);
    const check = testCase.check ?? ['stdout', 'stderr', 'exit'];
    const view = (record: PosixRecord): Record<string, unknown> => ({
      line: testCase.line,
      ...(check.includes('stdout') ? { stdout: record.stdout } : {}),
      ...(check.includes('stderr') ? { stderrWritten: record.stderr !== '' } : {}),
      ...(check.includes('exit') ? { exitCode: record.exitCode } : {}),
    });
    expect(view(actual), `stderr was: ${actual.stderr}`).toEqual(view(recorded));
  });
});
