/**
 * What a chat code block's buttons do: copy it, open it in the editor, run it once in the
 * sandbox. Runs go through the page's sandbox (src/ui/sandbox-client.ts), like the Run button;
 * their state lives in a small store of its own, keyed by block, so it survives re-renders.
 */
import { create } from 'zustand';
import type { RunResult } from '../../sandbox/protocol.ts';
import { errorMessage } from '../download.ts';
import { sandbox } from '../sandbox-client.ts';
import { projectOpen } from '../store/opening.ts';
import { useStore } from '../store/store.ts';
import { freeSnippetName, type RunKind } from './fence.ts';

/** A block's one-off run: live output while it runs, then the typed result. */
export interface BlockRun {
  state: 'running' | 'done' | 'failed';
  output: Array<{ stream: 'stdout' | 'stderr'; text: string }>;
  result?: RunResult;
  /** Why the run could not start (no project, the sandbox failed…). */
  error?: string;
}

interface BlockRunsState {
  runs: Record<string, BlockRun>;
}

/** Runs of chat code blocks by block key. */
export const useBlockRuns = create<BlockRunsState>()(() => ({ runs: {} }));
const stoppers = new Map<string, AbortController>();

function update(key: string, change: (run: BlockRun) => BlockRun): void {
  const current = useBlockRuns.getState().runs[key];
  if (current) useBlockRuns.setState({ runs: { ...useBlockRuns.getState().runs, [key]: change(current) } });
}

/** Most output a block keeps on screen; the rest is in the run's result count only. */
const MAX_OUTPUT_CHARS = 200_000;

function appendOutput(run: BlockRun, stream: 'stdout' | 'stderr', text: string): BlockRun {
  const output = [...run.output];
  const last = output[output.length - 1];
  if (last?.stream === stream) output[output.length - 1] = { stream, text: last.text + text };
  else output.push({ stream, text });
  let total = output.reduce((n, o) => n + o.text.length, 0);
  while (total > MAX_OUTPUT_CHARS && output.length > 1) total -= output.shift()?.text.length ?? 0;
  return { ...run, output };
}

/**
 * Runs `code` once in the sandbox, as a program of its language or as a shell line, showing
 * output as it arrives (batched per animation frame) and the same typed RunResult as Run.
 */
export async function runBlock(key: string, code: string, runner: RunKind): Promise<void> {
  if (useBlockRuns.getState().runs[key]?.state === 'running') return;
  const stop = new AbortController();
  stoppers.set(key, stop);
  useBlockRuns.setState({ runs: { ...useBlockRuns.getState().runs, [key]: { state: 'running', output: [] } } });
  let pending: Array<{ stream: 'stdout' | 'stderr'; text: string }> = [];
  let frame: number | undefined;
  const flush = (): void => {
    frame = undefined;
    const chunks = pending;
    pending = [];
    update(key, (run) => chunks.reduce((r, c) => appendOutput(r, c.stream, c.text), run));
  };
  const onOutput = (chunk: { stream: 'stdout' | 'stderr'; text: string }): void => {
    pending.push({ stream: chunk.stream, text: chunk.text });
    frame ??= requestAnimationFrame(flush);
  };
  try {
    await projectOpen();
    const store = useStore.getState();
    const timeoutMs = store.settings.timeoutSeconds * 1000;
    const options = { timeoutMs, onOutput, signal: stop.signal };
    const result = runner.kind === 'shell' ? await sandbox().exec(code.trim(), { ...options, cwd: store.cwd }) : await sandbox().run({ ...options, language: runner.language, code });
    if (frame !== undefined) cancelAnimationFrame(frame);
    flush();
    update(key, (run) => ({ ...run, state: 'done', result }));
    // Open tabs show what the program wrote (the tree already updated from the sandbox).
    await useStore.getState().reloadChanged(result.filesChanged);
  } catch (error) {
    if (frame !== undefined) cancelAnimationFrame(frame);
    flush();
    update(key, (run) => ({ ...run, state: 'failed', error: `Could not run: ${errorMessage(error)}` }));
  } finally {
    stoppers.delete(key);
  }
}

/** Stops a block's run (it ends as `killed`). */
export function stopBlock(key: string): void {
  stoppers.get(key)?.abort();
}

/** Copies a block's code to the clipboard; resolves false when the browser refused. */
export async function copyCode(code: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(code);
    return true;
  } catch {
    return false;
  }
}

/**
 * Opens a block in the editor: the file it names gets its code (created, or replaced in its tab
 * so it can be undone like an edit), else a new `snippet.EXT` (or the next free name).
 * Returns the path opened, or undefined when it failed (the store's notice says why).
 */
export async function openInEditor(code: string, extension: string, named?: string): Promise<string | undefined> {
  await projectOpen();
  const store = useStore.getState();
  const text = code.endsWith('\n') ? code : `${code}\n`;
  const taken = new Set(store.tree.map((t) => t.path));
  if (named && taken.has(named)) {
    await store.openFile(named);
    if (useStore.getState().activePath !== named) return undefined;
    useStore.getState().editBuffer(named, text);
    await useStore.getState().flush();
    return named;
  }
  const path = named ?? freeSnippetName(extension, taken);
  return (await store.createFile(path, text)) ? path : undefined;
}
