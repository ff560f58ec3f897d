/**
 * The agent's tools over a `Sandbox`: zod input schemas, one executor (`runTool`) shared by the
 * AI SDK loop and the demo agent, and the AI SDK tool set (`createAgentTools`).
 * Tool failures (bad input, bad path, ENOENT, a sandbox that throws) are values here, never
 * exceptions that end the agent turn; the model receives them as tool errors.
 */
import { tool, type JSONValue, type ToolSet } from 'ai';
import { z } from 'zod';
import type { Sandbox } from '../sandbox/host/api.ts';
import { summarizeAudit } from '../sandbox/host/build-audit.ts';
import { normalizePath } from '../sandbox/fs/paths.ts';
import type { OutputChunk, RunResult } from '../sandbox/protocol.ts';
import { cutText, MODEL_OUTPUT_LIMIT, RECORD_OUTPUT_LIMIT, stripAnsi } from './cut.ts';
import { CODE_LANGUAGES, type ToolName, type ToolResult, type RunToolResult } from './types.ts';

/** Input schemas of the tools; also what the model is shown. */
export const toolInputSchemas = {
  run_code: z.object({
    language: z.enum(CODE_LANGUAGES).describe('Language of the program.'),
    code: z.string().describe('Complete source code of the program.'),
  }),
  exec: z.object({
    command: z.string().min(1).describe('One shell line, e.g. "python main.py" or "cc main.c -o main.wasm && ./main.wasm".'),
  }),
  write_file: z.object({
    path: z.string().min(1).describe('Path relative to /workspace, e.g. "src/main.py".'),
    content: z.string().describe('The complete new content of the file.'),
  }),
  read_file: z.object({
    path: z.string().min(1).describe('Path relative to /workspace.'),
  }),
  list_files: z.object({
    path: z.string().optional().describe('Directory relative to /workspace; default ".".'),
  }),
} satisfies Record<ToolName, z.ZodType>;

/** Validated input of each tool. */
export type ToolInputs = { [K in ToolName]: z.infer<(typeof toolInputSchemas)[K]> };

const descriptions: Record<ToolName, string> = {
  run_code:
    'Run a program in the sandbox and get its stdout, stderr, exit code and status. Python 3 (stdlib only), Ruby 3.4, C or C++ (compiled to WebAssembly). Runs in /workspace; files it writes persist.',
  exec: 'Run one line of the sandbox shell in /workspace: python x.py, ruby x.rb, cc main.c -o main.wasm, ./main.wasm, ls, cat, echo, pwd, cd, mkdir, rm, mv, cp, with > >> < | &&.',
  write_file: 'Create or overwrite a text file in /workspace (parent directories are created).',
  read_file: 'Read a text file from /workspace.',
  list_files: 'List a directory of /workspace (names, kinds and sizes).',
};

/** A tool call's outcome: a result, or an error message for the model and the user. */
export type ToolOutcome = { ok: true; result: ToolResult } | { ok: false; error: string };

/** Per-turn state the tools share (the shell's working directory). */
export interface ToolState {
  cwd: string;
}

export interface RunToolOptions {
  /** Live program output, as it is printed. */
  onOutput?: (chunk: OutputChunk) => void;
  /** Aborting stops the program this call runs (as `killed`), also while it waits to start. */
  signal?: AbortSignal;
  state?: ToolState;
}

/** Runs one tool call against the sandbox. Never throws. */
export async function runTool(sandbox: Sandbox, name: ToolName, input: unknown, options: RunToolOptions = {}): Promise<ToolOutcome> {
  const parsed = toolInputSchemas[name].safeParse(input);
  if (!parsed.success) return { ok: false, error: `Invalid input for ${name}: ${z.prettifyError(parsed.error)}` };
  if (options.signal?.aborted) return { ok: false, error: 'Stopped before it ran.' };
  try {
    return { ok: true, result: await execute(sandbox, name, parsed.data, options) };
  } catch (error) {
    return { ok: false, error: toolErrorMessage(error) };
  }
}

async function execute(sandbox: Sandbox, name: ToolName, input: ToolInputs[ToolName], options: RunToolOptions): Promise<ToolResult> {
  switch (name) {
    case 'run_code': {
      const { language, code } = input as ToolInputs['run_code'];
      const run = await sandbox.run({ language, code, onOutput: options.onOutput, signal: options.signal });
      return runResult(run);
    }
    case 'exec': {
      const { command } = input as ToolInputs['exec'];
      const state = options.state;
      const run = await sandbox.exec(command, { onOutput: options.onOutput, cwd: state?.cwd || undefined, signal: options.signal });
      if (state) state.cwd = run.cwd;
      return { ...runResult(run), cwd: run.cwd };
    }
    case 'write_file': {
      const { path: raw, content } = input as ToolInputs['write_file'];
      const path = workspacePath(raw);
      if (path === '') throw new ToolError('EISDIR: the workspace root is a directory');
      await sandbox.fs.writeFile(path, content);
      return { kind: 'write', path, bytes: new TextEncoder().encode(content).length };
    }
    case 'read_file': {
      const path = workspacePath((input as ToolInputs['read_file']).path);
      const bytes = await sandbox.fs.readFile(path);
      // A NUL byte in the first 8 KB: treat as binary, as git and grep do.
      const binary = bytes.subarray(0, 8192).includes(0);
      const content = binary ? '' : cutText(new TextDecoder().decode(bytes), RECORD_OUTPUT_LIMIT);
      return { kind: 'read', path, content, bytes: bytes.length, binary };
    }
    case 'list_files': {
      const path = workspacePath((input as ToolInputs['list_files']).path ?? '.');
      const entries = await sandbox.fs.readdir(path === '' ? '.' : path);
      return {
        kind: 'list',
        path: path === '' ? '.' : path,
        entries: entries.map(({ name, path: p, kind, size }) => ({ name, path: p, kind, size })),
      };
    }
  }
}

