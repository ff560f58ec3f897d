import type { WorkerJob } from '../protocol.ts';
import type { ProgramIo, ProgramResult } from '../runtimes/runtime.ts';
import type { Runtimes } from './runtimes.ts';
import type { FileTree } from './tree.ts';

/** Runs one job (a program's source, or a shell line) against the worker's tree. */
export async function runJob(job: WorkerJob, tree: FileTree, io: ProgramIo, runtimes: Runtimes): Promise<ProgramResult & { cwd?: string }> {
  if (job.kind === 'shell') {
    io.stderr(new TextEncoder().encode('isobox: the shell is not available yet\n'));
    return { status: 'error', exitCode: 127 };
  }
  switch (job.language) {
    case 'python':
      return runtimes.python.run(tree, io, job.code, job.filename);
    default:
      io.stderr(new TextEncoder().encode(`isobox: ${job.language} is not available yet\n`));
      return { status: 'error', exitCode: 127 };
  }
}
