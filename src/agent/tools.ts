/**
 * The agent's tools over a `Sandbox`: zod input schemas, one executor (`runTool`) shared by the
 * AI SDK loop and the demo agent, and the AI SDK tool set (`createAgentTools`).
 * Tool failures (bad input, bad path, ENOENT, a sandbox that throws) are values here, never
 * exceptions that end the agent turn; the model receives them as tool errors.
 */
import { tool, type JSONValue, type ToolSet } from 'ai';
import { z } from 'zod';
import { DEBUG_TOOL_DESCRIPTION, debugModelView, debugRunInput, runDebugTool } from './debug-tool.ts';
import type { Sandbox } from '../sandbox/host/api.ts';
import { summarizeAudit } from '../sandbox/host/build-audit.ts';
import { COMMANDS } from '../sandbox/host/shell-info.ts';
import { normalizePath } from '../sandbox/fs/paths.ts';
import type { ExecResult, OutputChunk, RunResult } from '../sandbox/protocol.ts';
import { byteLength, cutText, MODEL_OUTPUT_LIMIT, RECORD_OUTPUT_LIMIT, stripAnsi } from './cut.ts';
import { CODE_LANGUAGES, type RunToolResult, type SavedOutput, type ToolName, type ToolResult } from './types.ts';

/** Input schemas of the tools; also what the model is shown. */
export const toolInputSchemas = {
  run_code: z.object({
    language: z.enum(CODE_LANGUAGES).describe('Language of the program.'),
    code: z.string().describe('Complete source code of the program.'),
    stdin: z.string().optional().describe('Text the program reads as standard input; without it, input is empty (end-of-file at once).'),
  }),
  exec: z.object({
    command: z.string().min(1).describe('One shell line, e.g. "python main.py" or "cc main.c -o main.wasm && ./main.wasm".'),
    stdin: z.string().optional().describe('Text the line reads as standard input; without it, input is empty (end-of-file at once).'),
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
  debug_run: debugRunInput,
} satisfies Record<ToolName, z.ZodType>;

/** Validated input of each tool. */
export type ToolInputs = { [K in ToolName]: z.infer<(typeof toolInputSchemas)[K]> };

/** The shell's own commands, as the exec tool's description names them. */
const SHELL_BUILTINS = COMMANDS.filter((command) => command.kind === 'builtin' && command.name !== 'clear' && command.name !== 'help')
  .map((command) => command.name)
  .join(' ');

const descriptions: Record<ToolName, string> = {
  run_code:
    'Run a program in the sandbox and get its stdout, stderr, exit code and status. Python 3 (stdlib only), Ruby 3.4, C or C++ (compiled to WebAssembly). Runs in /workspace; files it writes persist.',
  exec: `Run one line of the sandbox shell: python x.py, ruby x.rb, cc main.c -o main.wasm, ./main.wasm, and ${SHELL_BUILTINS}; with | && || ; > >> < 2> 2>&1, NAME=value, export, $VAR, \${VAR:-default}, $?, globs. The working directory (cd) and variables (export) carry over to the next exec; the result says what changed.`,
  write_file: 'Create or overwrite a text file in /workspace (parent directories are created).',
  read_file: 'Read a text file from /workspace.',
  list_files: 'List a directory of /workspace (names, kinds and sizes).',
  debug_run: DEBUG_TOOL_DESCRIPTION,
};

/** Where output too long to show the model whole is saved, so it can read the rest with head/tail/grep. */
export const FULL_OUTPUT_DIR = '.isobox-output';

/** A tool call's outcome: a result, or an error message for the model and the user. */
export type ToolOutcome = { ok: true; result: ToolResult } | { ok: false; error: string };

/** Per-turn state the tools share: the shell's working directory and variables. */
export interface ToolState {
  cwd: string;
  /** Exported variables (`export X=1`); the agent's own session, apart from the terminal's. */
  env?: Record<string, string>;
  /** Shell variables that are not exported (`X=1`). */
  vars?: Record<string, string>;
  /** How many outputs were saved to FULL_OUTPUT_DIR, to name the next file. */
  savedOutputs?: number;
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
      const { language, code, stdin } = input as ToolInputs['run_code'];
      const run = await sandbox.run({ language, code, onOutput: options.onOutput, signal: options.signal, ...(stdin !== undefined ? { stdin } : {}) });
      // Programs run in the workspace root and cannot change the shell's variables.
      return { ...runResult(run), cwd: '', ...(await saveLongOutput(sandbox, 'run_code', run, options.state)) };
    }
    case 'exec': {
      const { command, stdin } = input as ToolInputs['exec'];
      const state = options.state;
      const env = state?.env ?? {};
      const vars = state?.vars ?? {};
      const run = await sandbox.exec(command, {
        onOutput: options.onOutput,
        cwd: state?.cwd || undefined,
        signal: options.signal,
        env,
        vars,
        ...(stdin !== undefined ? { stdin } : {}),
      });
      if (state) {
        state.cwd = run.cwd;
        if (run.env) state.env = run.env;
        if (run.vars) state.vars = run.vars;
      }
      return { ...runResult(run), cwd: run.cwd, ...variableChanges(env, vars, run), ...(await saveLongOutput(sandbox, 'exec', run, state)) };
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
    case 'debug_run': {
      const { code, path, breakpoints, watch } = input as ToolInputs['debug_run'];
      return runDebugTool(sandbox, { code, path: path === undefined ? undefined : workspacePath(path), breakpoints, watch }, options);
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

/** What a line changed in the variables: name → new value, `null` for removed; empty maps left out. */
function variableChanges(env: Record<string, string>, vars: Record<string, string>, run: ExecResult): Pick<RunToolResult, 'envChanges' | 'shellVarChanges'> {
  const diff = (before: Record<string, string>, after: Record<string, string> | undefined): Record<string, string | null> | undefined => {
    if (!after) return undefined;
    const changes: Record<string, string | null> = {};
    for (const [name, value] of Object.entries(after)) if (before[name] !== value) changes[name] = value;
    for (const name of Object.keys(before)) if (!Object.hasOwn(after, name)) changes[name] = null;
    return Object.keys(changes).length > 0 ? changes : undefined;
  };
  const envChanges = diff(env, run.env);
  const shellVarChanges = diff(vars, run.vars);
  return { ...(envChanges ? { envChanges } : {}), ...(shellVarChanges ? { shellVarChanges } : {}) };
}

/**
 * Saves each stream too long for the model to see whole into FULL_OUTPUT_DIR, so the model can
 * read the rest (`grep -n`, `head`, `tail` on the file). A failed save (a full workspace) only
 * means no file: the model still gets the cut output and its note.
 */
async function saveLongOutput(sandbox: Sandbox, tool: 'run_code' | 'exec', run: RunResult, state: ToolState | undefined): Promise<Pick<RunToolResult, 'fullOutput'>> {
  const fullOutput: NonNullable<RunToolResult['fullOutput']> = {};
  for (const stream of ['stdout', 'stderr'] as const) {
    const text = stripAnsi(run[stream]);
    if (byteLength(text) <= MODEL_OUTPUT_LIMIT) continue;
    const n = (state?.savedOutputs ?? 0) + 1;
    if (state) state.savedOutputs = n;
    const path = `${FULL_OUTPUT_DIR}/${tool}-${state ? n : Date.now()}.${stream}.txt`;
    try {
      await sandbox.fs.writeFile(path, text);
      fullOutput[stream] = { path, bytes: byteLength(text) };
    } catch {
      // Nothing to add: the note then says only how much was cut.
    }
  }
  return Object.keys(fullOutput).length > 0 ? { fullOutput } : {};
}

/** The model's note for a stream it sees cut: how much is missing and where the rest is. */
function cutNote(stream: 'stdout' | 'stderr', text: string, saved: SavedOutput | undefined): string | undefined {
  // The record keeps at most RECORD_OUTPUT_LIMIT: the saved file knows the real length.
  const bytes = saved?.bytes ?? byteLength(text);
  const file = saved?.path;
  if (bytes <= MODEL_OUTPUT_LIMIT) return undefined;
  const shown = `${stream} is ${bytes} bytes; you see its first and last parts (${bytes - MODEL_OUTPUT_LIMIT} bytes in the middle left out)`;
  return file ? `${shown}. All of it is in /workspace/${file}: read parts with exec, e.g. grep -n PATTERN ${file}, head -n 100 ${file}, tail -n +200 ${file} | head -n 100.` : `${shown}.`;
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
      const { kind: _kind, stdout, stderr, truncated, cwd, audit, fullOutput, ...rest } = result;
      const notes = [
        cutNote('stdout', stripAnsi(stdout), fullOutput?.stdout),
        cutNote('stderr', stripAnsi(stderr), fullOutput?.stderr),
        truncated ? 'The sandbox output cap dropped output beyond its limit; to keep everything, redirect it to a file (CMD > out.txt 2>&1) and read that with grep/head/tail.' : undefined,
      ].filter((note) => note !== undefined);
      return {
        ...rest,
        ...(audit ? { audit: summarizeAudit(audit) } : {}),
        stdout: cutText(stripAnsi(stdout), MODEL_OUTPUT_LIMIT),
        stderr: cutText(stripAnsi(stderr), MODEL_OUTPUT_LIMIT),
        ...(notes.length > 0 ? { note: notes.join(' ') } : {}),
        ...(cwd !== undefined ? { cwd: cwd === '' ? '/workspace' : `/workspace/${cwd}` } : {}),
      };
    }
    case 'write':
      return { written: result.path, bytes: result.bytes };
    case 'read':
      return result.binary
        ? { path: result.path, bytes: result.bytes, note: 'binary file; content not shown' }
        : { path: result.path, bytes: result.bytes, content: cutText(result.content, MODEL_OUTPUT_LIMIT * 2) };
    case 'debug':
      return debugModelView(result);
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
    debug_run: make('debug_run'),
  };
}
