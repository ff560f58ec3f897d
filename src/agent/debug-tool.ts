/**
 * The agent's `debug_run` tool: runs Python with breakpoints that record and go on, so a model can
 * check a hypothesis about a bug (what is `total` at line 7, which call got there) without adding
 * print statements. The records are those of `isobox debug` (src/sandbox/host/debug-run.ts).
 */
import type { JSONValue } from 'ai';
import { z } from 'zod';
import type { Sandbox } from '../sandbox/host/api.ts';
import { debugRun } from '../sandbox/host/debug-run.ts';
import type { OutputChunk } from '../sandbox/protocol.ts';
import { cutText, MODEL_OUTPUT_LIMIT, RECORD_OUTPUT_LIMIT, stripAnsi } from './cut.ts';
import type { DebugToolResult } from './types.ts';

/** Breakpoint hits a call records; later hits are counted as "more". */
export const DEBUG_TOOL_MAX_HITS = 50;

/** Input of `debug_run`, as the model sees it. */
export const debugRunInput = z
  .object({
    code: z.string().optional().describe('Complete Python source to run (give code or path).'),
    path: z.string().min(1).optional().describe('A Python file in /workspace to run instead, e.g. "main.py".'),
    breakpoints: z.array(z.number().int().min(1)).min(1).max(20).describe('Line numbers (1-based) of the program to record a stop at.'),
    watch: z
      .union([z.array(z.string().min(1)).max(10), z.string()])
      .optional()
      .describe('Python expressions evaluated at each stop, e.g. ["total", "len(items)"] (a string holds one per line).'),
  })
  .refine((input) => (input.code === undefined) !== (input.path === undefined), { message: 'give either code or path (exactly one)' });

export type DebugRunInput = z.infer<typeof debugRunInput>;

export const DEBUG_TOOL_DESCRIPTION = `Run a Python program with breakpoints and get, for each time a breakpoint line is about to run (first ${DEBUG_TOOL_MAX_HITS}), the call stack and the values of the watched expressions; the program never pauses and runs to its end. An uncaught exception is reported with its line and locals. Use it to test a hypothesis about a bug without print statements.`;

/** Runs `debug_run`; `path` is already a workspace path. Throws for bad input (the tool reports it). */
export async function runDebugTool(sandbox: Sandbox, input: { code?: string | undefined; path?: string | undefined; breakpoints: number[]; watch?: string[] | string | undefined }, options: { onOutput?: ((chunk: OutputChunk) => void) | undefined; signal?: AbortSignal | undefined }): Promise<DebugToolResult> {
  let code = input.code ?? '';
  const filename = input.path;
  if (filename !== undefined) {
    if (!filename.endsWith('.py')) throw new Error(`debug_run runs Python files (.py), not ${filename}`);
    code = new TextDecoder().decode(await sandbox.fs.readFile(filename));
  }
  const report = await debugRun(sandbox, {
    code,
    ...(filename !== undefined ? { filename } : {}),
    breakpoints: input.breakpoints,
    watch: typeof input.watch === 'string' ? input.watch.split('\n').map((w) => w.trim()).filter((w) => w !== '') : (input.watch ?? []),
    maxHits: DEBUG_TOOL_MAX_HITS,
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const { result } = report;
  return {
    kind: 'debug',
    status: result.status,
    exitCode: result.exitCode,
    stdout: cutText(result.stdout, RECORD_OUTPUT_LIMIT),
    stderr: cutText(result.stderr, RECORD_OUTPUT_LIMIT),
    truncated: result.truncated,
    durationMs: result.durationMs,
    filesChanged: result.filesChanged,
    stops: report.stops,
    stopsCapped: report.stopsCapped,
    ...(report.exception ? { exception: report.exception } : {}),
  };
}

/** What the model sees of a `debug_run` result (JSON). */
export function debugModelView(result: DebugToolResult): { [key: string]: JSONValue | undefined } {
  const e = result.exception;
  return {
    status: result.status,
    exitCode: result.exitCode,
    stops: result.stops.map((s) => ({ at: `${s.file}:${s.line}`, stack: s.stack, watches: s.watches })),
    ...(result.stops.length === 0 ? { note: 'no breakpoint line was reached' } : {}),
    ...(result.stopsCapped ? { more: `the breakpoints were hit more than ${result.stops.length} times; later hits are not listed` } : {}),
    ...(e ? { exception: { at: `${e.file}:${e.line}`, stack: e.stack, exception: e.exception, locals: e.locals } } : {}),
    stdout: cutText(stripAnsi(result.stdout), MODEL_OUTPUT_LIMIT),
    stderr: cutText(stripAnsi(result.stderr), MODEL_OUTPUT_LIMIT),
  };
}
