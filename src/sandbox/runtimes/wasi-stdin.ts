import { wasi } from '@bjorn3/browser_wasi_shim';
import type { TerminalInput } from './runtime.ts';
import { StdinFd } from './wasi-fs.ts';

/**
 * Standard input of a WASI program (C, C++, .wasm, Ruby): the given bytes, or, while `terminal`
 * is set, the user's terminal, where `fd_read` blocks until a line is typed and the program sees
 * a character device (`isatty(0)` is true). A Stop while it waits unwinds the guest with the
 * error `interrupted()` makes.
 */
export class RunStdinFd extends StdinFd {
  terminal: TerminalInput | undefined;
  /** Makes the error that unwinds the guest when a Stop comes while it waits. */
  interrupted: () => Error;

  constructor(data: Uint8Array, tty: boolean, interrupted: () => Error, terminal?: TerminalInput) {
    super(data, tty);
    this.interrupted = interrupted;
    this.terminal = terminal;
  }

  /** For poll_oneoff: the terminal always counts as readable (a read then waits for the line). */
  override get remaining(): number {
    return this.terminal ? 1 : super.remaining;
  }

  override fd_read(size: number): { ret: number; data: Uint8Array } {
    if (!this.terminal) return super.fd_read(size);
    const got = this.terminal.read(size);
    if (got === 'interrupted') throw this.interrupted();
    return { ret: wasi.ERRNO_SUCCESS, data: got };
  }

  override fd_fdstat_get(): { ret: number; fdstat: wasi.Fdstat } {
    const stat = super.fd_fdstat_get();
    if (this.terminal) stat.fdstat.fs_filetype = wasi.FILETYPE_CHARACTER_DEVICE;
    return stat;
  }

  override fd_filestat_get(): { ret: number; filestat: wasi.Filestat } {
    const stat = super.fd_filestat_get();
    if (this.terminal) stat.filestat.filetype = wasi.FILETYPE_CHARACTER_DEVICE;
    return stat;
  }
}
