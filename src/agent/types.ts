/**
 * The conversation model of the agent: what the UI renders and persists, what share links carry
 * (`role` + `content`), and the events streamed while an assistant message is being produced.
 * Plain JSON data only, so it survives structuredClone, IndexedDB and JSON.stringify.
 */
import type { DebugExceptionRecord, DebugStopRecord } from '../sandbox/host/debug-run.ts';
import type { RunAudit, RunResult, StreamName } from '../sandbox/protocol.ts';

/** Names of the tools the agent can call. */
export const TOOL_NAMES = ['run_code', 'exec', 'write_file', 'read_file', 'list_files', 'debug_run'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** Languages `run_code` accepts. */
export const CODE_LANGUAGES = ['python', 'ruby', 'c', 'cpp'] as const;
export type CodeLanguage = (typeof CODE_LANGUAGES)[number];

/** Outcome of `run_code` and `exec`: a RunResult with long output cut (see `cutText`). */
export interface RunToolResult extends Omit<RunResult, 'audit'> {
  kind: 'run';
  /** Working directory after an `exec` (it persists between `exec` calls of one agent turn); `` for run_code. */
  cwd?: string;
  /** Exported variables an `exec` line set (name → value) or removed (null). */
  envChanges?: Record<string, string | null>;
  /** Shell variables (not exported) an `exec` line set or removed. */
  shellVarChanges?: Record<string, string | null>;
  /** Workspace files holding a stream in full, saved when it was too long for the model to see whole. */
  fullOutput?: { stdout?: SavedOutput; stderr?: SavedOutput };
  /** What the run touched and tried (without the syscall trace). Absent in records from older links. */
  audit?: RunAudit;
}

/** A stream saved whole to a workspace file: where, and how long it is. */
export interface SavedOutput {
  path: string;
  bytes: number;
}

export interface WriteFileToolResult {
  kind: 'write';
  path: string;
  bytes: number;
}

export interface ReadFileToolResult {
  kind: 'read';
  path: string;
  /** Text content (cut when long); empty for binary files. */
  content: string;
  bytes: number;
  binary: boolean;
}

export interface ListFilesToolResult {
  kind: 'list';
  path: string;
  entries: Array<{ name: string; path: string; kind: 'file' | 'dir'; size: number }>;
}

/** Outcome of `debug_run`: the run's result and each breakpoint hit (records of src/sandbox/host/debug-run.ts). */
export interface DebugToolResult extends Omit<RunResult, 'audit'> {
  kind: 'debug';
  stops: DebugStopRecord[];
  /** True when the breakpoints were hit more often than recorded. */
  stopsCapped: boolean;
  exception?: DebugExceptionRecord;
}

/** What a tool call produced; `kind` tells which tool family. */
export type ToolResult = RunToolResult | WriteFileToolResult | ReadFileToolResult | ListFilesToolResult | DebugToolResult;

/** One tool call of an assistant message, as a card in the chat shows it. */
export interface ToolCallRecord {
  id: string;
  tool: ToolName;
  /** The arguments as the model sent them (may be malformed: then `state` is 'error'). */
  input: unknown;
  /**
   * 'done' when the tool ran (a program that exited non-zero is still 'done': see
   * `result.status`); 'error' when the tool itself failed (bad input, bad path, stopped).
   */
  state: 'running' | 'done' | 'error';
  result?: ToolResult;
  error?: string;
  /** Length of the message `content` when the call started, to place the card within the text. */
  textOffset?: number;
}

export type ChatRole = 'user' | 'assistant';

/** One message of a conversation. */
export interface ChatMessage {
  id: string;
  role: ChatRole;
  content: string;
  toolCalls?: ToolCallRecord[];
  /** Assistant messages only: absent means 'done'. */
  status?: 'streaming' | 'done' | 'stopped' | 'error';
  /** User-facing error text when `status` is 'error'. */
  error?: string;
}

/** Categories of failures a user can act on (see `describeError`). */
export type AgentErrorKind =
  | 'auth'
  | 'network'
  | 'cors'
  | 'model-not-found'
  | 'rate-limit'
  | 'server'
  | 'bad-request'
  | 'config'
  | 'unknown';

/** A failure explained for the user: what happened and what to do about it. */
export interface AgentError {
  kind: AgentErrorKind;
  message: string;
  /** HTTP status, when the provider answered. */
  status?: number;
}

/** Why a finished turn ended. */
export type FinishReason = 'stop' | 'max-steps' | 'length' | 'content-filter' | 'other';

/**
 * Events streamed while one assistant message is produced, in order. Exactly one of `finish`,
 * `error` or `stopped` ends the stream and carries the final message. The concatenated
 * `text-delta`s equal the final `content`. Records in events are snapshots, safe to keep.
 */
export type AgentEvent =
  | { type: 'start'; messageId: string }
  | { type: 'text-delta'; messageId: string; text: string }
  | { type: 'tool-call-start'; messageId: string; call: ToolCallRecord }
  /** Live stdout/stderr of a running `run_code` or `exec`. */
  | { type: 'tool-output'; messageId: string; toolCallId: string; stream: StreamName; text: string }
  | { type: 'tool-call-end'; messageId: string; call: ToolCallRecord }
  /** A model round trip ended; `step` counts from 1. */
  | { type: 'step-finish'; messageId: string; step: number; finishReason: string }
  | { type: 'finish'; messageId: string; reason: FinishReason; message: ChatMessage }
  | { type: 'error'; messageId: string; error: AgentError; message: ChatMessage }
  | { type: 'stopped'; messageId: string; message: ChatMessage };

/** Receives agent events; must not throw (a throwing listener is ignored). */
export type AgentEventListener = (event: AgentEvent) => void;

/** Whether a value names one of the agent's tools. */
export function isToolName(name: unknown): name is ToolName {
  return typeof name === 'string' && (TOOL_NAMES as readonly string[]).includes(name);
}
