import type { ExecOptions, RunOptions } from '../sandbox/protocol.ts';
import { sandbox } from './sandbox-client.ts';
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
  /** Resolves once a project is open and its sandbox exists. */
  ready(): Promise<void>;
}

/** Installs `window.isobox`. */
export function installAutomation(): void {
  const api: IsoboxAutomation = {
    // The file tree follows runs by itself (the sandbox reports what each run left).
    run: (options) => sandbox().run(options),
    exec: (line, options) => sandbox().exec(line, options),
    readText: (path) => sandbox().fs.readText(path),
    // No tree refresh per write: scripts write many files; the next run or exec refreshes it.
    writeFile: (path, data) => sandbox().fs.writeFile(path, data),
    ready: () =>
      new Promise((resolve) => {
        const check = (): boolean => {
          if (!useStore.getState().project) return false;
          resolve();
          return true;
        };
        if (check()) return;
        const off = useStore.subscribe(() => {
          if (check()) off();
        });
      }),
  };
  (window as unknown as { isobox: IsoboxAutomation }).isobox = api;
}
