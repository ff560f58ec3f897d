import type { Workspace } from '../fs/workspace.ts';
import type { ExecOptions, ExecResult, Limits, Manifest, RunOptions, RunResult, RuntimeStatus } from '../protocol.ts';

/**
 * The sandbox as callers see it, in the browser and in Node alike: run code, run a shell line,
 * touch the workspace, interrupt, dispose. Runs are serialized: one at a time per sandbox.
 */
export interface Sandbox {
  /** The workspace every runtime shares; usable while a run is in progress. */
  readonly fs: Workspace;
  readonly limits: Limits;
  run(options: RunOptions): Promise<RunResult>;
  exec(line: string, options?: ExecOptions): Promise<ExecResult>;
  /**
   * Gives text (UTF-8, usually one line including its '\n') to the stdin of the newest interactive
   * run or shell line that is queued or running (type-ahead: data given while it is still queued
   * or loading is kept for it). Returns false when there is no such run: the caller keeps the text
   * (e.g. puts it back on the shell prompt).
   */
  writeStdin(text: string): boolean;
  /** Ends that run's stdin (Ctrl-D): once queued data is read, reads return end-of-file. False when there is none. */
  endStdin(): boolean;
  /** Stops the current run: a cooperative interrupt first, then the worker is replaced. */
  interrupt(): void;
  /** Loads a runtime ahead of use (e.g. Python as the page opens). */
  warmup(runtime: RuntimeStatus['runtime']): Promise<void>;
  /**
   * Subscribes to the workspace as a run left it: called after a run that changed files or
   * folders, with the manifest read once its changes were saved. Returns an unsubscribe function.
   */
  onWorkspaceChanged(listener: (manifest: Manifest) => void): () => void;
  /** Subscribes to runtime loading status; returns an unsubscribe function. */
  onRuntimeStatus(listener: (status: RuntimeStatus) => void): () => void;
  dispose(): Promise<void>;
}
