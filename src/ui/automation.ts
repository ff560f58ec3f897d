import type { ExecOptions, RunOptions } from '../sandbox/protocol.ts';
import { sandbox } from './sandbox-client.ts';
import { projectOpen } from './store/opening.ts';
import { terminalText } from './terminal/output-channel.ts';
import { useStore } from './store/store.ts';

/**
 * `window.isobox`: the open project's sandbox for scripts and test harnesses driving the page
 * (the same host the Run button, the terminal and the agent use). It lives on the page's main
 * thread; code running inside the sandbox worker cannot reach it.
 */
export interface IsoboxAutomation {
  run(options: Omit<RunOptions, 'onOutput'>): ReturnType<ReturnType<typeof sandbox>['run']>;
  exec(line: string, options?: Omit<ExecOptions, 'onOutput'>): ReturnType<ReturnType<typeof sandbox>['exec']>;
  readText(path: string): Promise<string>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  /** Resolves once a project is open and its sandbox exists (and no other is opening). */
  ready(): Promise<void>;
  /**
   * The terminal's whole text, scrollback included, as plain text: one line per logical line
   * (soft-wrapped rows joined), trailing spaces trimmed, a line rewritten with `\r` as it ends.
   */
  terminalText(): string;
}

/** Settles once the page has opened a project; rejects if it could not open one. */
async function projectReady(): Promise<void> {
  await projectOpen();
  if (!useStore.getState().project) throw new Error('Isobox could not open a project');
}

/** The open project's sandbox, once the page has opened one. */
async function openedSandbox(): Promise<ReturnType<typeof sandbox>> {
  await projectReady();
  return sandbox();
}

/** Installs `window.isobox`. Calls made while the page still opens its project wait for it. */
export function installAutomation(): void {
  const api: IsoboxAutomation = {
    // The file tree follows runs by itself (the sandbox reports what each run left).
    run: async (options) => (await openedSandbox()).run(options),
    exec: async (line, options) => (await openedSandbox()).exec(line, options),
    readText: async (path) => (await openedSandbox()).fs.readText(path),
    // No tree refresh per write: scripts write many files; the tree shows them after the next run that changes the workspace.
    writeFile: async (path, data) => (await openedSandbox()).fs.writeFile(path, data),
    ready: projectReady,
    terminalText,
  };
  (window as unknown as { isobox: IsoboxAutomation }).isobox = api;
}
