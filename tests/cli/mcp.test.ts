import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, removeAll, tempDir } from './helpers.ts';

// `isobox mcp` through the SDK's own client over stdio, as Claude Desktop or Cursor would use it.
describe('isobox mcp', { timeout: 120_000 }, () => {
  let ws: string;
  let outside: string;
  let client: Client;
  const transportErrors: Error[] = [];
  let serverLog = '';

  beforeAll(async () => {
    ws = await tempDir({ 'data/in.txt': 'from the workspace\n', 'blob.bin': new Uint8Array([0, 1, 2, 3]) });
    outside = await tempDir({ 'secret.txt': 'TOP SECRET' });
    await symlink(join(outside, 'secret.txt'), join(ws, 'link.txt'));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--workspace', ws, '--timeout', '8'],
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    client = new Client({ name: 'isobox-test', version: '1.0.0' });
    await client.connect(transport);
    // Anything but JSON-RPC on the server's stdout would surface here.
    transport.onerror = (error) => transportErrors.push(error);
  });

  afterAll(async () => {
    await client?.close();
    await removeAll([ws, outside]);
  });

  const call = async (name: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean }> => {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    const first = result.content[0];
    return { text: first?.type === 'text' ? first.text : '', isError: result.isError === true };
  };

  it('lists exactly the five tools, with input schemas and descriptions', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['exec', 'list_files', 'read_file', 'run_code', 'write_file']);
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(byName.run_code?.inputSchema.required).toEqual(['language', 'code']);
    expect(byName.run_code?.inputSchema.properties?.language).toMatchObject({ enum: ['python', 'ruby', 'c', 'cpp'] });
    expect(byName.exec?.inputSchema.required).toEqual(['command']);
    expect(byName.read_file?.inputSchema.required).toEqual(['path']);
    expect(byName.write_file?.inputSchema.required).toEqual(['path', 'content']);
    expect(byName.list_files?.inputSchema.required ?? []).toEqual([]);
    for (const tool of tools) expect(tool.description?.length ?? 0).toBeGreaterThan(40);
  });

  it('runs code that reads and writes the workspace directory', async () => {
    const r = await call('run_code', {
      language: 'python',
      code: 'print(open("data/in.txt").read().strip())\nopen("made.txt", "w").write("by python")\n',
    });
    expect(r.isError).toBe(false);
    expect(r.text).toMatch(/^status: ok, exit code 0, \d+ ms\nfiles changed: made\.txt\n/);
    expect(r.text).toContain('<stdout>\nfrom the workspace\n</stdout>');
    expect(await readFile(join(ws, 'made.txt'), 'utf8')).toBe('by python');
  });

  it('reports a failing program as a result, not a tool error', async () => {
    const r = await call('run_code', { language: 'python', code: 'import sys\nprint("oops", file=sys.stderr)\nsys.exit(3)' });
    expect(r.isError).toBe(false);
    expect(r.text).toMatch(/^status: error, exit code 3/);
    expect(r.text).toContain('<stderr>\noops\n</stderr>');
  });

  it('gives run_code and exec the stdin they are passed, and end-of-file without it', async () => {
    const given = await call('run_code', { language: 'python', code: 'print(input()[::-1])', stdin: 'olleh\n' });
    expect(given.text).toContain('<stdout>\nhello\n</stdout>');
    const none = await call('run_code', { language: 'python', code: 'input()' });
    expect(none.text).toMatch(/^status: error, exit code 1/);
    expect(none.text).toContain('EOFError');
    const line = await call('exec', { command: 'python -c "import sys; print(len(sys.stdin.readlines()))"', stdin: 'a\nb\nc\n' });
    expect(line.text).toContain('<stdout>\n3\n</stdout>');
  });

  it('times out a runaway program at --timeout', async () => {
    const r = await call('run_code', { language: 'python', code: 'while True: pass' });
    expect(r.isError).toBe(false);
    expect(r.text).toMatch(/^status: timeout, exit code 124/);
  });

  it('a cancelled call stops its own run; one cancelled while it waits never runs', async () => {
    const busy = new AbortController();
    const waiting = new AbortController();
    const settled = (promise: Promise<unknown>): Promise<string> => promise.then(() => 'answered', (error: Error) => error.message);
    const first = settled(client.callTool({ name: 'run_code', arguments: { language: 'python', code: 'while True:\n    pass\n' } }, undefined, { signal: busy.signal }));
    const second = settled(client.callTool({ name: 'run_code', arguments: { language: 'python', code: 'open("cancel-2.txt", "w").write("ran")\n' } }, undefined, { signal: waiting.signal }));
    waiting.abort();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = Date.now();
    busy.abort();
    expect(await first).toMatch(/aborted/);
    expect(await second).toMatch(/aborted/);
    // The runaway run ends long before the 8 s --timeout (it would end 7.5 s after the cancel), and the next call works.
    expect((await call('run_code', { language: 'python', code: 'print("after cancel")' })).text).toContain('after cancel');
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await call('list_files', {})).text).not.toContain('cancel-2.txt');
  });

  it('runs shell lines, keeping the working directory between calls', async () => {
    const first = await call('exec', { command: 'mkdir -p sub && cd sub && echo hi > a.txt && pwd' });
    expect(first.isError).toBe(false);
    expect(first.text).toContain('files changed: sub/a.txt');
    expect(first.text).toContain('<stdout>\n/workspace/sub\n</stdout>');
    const second = await call('exec', { command: 'cat a.txt | cat && python -c "print(6*7)"' });
    expect(second.text).toContain('working directory: /workspace/sub');
    expect(second.text).toContain('<stdout>\nhi\n42\n</stdout>');
    expect(await readFile(join(ws, 'sub/a.txt'), 'utf8')).toBe('hi\n');
  });

  it('writes, reads and lists files', async () => {
    expect(await call('write_file', { path: 'notes/todo.md', content: '# todo\n' })).toEqual({ text: 'wrote 7 bytes to notes/todo.md', isError: false });
    expect(await readFile(join(ws, 'notes/todo.md'), 'utf8')).toBe('# todo\n');
    expect(await call('read_file', { path: '/workspace/notes/todo.md' })).toEqual({ text: '# todo\n', isError: false });
    expect((await call('read_file', { path: 'blob.bin' })).text).toBe('blob.bin is a binary file (4 bytes); not shown as text.');

    await mkdir(join(ws, 'empty'));
    await writeFile(join(ws, 'notes/b.txt'), 'bb');
    expect((await call('list_files', { path: 'notes' })).text).toBe('/workspace/notes:\nb.txt  2 bytes\ntodo.md  7 bytes');
    expect((await call('list_files', { path: 'empty' })).text).toBe('/workspace/empty:\n(empty)');
    const root = await call('list_files', {});
    expect(root.text.split('\n')).toEqual(expect.arrayContaining(['/workspace:', 'data/', 'notes/', 'made.txt  9 bytes']));
    // A link out of the workspace is not shown.
    expect(root.text).not.toContain('link.txt');
  });

  it('answers bad paths and missing files with isError and a clear message', async () => {
    expect(await call('read_file', { path: 'missing.txt' })).toEqual({ text: 'ENOENT: no such file or directory: missing.txt', isError: true });
    expect(await call('read_file', { path: '../secret.txt' })).toEqual({ text: 'EACCES: path leaves the workspace: ../secret.txt', isError: true });
    expect(await call('read_file', { path: join(outside, 'secret.txt') })).toMatchObject({ isError: true, text: expect.stringMatching(/^EACCES: path must be relative/) });
    const link = await call('read_file', { path: 'link.txt' });
    expect(link.isError).toBe(true);
    expect(link.text).toMatch(/symbolic link leads out of the workspace/);
    expect(link.text).not.toContain('TOP SECRET');
    expect((await call('write_file', { path: '../escape.txt', content: 'x' })).isError).toBe(true);
    expect((await call('write_file', { path: '.', content: 'x' })).isError).toBe(true);
    expect((await call('list_files', { path: 'data/in.txt' })).text).toMatch(/^ENOTDIR/);
    expect((await call('run_code', { language: 'cobol', code: '' })).isError).toBe(true);
    expect((await call('exec', { command: 'cat ../secret.txt' })).text).not.toContain('TOP SECRET');
  });

  it('keeps stdout for the protocol', () => {
    expect(transportErrors).toEqual([]);
    expect(serverLog).toContain('isobox mcp: MCP server ready');
  });
});
