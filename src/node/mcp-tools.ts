/**
 * The MCP tools over a sandbox: `run_code`, `exec`, `read_file`, `write_file`, `list_files`
 * (names and input shapes are public, DESIGN.md "CLI and MCP"). Results are text for the model;
 * a tool that could not do its job (bad path, missing file) answers `isError: true`. A program
 * that ran and failed is not a tool error: its status and exit code are in the text.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { summarizeAudit } from '../sandbox/host/build-audit.ts';
import { z } from 'zod';
import { normalizePath } from '../sandbox/fs/paths.ts';
import type { Sandbox } from '../sandbox/host/api.ts';
import type { ExecResult, RunResult } from '../sandbox/protocol.ts';
import { describeError, runtimeOf, runtimesForLine, warmUp } from './session.ts';

/** Languages `run_code` takes source for (a `.wasm` binary runs through `exec "./x.wasm"`). */
export const RUN_CODE_LANGUAGES = ['python', 'ruby', 'c', 'cpp'] as const;

/** Characters of a file `read_file` returns; the rest is cut with a note. */
const READ_LIMIT = 1024 * 1024;

/** The tool names, in the order they are registered. */
export const MCP_TOOL_NAMES = ['run_code', 'exec', 'read_file', 'write_file', 'list_files'] as const;

export interface McpToolOptions {
  timeoutMs: number;
}

/** Registers the five tools on `server`, all working on `sandbox`. */
export function registerSandboxTools(server: McpServer, sandbox: Sandbox, options: McpToolOptions): void {
  const seconds = options.timeoutMs / 1000;
  const limits = `Limits: ${seconds} s wall clock per run (then status "timeout", exit code 124), output capped at 1 MiB per stream, no network.`;
  // A tool call warms its runtime up and then runs, as one step; a cancelled request stops its own run only (signal).
  const exclusive = createQueue();
  let cwd = '';

  server.registerTool(
    'run_code',
    {
      title: 'Run code',
      description:
        'Run a program in the Isobox WebAssembly sandbox and get its status, exit code, stdout and stderr. ' +
        'Python 3 (standard library), Ruby, C or C++ (compiled to WebAssembly). The program runs in /workspace ' +
        `(the workspace directory): it can read the files there, and files it writes are saved there. ${limits}`,
      inputSchema: {
        language: z.enum(RUN_CODE_LANGUAGES).describe('Language of the program.'),
        code: z.string().describe('The complete source code of the program.'),
        stdin: z.string().optional().describe('Text the program reads as standard input; without it, input is empty (end-of-file at once).'),
      },
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    },
    ({ language, code, stdin }, extra) =>
      guard(() =>
        exclusive(extra.signal, async () => {
          await warmUp(sandbox, [runtimeOf(language)]);
          return runText(await sandbox.run({ language, code, ...(stdin === undefined ? {} : { stdin }), timeoutMs: options.timeoutMs, signal: extra.signal }));
        }),
      ),
  );

  server.registerTool(
    'exec',
    {
      title: 'Run a shell line',
      description:
        'Run one line of the sandbox shell in /workspace, e.g. "python main.py 3", "ruby x.rb", ' +
        '"cc main.c -o main.wasm && ./main.wasm", "ls -l", "cat out.txt | python count.py". Programs: python, ruby, cc/c++, ' +
        './file.wasm; builtins: ls, cat, echo, pwd, cd, mkdir, rm, mv, cp; operators: > >> < | &&. ' +
        `The working directory persists between exec calls (cd). No host commands: only the workspace exists. ${limits}`,
      inputSchema: {
        command: z.string().min(1).describe('One shell line.'),
        stdin: z.string().optional().describe('Text the line reads as standard input; without it, input is empty (end-of-file at once).'),
      },
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    },
    ({ command, stdin }, extra) =>
      guard(() =>
        exclusive(extra.signal, async () => {
          await warmUp(sandbox, runtimesForLine(command));
          const result = await sandbox.exec(command, { cwd, ...(stdin === undefined ? {} : { stdin }), timeoutMs: options.timeoutMs, signal: extra.signal });
          cwd = result.cwd;
          return runText(result);
        }),
      ),
  );

  server.registerTool(
    'read_file',
    {
      title: 'Read a file',
      description: 'Read a text file of the workspace. Paths are relative to /workspace (a leading "/workspace/" is accepted).',
      inputSchema: { path: z.string().min(1).describe('File path relative to /workspace, e.g. "src/main.py".') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ path }) =>
      guard(async () => {
        const p = workspacePath(path);
        const bytes = await sandbox.fs.readFile(p);
        // A NUL byte near the start: binary, as git and grep decide.
        if (bytes.subarray(0, 8192).includes(0)) return text(`${p} is a binary file (${bytes.length} bytes); not shown as text.`);
        const content = new TextDecoder().decode(bytes);
        return text(content.length > READ_LIMIT ? `${content.slice(0, READ_LIMIT)}\n[cut: ${p} has ${bytes.length} bytes; showing the first ${READ_LIMIT} characters]` : content);
      }),
  );

  server.registerTool(
    'write_file',
    {
      title: 'Write a file',
      description: 'Create or overwrite a text file in the workspace; parent directories are created. Paths are relative to /workspace.',
      inputSchema: {
        path: z.string().min(1).describe('File path relative to /workspace, e.g. "src/main.py".'),
        content: z.string().describe('The complete new content of the file.'),
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ path, content }) =>
      guard(async () => {
        const p = workspacePath(path);
        if (p === '') return failure('EISDIR: the workspace root is a directory, not a file');
        await sandbox.fs.writeFile(p, content);
        return text(`wrote ${new TextEncoder().encode(content).length} bytes to ${p}`);
      }),
  );

  server.registerTool(
    'list_files',
    {
      title: 'List files',
      description: 'List a directory of the workspace: one entry per line, directories end in "/", files show their size.',
      inputSchema: { path: z.string().optional().describe('Directory relative to /workspace; default "." (the workspace root).') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ path }) =>
      guard(async () => {
        const p = workspacePath(path ?? '.');
        const entries = await sandbox.fs.readdir(p);
        const lines = entries.map((entry) => (entry.kind === 'dir' ? `${entry.name}/` : `${entry.name}  ${entry.size} bytes`));
        return text(`${p === '' ? '/workspace' : `/workspace/${p}`}:\n${lines.length > 0 ? lines.join('\n') : '(empty)'}`);
      }),
  );
}

