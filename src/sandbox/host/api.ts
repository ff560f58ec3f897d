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
