/**
 * A small in-memory fake of the `Sandbox` interface for agent tests (the real sandbox is built
 * elsewhere). The workspace is a Map; "Python" understands `print(<arithmetic or string>)` lines;
 * anything else can be scripted with `programs`. `hang` makes runs wait for `interrupt()`.
 */
import type { Sandbox } from '../../src/sandbox/host/api.ts';
import type { DirEntry, Workspace } from '../../src/sandbox/fs/workspace.ts';
import { normalizePath, parentOf, baseName, WorkspaceError } from '../../src/sandbox/fs/paths.ts';
import { DEFAULT_LIMITS, EXIT_KILLED } from '../../src/sandbox/limits.ts';
import type { BlockedAttempt, ExecOptions, ExecResult, Language, Manifest, RunOptions, RunResult, RunAudit, RuntimeStatus } from '../../src/sandbox/protocol.ts';

/** What a scripted program prints; `undefined` falls back to the built-in evaluator. */
export type FakeProgram = (
  code: string,
  language: Language,
  args: string[],
  fs: MemoryWorkspace,
) => { stdout?: string; stderr?: string; exitCode?: number } | undefined;

export interface FakeSandboxOptions {
  programs?: FakeProgram;
  /** Runs print `started\n` and then wait for `interrupt()`, ending as `killed`. */
  hang?: boolean;
}

/** An in-memory workspace over a Map, with the real path rules. */
export class MemoryWorkspace implements Workspace {
  readonly kind = 'memory' as const;
  readonly files = new Map<string, { data: Uint8Array; mtime: number }>();
  readonly dirs = new Set<string>();

  async manifest(): Promise<Manifest> {
    const files: Manifest['files'] = {};
    for (const [path, f] of this.files) files[path] = { size: f.data.length, mtime: f.mtime };
    return { files, dirs: [...this.dirs].sort() };
  }

  async readFile(path: string): Promise<Uint8Array> {
    const p = normalizePath(path);
    const file = this.files.get(p);
    if (!file) throw new WorkspaceError(this.dirs.has(p) || p === '' ? 'EISDIR' : 'ENOENT', `${this.dirs.has(p) ? 'is a directory' : 'no such file'}: ${path}`);
    return file.data;
  }

  async readText(path: string): Promise<string> {
    return new TextDecoder().decode(await this.readFile(path));
  }

  async writeFile(path: string, data: Uint8Array | string): Promise<void> {
    const p = normalizePath(path);
    if (p === '' || this.dirs.has(p)) throw new WorkspaceError('EISDIR', `is a directory: ${path}`);
    await this.mkdir(parentOf(p));
    this.files.set(p, { data: typeof data === 'string' ? new TextEncoder().encode(data) : data, mtime: Date.now() });
  }

  async mkdir(path: string): Promise<void> {
    let p = normalizePath(path);
    while (p !== '') {
      this.dirs.add(p);
      p = parentOf(p);
    }
  }

  async remove(path: string): Promise<void> {
    const p = normalizePath(path);
    if (!this.files.delete(p) && !this.dirs.has(p)) throw new WorkspaceError('ENOENT', `no such file or directory: ${path}`);
    for (const key of [...this.files.keys()]) if (key.startsWith(`${p}/`)) this.files.delete(key);
    for (const dir of [...this.dirs]) if (dir === p || dir.startsWith(`${p}/`)) this.dirs.delete(dir);
  }

  async rename(from: string, to: string): Promise<void> {
    const data = await this.readFile(from);
    await this.writeFile(to, data);
    await this.remove(from);
  }

  async readdir(path: string): Promise<DirEntry[]> {
    const p = normalizePath(path);
    if (p !== '' && !this.dirs.has(p)) {
      throw new WorkspaceError(this.files.has(p) ? 'ENOTDIR' : 'ENOENT', `${this.files.has(p) ? 'not a directory' : 'no such directory'}: ${path}`);
    }
    const entries: DirEntry[] = [];
    for (const dir of this.dirs) if (parentOf(dir) === p) entries.push({ name: baseName(dir), path: dir, kind: 'dir', size: 0 });
    for (const [file, f] of this.files) if (parentOf(file) === p) entries.push({ name: baseName(file), path: file, kind: 'file', size: f.data.length });
    return entries.sort((a, b) => a.name.localeCompare(b.name));
  }