/**
 * A path a client sent, as a workspace path. Clients see `/workspace` in tracebacks and `pwd`,
 * so that prefix is accepted; anything else absolute, or leaving the workspace, is refused.
 */
export function workspacePath(raw: string): string {
  const trimmed = raw.trim();
  const inside = trimmed === '/workspace' ? '' : trimmed.startsWith('/workspace/') ? trimmed.slice('/workspace/'.length) : trimmed;
  return normalizePath(inside);
}

/** A run result as text: a summary line, then both streams between tags. */
export function runText(result: RunResult | ExecResult): CallToolResult {
  const lines = [`status: ${result.status}, exit code ${result.exitCode}, ${Math.round(result.durationMs)} ms`];
  if (result.filesChanged.length > 0) lines.push(`files changed: ${result.filesChanged.join(', ')}`);
  if ('cwd' in result && result.cwd !== '') lines.push(`working directory: /workspace/${result.cwd}`);
  if (result.truncated) lines.push('note: the output cap dropped part of the output');
  lines.push(`audit: ${summarizeAudit(result.audit)}`);
  lines.push(`<stdout>\n${result.stdout}</stdout>`, `<stderr>\n${result.stderr}</stderr>`);
  return text(lines.join('\n'));
}

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

function failure(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Runs a tool body; anything it throws becomes an `isError` result with a clear message. */
async function guard(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    return failure(describeError(error));
  }
}

/** A queue of sandbox steps, one at a time. A request cancelled while it waits never starts. */
function createQueue(): <T>(signal: AbortSignal, task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(signal: AbortSignal, task: () => Promise<T>): Promise<T> => {
    const run = async (): Promise<T> => {
      if (signal.aborted) throw new Error('cancelled before it started');
      return task();
    };
    const next = tail.then(run, run);
    tail = next.catch(() => undefined);
    return next;
  };
}
