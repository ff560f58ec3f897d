import type { WASI } from '@bjorn3/browser_wasi_shim';
import type { AuditSink } from './runtime.ts';

/** WASI errno names, for traces (wasi_snapshot_preview1 numbering). */
const ERRNO: Record<number, string> = {
  0: 'SUCCESS', 2: 'EACCES', 8: 'EBADF', 20: 'EEXIST', 28: 'EINVAL', 29: 'EIO', 31: 'EISDIR', 44: 'ENOENT',
  52: 'ENOSYS', 54: 'ENOTDIR', 55: 'ENOTEMPTY', 58: 'ENOTSUP', 63: 'EPERM', 76: 'ENOTCAPABLE',
};
const ENOTCAPABLE = 76;
const O_CREAT = 1;
const O_DIRECTORY = 2;
const O_TRUNC = 8;

/** Calls whose path argument follows a flags word (fd, flags, path_ptr, path_len, …). */
const PATH_AFTER_FLAGS = new Set(['path_open', 'path_filestat_get', 'path_filestat_set_times', 'path_link']);

/** Where a preopened directory descriptor points, as an absolute path (`/`, `/workspace/src`). */
export type PreopenDirOf = (fd: number) => string | undefined;

/** The workspace-relative path `path` opened from directory `dir` names, or undefined outside /workspace. */
export function workspacePathOf(dir: string, path: string): string | undefined {
  const parts: string[] = [];
  for (const part of `${dir}/${path}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.pop() === undefined) return undefined;
    } else {
      parts.push(part);
    }
  }
  if (parts[0] !== 'workspace' || parts.length < 2) return undefined;
  return parts.slice(1).join('/');
}

function readString(memory: WebAssembly.Memory, ptr: number, len: number): string {
  return new TextDecoder().decode(new Uint8Array(memory.buffer, ptr, Math.min(len, 4096)));
}

/**
 * Wraps every WASI import of `shim` to feed the run's audit: paths refused outside the workspace
 * (ENOTCAPABLE) become blocked attempts, socket calls too, files opened for reading are noted,
 * and with `audit.tracing` every call is recorded strace-style (call, arguments, errno).
 */
export function auditWasiImports(shim: WASI, audit: AuditSink, memory: () => WebAssembly.Memory, preopenDir: PreopenDirOf): void {
  const imports = shim.wasiImport;
  for (const [call, original] of Object.entries(imports)) {
    if (typeof original !== 'function') continue;
    const pathIndex = call.startsWith('path_') || call === 'path_symlink' ? (PATH_AFTER_FLAGS.has(call) ? 2 : call === 'path_symlink' ? 0 : 1) : -1;
    imports[call] = (...args: unknown[]): unknown => {
      const result = (original as (...a: unknown[]) => unknown)(...args);
      const errno = typeof result === 'number' ? result : 0;
      let path: string | undefined;
      if (pathIndex >= 0) {
        try {
          path = readString(memory(), Number(args[pathIndex]), Number(args[pathIndex + 1]));
        } catch {
          path = undefined;
        }
      }
      if (audit.tracing) {
        const shown = args.map((a, i) => (i === pathIndex && path !== undefined ? JSON.stringify(path) : i === pathIndex + 1 && path !== undefined ? null : String(a))).filter((a) => a !== null);
        audit.syscall({ call, args: shown.join(', '), result: typeof result === 'number' ? (ERRNO[result] ?? `errno ${result}`) : String(result ?? '') });
      }
      if (call.startsWith('sock_')) audit.block('network', call, 'no sockets in the sandbox');
      if (path !== undefined && errno === ENOTCAPABLE) audit.block('path', `${call} ${path}`, 'outside /workspace');
      if (call === 'path_open' && path !== undefined && errno === 0) {
        const oflags = Number(args[4]);
        const dir = preopenDir(Number(args[0]));
        if (dir !== undefined && (oflags & (O_CREAT | O_TRUNC | O_DIRECTORY)) === 0) {
          const resolved = workspacePathOf(dir, path);
          if (resolved !== undefined) audit.fileRead(resolved);
        }
      }
      return result;
    };
  }
}