function runResult(run: RunResult): RunToolResult {
  return {
    kind: 'run',
    status: run.status,
    exitCode: run.exitCode,
    stdout: cutText(run.stdout, RECORD_OUTPUT_LIMIT),
    stderr: cutText(run.stderr, RECORD_OUTPUT_LIMIT),
    truncated: run.truncated,
    durationMs: run.durationMs,
    filesChanged: run.filesChanged,
    // The trace can be long; cards and the model get the rest of the audit.
    audit: { ...run.audit, trace: undefined },
  };
}

/**
 * Maps a path the model wrote to a workspace path. Models often write `/workspace/x` because the
 * system prompt names that directory, so that prefix is accepted; anything leaving it is refused.
 */
export function workspacePath(raw: string): string {
  const trimmed = raw.trim();
  const inWorkspace = trimmed === '/workspace' ? '' : trimmed.startsWith('/workspace/') ? trimmed.slice('/workspace/'.length) : trimmed;
  return normalizePath(inWorkspace);
}

/** An error a tool reports to the model (and the user) as text. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

/** `ENOENT: no such file …` for workspace errors, the message otherwise. */
export function toolErrorMessage(error: unknown): string {
  if (error instanceof Error) {
    // Workspace errors may cross Comlink as plain objects, so look at `code`, not the class.
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && /^E[A-Z]+$/.test(code) && !error.message.startsWith(code) ? `${code}: ${error.message}` : error.message;
  }
  if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}

/** A tool result as JSON for the model. */
export type ModelView = { [key: string]: JSONValue | undefined };

/** What the model sees of a tool result: each stream without ANSI codes, cut to `MODEL_OUTPUT_LIMIT`. */
export function modelView(result: ToolResult): ModelView {
  switch (result.kind) {
    case 'run': {
      const { kind: _kind, stdout, stderr, truncated, cwd, audit, ...rest } = result;
      return {
        ...rest,
        ...(audit ? { audit: summarizeAudit(audit) } : {}),
        stdout: cutText(stripAnsi(stdout), MODEL_OUTPUT_LIMIT),
        stderr: cutText(stripAnsi(stderr), MODEL_OUTPUT_LIMIT),
        ...(truncated ? { note: 'the sandbox output cap dropped some output' } : {}),
        ...(cwd !== undefined ? { cwd: cwd === '' ? '/workspace' : `/workspace/${cwd}` } : {}),
      };
    }
    case 'write':
      return { written: result.path, bytes: result.bytes };
    case 'read':
      return result.binary
        ? { path: result.path, bytes: result.bytes, note: 'binary file; content not shown' }
        : { path: result.path, bytes: result.bytes, content: cutText(result.content, MODEL_OUTPUT_LIMIT * 2) };
    case 'list':
      return {
        path: result.path,
        entries: result.entries.map((e) => (e.kind === 'dir' ? `${e.name}/` : `${e.name} (${e.size} bytes)`)),
      };
  }
}

/** Hooks the agent loop gives the AI SDK tools, keyed by the provider's tool-call id. */
export interface AgentToolHooks {
  /** Awaited before a tool runs: lets the loop announce the call before any output. */
  beforeRun?: (toolCallId: string) => Promise<void>;
  onOutput?: (toolCallId: string, chunk: OutputChunk) => void;
  onEnd?: (toolCallId: string, outcome: ToolOutcome) => void;
}

/**
 * The tools as an AI SDK `ToolSet`. A failed call throws a `ToolError`, which the AI SDK turns
 * into a `tool-error` part and sends back to the model as the tool's result (the loop goes on).
 */
export function createAgentTools(sandbox: Sandbox, hooks: AgentToolHooks = {}, state: ToolState = { cwd: '' }): ToolSet {
  const make = (name: ToolName) => {
    // Widened: runTool validates again per tool, so one generic shape serves all five.
    const inputSchema: z.ZodType<unknown> = toolInputSchemas[name];
    return tool({
      description: descriptions[name],
      inputSchema,
      execute: async (input: unknown, { toolCallId, abortSignal }): Promise<ToolResult> => {
        await hooks.beforeRun?.(toolCallId);
        const outcome = await runTool(sandbox, name, input, {
          signal: abortSignal,
          state,
          onOutput: (chunk) => hooks.onOutput?.(toolCallId, chunk),
        });
        hooks.onEnd?.(toolCallId, outcome);
        if (!outcome.ok) throw new ToolError(outcome.error);
        return outcome.result;
      },
      toModelOutput: ({ output }) => ({ type: 'json', value: modelView(output) }),
    });
  };
  return {
    run_code: make('run_code'),
    exec: make('exec'),
    write_file: make('write_file'),
    read_file: make('read_file'),
    list_files: make('list_files'),
  };
}
