import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSandbox } from '../../tests/mock-llm/fake-sandbox.ts';
import { createMemoryWorkspace } from '../sandbox/fs/memory.ts';
import type { Sandbox } from '../sandbox/host/api.ts';
import { createNodeSandbox } from '../sandbox/host/node.ts';
import { cutText, MODEL_OUTPUT_LIMIT, stripAnsi } from './cut.ts';
import { FULL_OUTPUT_DIR, modelView, runTool, workspacePath, type ToolOutcome, type ToolState } from './tools.ts';
import type { RunToolResult } from './types.ts';

const ok = (outcome: ToolOutcome) => {
  if (!outcome.ok) throw new Error(`expected ok, got: ${outcome.error}`);
  return outcome.result;
};

describe('cutText', () => {
  it('leaves short text alone', () => {
    expect(cutText('hello', 10)).toBe('hello');
  });

  it('keeps head and tail of long text with a note of how much was cut', () => {
    const text = `${'a'.repeat(10_000)}${'z'.repeat(10_000)}`;
    const cut = cutText(text, 8192);
    expect(cut.startsWith('a'.repeat(6144))).toBe(true);
    expect(cut.endsWith('z'.repeat(2048))).toBe(true);
    expect(cut).toContain(`[… ${20_000 - 8192} bytes cut]`);
  });

  it('counts UTF-8 bytes and never leaves half a character', () => {
    const cut = cutText('é'.repeat(5000), 1001);
    expect(cut).not.toContain('\uFFFD');
    expect(cut).toMatch(/\[… \d+ bytes cut\]/);
  });
});

describe('stripAnsi', () => {
  it('drops colour and OSC sequences, keeps the text', () => {
    expect(stripAnsi('\u001b[31mFAIL\u001b[0m: x \u001b[1;32mOK\u001b[0m')).toBe('FAIL: x OK');
    expect(stripAnsi('\u001b]0;title\u0007done')).toBe('done');
    expect(stripAnsi('plain')).toBe('plain');
  });
});

describe('runTool', () => {
  it('run_code returns the typed RunResult and streams output', async () => {
    const sandbox = new FakeSandbox();
    const chunks: string[] = [];
    const result = ok(await runTool(sandbox, 'run_code', { language: 'python', code: 'print(6*7)' }, { onOutput: (c) => chunks.push(c.text) }));
    expect(result).toMatchObject({ kind: 'run', status: 'ok', exitCode: 0, stdout: '42\n', stderr: '', truncated: false });
    expect(chunks).toEqual(['42\n']);
  });

  it('run_code passes stdin when given and none when not, and reports the workspace root as its directory', async () => {
    const sandbox = new FakeSandbox();
    expect(ok(await runTool(sandbox, 'run_code', { language: 'python', code: 'print(1)', stdin: 'line\n' }))).toMatchObject({ cwd: '' });
    await runTool(sandbox, 'run_code', { language: 'python', code: 'print(1)' });
    expect(sandbox.runs.map((run) => run.stdin)).toEqual(['line\n', undefined]);
  });

  it('a program that fails is a result, not a tool error', async () => {
    const result = ok(await runTool(new FakeSandbox(), 'run_code', { language: 'python', code: 'import nope' }));
    expect(result).toMatchObject({ kind: 'run', status: 'error', exitCode: 1 });
  });

  it('exec keeps the working directory between calls', async () => {
    const sandbox = new FakeSandbox();
    await sandbox.fs.mkdir('src');
    const state = { cwd: '' };
    expect(ok(await runTool(sandbox, 'exec', { command: 'cd src' }, { state }))).toMatchObject({ cwd: 'src' });
    await runTool(sandbox, 'exec', { command: 'pwd' }, { state });
    expect(sandbox.execs.at(-1)).toEqual({ line: 'pwd', cwd: 'src' });
  });

  it('write_file, read_file and list_files work on the workspace, /workspace/ prefix accepted', async () => {
    const sandbox = new FakeSandbox();
    expect(ok(await runTool(sandbox, 'write_file', { path: '/workspace/dir/a.txt', content: 'héllo' }))).toEqual({ kind: 'write', path: 'dir/a.txt', bytes: 6 });
    expect(ok(await runTool(sandbox, 'read_file', { path: 'dir/a.txt' }))).toEqual({ kind: 'read', path: 'dir/a.txt', content: 'héllo', bytes: 6, binary: false });
    expect(ok(await runTool(sandbox, 'list_files', {}))).toEqual({ kind: 'list', path: '.', entries: [{ name: 'dir', path: 'dir', kind: 'dir', size: 0 }] });
    expect(ok(await runTool(sandbox, 'list_files', { path: 'dir' }))).toMatchObject({ entries: [{ name: 'a.txt', kind: 'file', size: 6 }] });
  });

  it('reports binary files without their bytes', async () => {
    const sandbox = new FakeSandbox();
    await sandbox.fs.writeFile('a.wasm', new Uint8Array([0, 97, 115, 109]));
    expect(ok(await runTool(sandbox, 'read_file', { path: 'a.wasm' }))).toEqual({ kind: 'read', path: 'a.wasm', content: '', bytes: 4, binary: true });
  });

  it('returns workspace errors and bad input as tool errors, never throws', async () => {
    const sandbox = new FakeSandbox();
    expect(await runTool(sandbox, 'read_file', { path: 'missing.txt' })).toEqual({ ok: false, error: 'ENOENT: no such file: missing.txt' });
    expect(await runTool(sandbox, 'write_file', { path: '../x', content: '' })).toMatchObject({ ok: false, error: expect.stringMatching(/^EACCES: path leaves the workspace/) });
    expect(await runTool(sandbox, 'write_file', { path: '/etc/passwd', content: '' })).toMatchObject({ ok: false, error: expect.stringMatching(/^EACCES/) });
    expect(await runTool(sandbox, 'list_files', { path: 'nope' })).toMatchObject({ ok: false, error: expect.stringMatching(/^ENOENT/) });
    expect(await runTool(sandbox, 'run_code', { language: 'cobol', code: '' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid input for run_code/) });
    expect(await runTool(sandbox, 'exec', { command: '' })).toMatchObject({ ok: false });
  });

  it('stops its own run when the signal aborts during it, and one aborted before never starts', async () => {
    const sandbox = new FakeSandbox({ hang: true });
    const controller = new AbortController();
    const pending = runTool(sandbox, 'run_code', { language: 'python', code: 'x' }, { signal: controller.signal });
    controller.abort();
    expect(ok(await pending)).toMatchObject({ status: 'killed', exitCode: 137 });
    expect(sandbox.aborts).toBe(1);
    expect(await runTool(sandbox, 'exec', { command: 'echo hi' }, { signal: controller.signal })).toEqual({ ok: false, error: 'Stopped before it ran.' });
    expect(sandbox.execs).toEqual([]);
  });
});

