/** Opening a workspace directory and a sandbox over it, the way every CLI command does. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createDirectoryWorkspace } from '../sandbox/fs/directory.ts';
import { WorkspaceError } from '../sandbox/fs/paths.ts';
import type { Workspace } from '../sandbox/fs/workspace.ts';
import { createNodeSandbox, type Sandbox } from '../sandbox/host/node.ts';
import { DEFAULT_PACKAGE_INDEX } from '../sandbox/packages/default-index.ts';
import { createPackageProvider, type PackageProvider } from '../sandbox/packages/provider.ts';
import { directoryPackageStore } from '../sandbox/packages/store-dir.node.ts';
import { defaultCacheDir, fileSnapshotStore } from '../sandbox/host/snapshot-store.node.ts';
import type { Language, RuntimeStatus } from '../sandbox/protocol.ts';
import { UsageError, type CommonOptions } from './args.ts';

/**
 * Opens `dir` as the workspace. Unlike `createDirectoryWorkspace`, a missing directory is an
 * error: a typo in `--workspace` must not silently create an empty folder to run in.
 */
export async function openWorkspace(dir: string): Promise<Workspace> {
  const stats = await stat(dir).catch(() => null);
  if (!stats) throw new UsageError(`the workspace ${dir} does not exist (create it, or pass --workspace DIR)`);
  if (!stats.isDirectory()) throw new UsageError(`the workspace ${dir} is not a directory`);
  return createDirectoryWorkspace(dir);
}

/**
 * A sandbox for one CLI process; Python starts from a snapshot kept in the user's cache directory
 * (see defaultCacheDir). A one-shot command keeps no spare worker (nothing to swap to); the MCP
 * server does, so each call (every Python run gets a fresh interpreter) and each call after a
 * cancel find one ready.
 */
export function openSandbox(workspace: Workspace, options: CommonOptions, server: 'cli' | 'mcp' = 'cli'): Sandbox {
  const cacheDir = defaultCacheDir();
  return createNodeSandbox({
    workspace,
    limits: { timeoutMs: options.timeoutMs },
    allowNet: options.allowNet,
    keepSpare: server === 'mcp',
    ...(cacheDir ? { snapshots: fileSnapshotStore(cacheDir) } : {}),
    packages: packageProvider(options, cacheDir, server),
  });
}

/**
 * Python's packages for a CLI process: `--allow-packages` is the consent (nothing can be asked
 * on a pipe or over MCP); without it a program that imports one fails at once, saying so.
 * Verified wheels are kept under the cache directory, so a second run works offline.
 */
function packageProvider(options: CommonOptions, cacheDir: string | undefined, server: 'cli' | 'mcp'): PackageProvider {
  const index = options.packageIndex ?? DEFAULT_PACKAGE_INDEX;
  const how = server === 'mcp' ? 'start the MCP server with `isobox mcp --allow-packages`' : 'run with --allow-packages';
  return createPackageProvider({
    index,
    ...(options.pypiIndex ? { pypiIndex: options.pypiIndex } : {}),
    ...(cacheDir ? { store: directoryPackageStore(join(cacheDir, 'packages')) } : {}),
    ...(options.allowPackages ? { ask: () => Promise.resolve('allow' as const) } : {}),
    hint: (names, _reason, from) => `isobox: ${names.join(', ')} ${names.length === 1 ? 'is a package' : 'are packages'} from ${from}, not downloaded: ${how} to let Python load ${names.length === 1 ? 'it' : 'them'}`,
  });
}

const RUNTIME_OF: Record<Language, RuntimeStatus['runtime']> = { python: 'python', ruby: 'ruby', c: 'clang', cpp: 'clang', wasm: 'wasi' };

/** The runtime that runs programs in `language`. */
export function runtimeOf(language: Language): RuntimeStatus['runtime'] {
  return RUNTIME_OF[language];
}

/**
 * The runtimes a shell line will probably start, guessed from its words. Only used to load them
 * before the clock starts; a wrong guess costs time, never correctness.
 */
export function runtimesForLine(line: string): RuntimeStatus['runtime'][] {
  const found = new Set<RuntimeStatus['runtime']>();
  for (const word of line.split(/[\s|&;<>()]+/)) {
    if (/^(python3?|%?pip3?)$/.test(word)) found.add('python');
    else if (word === 'ruby') found.add('ruby');
    else if (/^(cc|c\+\+|clang|clang\+\+|gcc|g\+\+)$/.test(word)) found.add('clang');
    else if (word.endsWith('.wasm')) found.add('wasi');
  }
  return [...found];
}

/**
 * Loads runtimes ahead of the run. The sandbox's timeout clock starts before a runtime loads, so
 * without this `--timeout 2` could expire while Pyodide is still starting. Failures are left for
 * the run itself to report.
 */
export async function warmUp(sandbox: Sandbox, runtimes: RuntimeStatus['runtime'][]): Promise<void> {
  for (const runtime of runtimes) await sandbox.warmup(runtime).catch(() => undefined);
}

/** `code: message` for workspace errors (`ENOENT: no such file or directory: a.txt`), the message otherwise. */
export function describeError(error: unknown): string {
  if (error instanceof WorkspaceError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) {
    // Errors that crossed Comlink arrive as plain Errors that still carry the errno-like code.
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && /^E[A-Z]+$/.test(code) && !error.message.startsWith(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
