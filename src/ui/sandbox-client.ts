import { createBrowserSandbox, createMemoryWorkspace, createOpfsWorkspace, prestartBrowserWorker, withQuota, type LiveWorker, type Sandbox } from '../sandbox/host/browser.ts';
import type { Manifest, RuntimeStatus } from '../sandbox/protocol.ts';
import { packageProviderFor } from './packages/provider.ts';
import { projectDirectory } from './projects.ts';
import { sandboxProtected } from './sandbox-protection.ts';
import { allowedOrigins, loadSettings } from './settings.ts';

let current: { projectId: string; sandbox: Sandbox } | undefined;
/** The worker started as the page loads; the first sandbox takes it over (or ends it). */
let early: LiveWorker | undefined;
const statusListeners = new Set<(status: RuntimeStatus) => void>();
const workspaceListeners = new Set<(manifest: Manifest) => void>();

function start(projectId: string, sandbox: Sandbox): Sandbox {
  sandbox.onRuntimeStatus((status) => statusListeners.forEach((listener) => listener(status)));
  sandbox.onWorkspaceChanged((manifest) => workspaceListeners.forEach((listener) => listener(manifest)));
  current = { projectId, sandbox };
  void sandbox.warmup('python').catch(() => undefined);
  return sandbox;
}

/**
 * Starts the sandbox worker and Python right away, while React renders and the project opens
 * from storage: Python's download and start-up are the long pole of the first visit.
 */
export function prestartSandbox(): void {
  void sandboxProtected().then(() => {
    early ??= prestartBrowserWorker({ allowNet: allowedOrigins(loadSettings()) });
  });
}

/** The pre-started worker, for the first sandbox only. */
function takeEarly(): { prestarted?: LiveWorker } {
  const worker = early;
  early = undefined;
  return worker ? { prestarted: worker } : {};
}

/**
 * The one sandbox of the page, bound to the open project's OPFS folder. Switching project
 * disposes the old worker, so a worker only ever holds the current project's files.
 */
export async function openSandbox(projectId: string): Promise<Sandbox> {
  if (current?.projectId === projectId) return current.sandbox;
  await sandboxProtected();
  await current?.sandbox.dispose();
  // Per-project storage quota: a storage bomb fills its own project, not the origin's whole quota.
  const workspace = withQuota(createOpfsWorkspace(await projectDirectory(projectId)));
  const settings = loadSettings();
  const packages = packageProviderFor(projectId, settings);
  return start(projectId, createBrowserSandbox({ workspace, allowNet: allowedOrigins(settings), ...(packages ? { packages } : {}), ...takeEarly() }));
}

/** A sandbox over files kept in memory only (embeds): nothing is stored in this browser. */
export async function openMemorySandbox(files: Record<string, string>): Promise<Sandbox> {
  await sandboxProtected();
  await current?.sandbox.dispose();
  const packages = packageProviderFor('embed', loadSettings());
  return start('embed', createBrowserSandbox({ workspace: createMemoryWorkspace(files), allowNet: [], ...(packages ? { packages } : {}), ...takeEarly() }));
}

/** Restarts the sandbox of the open project (after the network allow-list changed). */
export async function reopenSandbox(): Promise<void> {
  const id = current?.projectId;
  if (!id || id === 'embed') return;
  await current?.sandbox.dispose();
  current = undefined;
  await openSandbox(id);
}

/** The sandbox of the open project; throws before a project is open. */
export function sandbox(): Sandbox {
  if (!current) throw new Error('no project is open');
  return current.sandbox;
}

/** Subscribes to runtime loading status of whichever sandbox is current. */
export function onRuntimeStatus(listener: (status: RuntimeStatus) => void): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

/** Settles once Python has loaded (or failed to) in the open project's sandbox, or after `maxMs`. */
export function pythonSettled(maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      off();
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, maxMs);
    const off = onRuntimeStatus((status) => {
      if (status.runtime === 'python' && status.phase !== 'loading') done();
    });
  });
}

/** Subscribes to the workspace as each run of whichever sandbox is current left it. */
export function onWorkspaceChanged(listener: (manifest: Manifest) => void): () => void {
  workspaceListeners.add(listener);
  return () => workspaceListeners.delete(listener);
}