describe('runTool over the real sandbox shell (Node)', () => {
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = createNodeSandbox({ workspace: createMemoryWorkspace({ 'data.txt': 'b\na\nb\n' }) });
  });
  afterAll(async () => {
    await sandbox.dispose();
  });

  it('exec reports the working directory and the variables a line changed, and keeps them for the next exec', async () => {
    const state: ToolState = { cwd: '' };
    const first = ok(await runTool(sandbox, 'exec', { command: 'mkdir -p src && cd src && export MODE=debug LEVEL=2 && COUNT=3' }, { state }));
    expect(first).toMatchObject({ status: 'ok', cwd: 'src', envChanges: { MODE: 'debug', LEVEL: '2' }, shellVarChanges: { COUNT: '3' } });
    expect(modelView(first)).toMatchObject({ cwd: '/workspace/src', envChanges: { MODE: 'debug', LEVEL: '2' } });
    const second = ok(await runTool(sandbox, 'exec', { command: 'unset LEVEL; echo "$MODE $COUNT $LEVEL" | wc -w; pwd' }, { state }));
    expect(second).toMatchObject({ stdout: '2\n/workspace/src\n', envChanges: { LEVEL: null } });
    expect(second).not.toHaveProperty('shellVarChanges');
    expect(state).toMatchObject({ cwd: 'src', env: { MODE: 'debug' }, vars: { COUNT: '3' } });
  });

  it("the agent's variables are its own: the terminal's session does not see them", async () => {
    await runTool(sandbox, 'exec', { command: 'export AGENT_ONLY=1' }, { state: { cwd: '' } });
    expect((await sandbox.exec('echo "[$AGENT_ONLY]"')).stdout).toBe('[]\n');
  });

  it('exec feeds stdin when given, and end-of-file at once when not', async () => {
    expect(ok(await runTool(sandbox, 'exec', { command: 'sort | uniq -c', stdin: 'x\ny\nx\n' }))).toMatchObject({ stdout: '      2 x\n      1 y\n', exitCode: 0 });
    expect(ok(await runTool(sandbox, 'exec', { command: 'cat; echo done' }))).toMatchObject({ stdout: 'done\n', exitCode: 0 });
  });

  it('a long output is saved whole to a workspace file, and the model is told how much it misses and how to read it', async () => {
    const state: ToolState = { cwd: '' };
    const result = ok(await runTool(sandbox, 'exec', { command: 'seq 1 20000' }, { state }));
    const file = `${FULL_OUTPUT_DIR}/exec-1.stdout.txt`;
    expect(result).toMatchObject({ fullOutput: { stdout: { path: file, bytes: 108_894 } } });
    const full = await sandbox.fs.readText(file);
    expect(full.split('\n')).toHaveLength(20001);
    expect(full.endsWith('19999\n20000\n')).toBe(true);
    const view = modelView(result);
    expect(view.note).toContain(`stdout is ${full.length} bytes`);
    expect(view.note).toContain(`${full.length - MODEL_OUTPUT_LIMIT} bytes in the middle left out`);
    expect(view.note).toContain(`/workspace/${file}`);
    expect(String(view.stdout)).toContain('bytes cut]');
    // The model follows the note: grep the saved file.
    expect(ok(await runTool(sandbox, 'exec', { command: `grep -n '^12345$' ${file}` }, { state }))).toMatchObject({ stdout: '12345:12345\n' });
  });
});

describe('modelView', () => {
  it('cuts each stream to 8 KB for the model with a note', () => {
    const run: RunToolResult = { kind: 'run', status: 'ok', exitCode: 0, stdout: 'x'.repeat(50_000), stderr: 'short', truncated: true, durationMs: 5, filesChanged: ['a'] };
    expect(modelView({ ...run, stdout: '\u001b[32mOK\u001b[0m\n' }).stdout).toBe('OK\n');
    const view = modelView(run);
    expect(String(view.stdout).length).toBeLessThan(MODEL_OUTPUT_LIMIT + 100);
    expect(view.stdout).toContain('bytes cut]');
    expect(view).toMatchObject({ status: 'ok', exitCode: 0, stderr: 'short', durationMs: 5, filesChanged: ['a'], note: expect.stringContaining('output cap') });
  });
});

describe('workspacePath', () => {
  it('maps model paths into the workspace', () => {
    expect(workspacePath('/workspace')).toBe('');
    expect(workspacePath('/workspace/a/b.py')).toBe('a/b.py');
    expect(workspacePath('./a//b.py ')).toBe('a/b.py');
    expect(() => workspacePath('/workspacex/a')).toThrow(/relative/);
  });
});