  async exists(path: string): Promise<boolean> {
    const p = normalizePath(path);
    return p === '' || this.files.has(p) || this.dirs.has(p);
  }
}

type Outcome = { stdout: string; stderr: string; exitCode: number; filesChanged?: string[]; blocked?: BlockedAttempt[] };

/** The fake sandbox. `runs`, `execs`, `interrupts` and `aborts` record what the agent did. */
export class FakeSandbox implements Sandbox {
  readonly fs = new MemoryWorkspace();
  readonly limits = DEFAULT_LIMITS;
  readonly runs: RunOptions[] = [];
  readonly execs: Array<{ line: string; cwd?: string }> = [];
  interrupts = 0;
  /** Runs stopped by their own AbortSignal. */
  aborts = 0;
  /** True while a run or exec is in progress. */
  busy = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: FakeSandboxOptions = {}) {}

  async run(options: RunOptions): Promise<RunResult> {
    this.runs.push(options);
    return this.perform(options, () => this.program(options.code, options.language, options.args ?? []));
  }

  async exec(line: string, options: ExecOptions = {}): Promise<ExecResult> {
    this.execs.push({ line, cwd: options.cwd });
    const state = { cwd: options.cwd ?? '' };
    const result = await this.perform(options, () => this.shell(line, state));
    return { ...result, cwd: state.cwd };
  }

  interrupt(): void {
    this.interrupts += 1;
    this.wake?.();
  }

  async warmup(): Promise<void> {}

  /** The agent never runs interactively: there is no terminal to feed. */
  writeStdin(_text: string): boolean {
    return false;
  }

  endStdin(): boolean {
    return false;
  }

  onWorkspaceChanged(_listener: (manifest: Manifest) => void): () => void {
    return () => undefined;
  }

  onRuntimeStatus(_listener: (status: RuntimeStatus) => void): () => void {
    return () => {};
  }

  async dispose(): Promise<void> {}

  private async perform({ onOutput, signal }: Pick<RunOptions, 'onOutput' | 'signal'>, work: () => Promise<Outcome>): Promise<RunResult> {
    const started = Date.now();
    const killed = (stdout: string): RunResult => ({ status: 'killed', exitCode: EXIT_KILLED, stdout, stderr: '', truncated: false, durationMs: Date.now() - started, filesChanged: [], audit: fakeAudit([]) });
    if (signal?.aborted) {
      this.aborts += 1;
      return killed('');
    }
    this.busy = true;
    try {
      if (this.options.hang) {
        const woken = new Promise<void>((resolve) => (this.wake = resolve));
        const onAbort = (): void => {
          this.aborts += 1;
          this.wake?.();
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        onOutput?.({ stream: 'stdout', text: 'started\n' });
        await woken;
        signal?.removeEventListener('abort', onAbort);
        return killed('started\n');
      }
      const outcome = await work();
      for (const line of outcome.stdout.match(/[^\n]*\n|[^\n]+$/g) ?? []) onOutput?.({ stream: 'stdout', text: line });
      if (outcome.stderr) onOutput?.({ stream: 'stderr', text: outcome.stderr });
      return {
        status: outcome.exitCode === 0 ? 'ok' : 'error',
        exitCode: outcome.exitCode,
        stdout: outcome.stdout,
        stderr: outcome.stderr,
        truncated: false,
        durationMs: Date.now() - started,
        filesChanged: outcome.filesChanged ?? [],
        audit: fakeAudit(outcome.filesChanged ?? [], outcome.blocked ?? []),
      };
    } finally {
      this.busy = false;
      this.wake = undefined;
    }
  }

  private async program(code: string, language: Language, args: string[]): Promise<Outcome> {
    const scripted = this.options.programs?.(code, language, args, this.fs);
    if (scripted) return { stdout: scripted.stdout ?? '', stderr: scripted.stderr ?? '', exitCode: scripted.exitCode ?? 0 };
    if (language !== 'python') return { stdout: '', stderr: `fake sandbox: cannot run ${language}\n`, exitCode: 1 };
    return evaluatePrints(code);
  }

  /** A few commands of the shell language, enough for the agent tests. */
  private async shell(line: string, state: { cwd: string }): Promise<Outcome> {
    let stdout = '';
    let stderr = '';
    const filesChanged: string[] = [];
    for (const command of line.split('&&').map((c) => c.trim())) {
      const [name = '', ...args] = command.split(/\s+/);
      const at = (p: string) => normalizePath(state.cwd ? `${state.cwd}/${p}` : p);
      let out: Outcome;
      try {
        if (name === 'python' || name === 'ruby') {
          const file = args[0] ?? '';
          out = await this.program(await this.fs.readText(at(file)), name, args.slice(1));
        } else if (name === 'cat') out = { stdout: await this.fs.readText(at(args[0] ?? '')), stderr: '', exitCode: 0 };
        else if (name === 'echo') out = { stdout: `${args.join(' ')}\n`, stderr: '', exitCode: 0 };
        else if (name === 'pwd') out = { stdout: `/workspace${state.cwd ? `/${state.cwd}` : ''}\n`, stderr: '', exitCode: 0 };
        else if (name === 'ls') out = { stdout: (await this.fs.readdir(at(args[0] ?? '.'))).map((e) => `${e.name}\n`).join(''), stderr: '', exitCode: 0 };
        else if (name === 'cd') {
          const target = at(args[0] ?? '.');
          if (target !== '' && !this.fs.dirs.has(target)) throw new WorkspaceError('ENOENT', `no such directory: ${args[0]}`);
          state.cwd = target;
          out = { stdout: '', stderr: '', exitCode: 0 };
        } else if (name === 'cc') {
          const output = at(args[args.indexOf('-o') + 1] ?? 'a.wasm');
          await this.fs.readText(at(args[0] ?? ''));
          await this.fs.writeFile(output, new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
          out = { stdout: '', stderr: '', exitCode: 0, filesChanged: [output] };
        } else if (name.startsWith('./')) {
          const path = at(name.slice(2));
          await this.fs.readFile(path);
          out = await this.program(path, 'wasm', args);
        } else out = { stdout: '', stderr: `${name}: command not found\n`, exitCode: 127 };
      } catch (error) {
        out = { stdout: '', stderr: `${name}: ${(error as Error).message}\n`, exitCode: 1 };
      }
      stdout += out.stdout;
      stderr += out.stderr;
      filesChanged.push(...(out.filesChanged ?? []));
      if (out.exitCode !== 0) return { stdout, stderr, exitCode: out.exitCode, filesChanged };
    }
    return { stdout, stderr, exitCode: 0, filesChanged };
  }
}

/** Runs `print(…)` lines of arithmetic or string literals; anything else is a NameError. */
export function evaluatePrints(code: string): Outcome {
  let stdout = '';
  for (const raw of code.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^print\((.*)\)$/.exec(line);
    const expr = match?.[1]?.trim() ?? '';
    if (/^[\d\s+\-*/%().]+$/.test(expr)) {
      stdout += `${String(Function(`"use strict"; return (${expr.replaceAll('//', '/')});`)())}\n`;
    } else if (/^(["']).*\1$/.test(expr)) {
      stdout += `${expr.slice(1, -1)}\n`;
    } else {
      return { stdout, stderr: `Traceback (most recent call last):\n  File "main.py", line 1\nNameError: fake python cannot run: ${line}\n`, exitCode: 1 };
    }
  }
  return { stdout, stderr: '', exitCode: 0 };
}

/** An audit as the real sandbox would report it for these changes and refusals. */
function fakeAudit(changed: string[], blocked: BlockedAttempt[] = []): RunAudit {
  return {
    files: { read: [], created: changed, modified: [], deleted: [] },
    blocked,
    peakMemoryBytes: 0,
    outputBytes: { stdout: 0, stderr: 0 },
    eventsDropped: 0,
  };
}
