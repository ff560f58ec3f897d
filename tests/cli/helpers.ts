/** Spawning the real `isobox` bin in temporary workspaces. */
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where spawned CLIs keep their Python start-up snapshot during tests. */
export const TEST_CACHE_DIR = join(tmpdir(), 'isobox-test-cache');

/** Absolute path of bin/isobox.mjs. */
export const BIN = fileURLToPath(new URL('../../bin/isobox.mjs', import.meta.url));

export interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  cwd?: string;
  /** Written to stdin, which is then closed (always closed, so isobox never waits on it). */
  input?: string;
  env?: Record<string, string | undefined>;
  /** Kill the process after this long (ms). */
  killAfterMs?: number;
  /** Called with each stdout chunk; may signal the child. */
  onStdout?: (text: string, child: { kill(signal: NodeJS.Signals): boolean }) => void;
}

/** Runs `node bin/isobox.mjs ...args` to its end. */
export function isobox(args: string[], options: SpawnOptions = {}): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? tmpdir(),
      // One snapshot cache for the test run, not the user's: see fileSnapshotStore.
      env: { ...process.env, ISOBOX_CACHE_DIR: TEST_CACHE_DIR, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      options.onStdout?.(text, child);
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A fresh temporary directory with `files` in it (paths relative, parents created). */
export async function tempDir(files: Record<string, string | Uint8Array> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'isobox-cli-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** Removes directories made by `tempDir`. */
export async function removeAll(dirs: string[]): Promise<void> {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}
