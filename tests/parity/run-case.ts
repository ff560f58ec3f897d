/**
 * Runs one parity case against a sandbox and reduces the result to a record that must be the same
 * in Node and in the browser. The driver has the shape of `window.isobox` (src/ui/automation.ts),
 * which a Node `Sandbox` fits as well; e2e/parity.spec.ts forwards each call into the page.
 *
 * The record is the RunResult without `durationMs` (plus `cwd` for shell lines and the contents of
 * the changed files). Nothing is normalized. Only the encoding of long or binary text is compacted
 * (the same way on both sides, from the same text), so expected.json stays readable:
 * - a stream or file longer than LONG_TEXT characters becomes a digest line with its length, its
 *   UTF-8 size, its SHA-256 and its first and last characters;
 * - a file that is not valid UTF-8 becomes a digest line too. `window.isobox` only has `readText`
 *   (TextDecoder, invalid bytes → U+FFFD), so the digest is that of the decoded text, on both sides.
 */
import { createHash } from 'node:crypto';
import type { ExecResult, Language, RunResult, RunStatus } from '../../src/sandbox/protocol.ts';
import { type CaseExpect, type ParityCase, isExec } from './corpus.ts';

/** What a case needs from a sandbox: the `window.isobox` shape. */
export interface ParityDriver {
  run(options: { language: Language; code: string; args?: string[]; env?: Record<string, string>; stdin?: string; timeoutMs?: number }): Promise<RunResult>;
  exec(line: string, options?: { env?: Record<string, string>; stdin?: string; timeoutMs?: number }): Promise<ExecResult>;
  /** Rejects when the file does not exist. */
  readText(path: string): Promise<string>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
}

/** A run as both sides must report it. */
export interface ParityRecord {
  status: RunStatus;
  exitCode: number;
  stdout: string;
  stderr: string;
  truncated: boolean;
  filesChanged: string[];
  /** Each changed file as text (see `compact`), or null when the run removed it. */
  files: Record<string, string | null>;
  /** The working directory after a shell line (shell lines only). */
  cwd?: string;
}

/** Text longer than this is recorded as a digest line. */
export const LONG_TEXT = 4000;

/** `text` itself, or a digest line for long text (and for text that was not valid UTF-8). */
export function compact(text: string, forceDigest = false): string {
  if (!forceDigest && text.length <= LONG_TEXT) return text;
  const sha = createHash('sha256').update(text, 'utf8').digest('hex');
  const kind = forceDigest ? 'not UTF-8' : 'long text';
  const bytes = Buffer.byteLength(text, 'utf8');
  return `«${kind}: ${text.length} chars, ${bytes} bytes, sha256 ${sha}, starts ${JSON.stringify(text.slice(0, 40))}, ends ${JSON.stringify(text.slice(-40))}»`;
}

/**
 * Sets up and runs one case in a workspace that holds none of the case's files yet, and with
 * `$?` at 0: a `true` line first, because the sandbox keeps `$?` from the previous line.
 */
export async function runCase(driver: ParityDriver, testCase: ParityCase, fixtures: Record<string, Uint8Array>): Promise<ParityRecord> {
  await driver.exec('true');
  for (const [path, text] of Object.entries(testCase.setup ?? {})) await driver.writeFile(path, text);
  for (const [path, name] of Object.entries(testCase.wasmFixtures ?? {})) {
    const bytes = fixtures[name];
    if (!bytes) throw new Error(`${testCase.name}: fixture ${name} was not built`);
    await driver.writeFile(path, bytes);
  }
  const { run } = testCase;
  let result: RunResult | ExecResult;
  if (isExec(run)) {
    const { exec: line, ...options } = run;
    result = await driver.exec(line, options);
  } else {
    result = await driver.run(run);
  }
  const files: Record<string, string | null> = {};
  for (const path of result.filesChanged) {
    let text: string | null;
    try {
      text = await driver.readText(path);
    } catch {
      text = null;
    }
    files[path] = text === null ? null : compact(text, text.includes('\uFFFD'));
  }
  const shown = (text: string): string => compact(text);
  return {
    status: result.status,
    exitCode: result.exitCode,
    stdout: shown(result.stdout),
    stderr: shown(result.stderr),
    truncated: result.truncated,
    filesChanged: result.filesChanged,
    files,
    ...('cwd' in result ? { cwd: result.cwd } : {}),
  };
}

/** The hand-written expectations a record misses (empty when it meets them all). */
export function unmetExpectations(record: ParityRecord, expected: CaseExpect | undefined): string[] {
  if (!expected) return [];
  const misses: string[] = [];
  const same = (label: string, actual: unknown, wanted: unknown): void => {
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) misses.push(`${label}: expected ${JSON.stringify(wanted)}, got ${JSON.stringify(actual)}`);
  };
  if (expected.status !== undefined) same('status', record.status, expected.status);
  if (expected.exitCode !== undefined) same('exitCode', record.exitCode, expected.exitCode);
  if (expected.stdout !== undefined) same('stdout', record.stdout, expected.stdout);
  if (expected.stderr !== undefined) same('stderr', record.stderr, expected.stderr);
  if (expected.truncated !== undefined) same('truncated', record.truncated, expected.truncated);
  if (expected.filesChanged !== undefined) same('filesChanged', record.filesChanged, expected.filesChanged);
  for (const part of expected.stdoutIncludes ?? []) if (!record.stdout.includes(part)) misses.push(`stdout lacks ${JSON.stringify(part)}`);
  for (const part of expected.stdoutExcludes ?? []) if (record.stdout.includes(part)) misses.push(`stdout has ${JSON.stringify(part)}`);
  for (const part of expected.stderrIncludes ?? []) if (!record.stderr.includes(part)) misses.push(`stderr lacks ${JSON.stringify(part)}`);
  for (const [path, text] of Object.entries(expected.files ?? {})) same(`files[${path}]`, record.files[path], text);
  return misses;
}
