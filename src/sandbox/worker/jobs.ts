import type { WorkerJob } from '../protocol.ts';
import type { ProgramIo, ProgramResult } from '../runtimes/runtime.ts';
import { runLine } from '../shell/interpreter.ts';
import { createProgramResolver } from './programs.ts';
import type { Runtimes } from './runtimes.ts';
import type { FileTree } from './tree.ts';

/** Runs one job (a program's source, or a shell line) against the worker's tree. */
export async function runJob(job: WorkerJob, tree: FileTree, io: ProgramIo, runtimes: Runtimes): Promise<ProgramResult & { cwd?: string; env?: Record<string, string>; vars?: Record<string, string> }> {
  if (job.kind === 'shell') {
    return runLine(job.line, {
      tree,
      cwd: job.cwd,
      env: job.env,
      ...(job.vars ? { vars: job.vars } : {}),
      lastExitCode: job.lastExitCode,
      stdin: io.stdin,
      ...(io.terminal ? { terminal: io.terminal } : {}),
      stdout: io.stdout,
      stderr: io.stderr,
      interrupt: io.interrupt,
      resolveProgram: createProgramResolver(runtimes),
      audit: io.audit,
      ...(io.packages ? { packages: io.packages } : {}),
    });
  }
  switch (job.language) {
    case 'python':
      return runtimes.python.run(tree, io, job.code, job.filename);
    case 'ruby':
      return runtimes.ruby.run(tree, io, job.code, job.filename);
    case 'c':
    case 'cpp':
      return runtimes.clang.compileAndRun(tree, io, job.code, job.filename, job.language === 'cpp');
    case 'wasm': {
      // For wasm, `code` names the binary in the workspace.
      const path = tree.resolve(io.cwd, job.code || job.filename);
      if (!tree.isFile(path)) {
        io.stderr(new TextEncoder().encode(`isobox: ${job.code || job.filename}: No such file in the workspace\n`));
        return { status: 'error', exitCode: 127 };
      }
      return runtimes.wasi(tree, io, tree.readFile(path), job.code || job.filename);
    }
    default:
      io.stderr(new TextEncoder().encode(`isobox: unknown language: ${String(job.language)} (expected python, ruby, c, cpp or wasm)\n`));
      return { status: 'error', exitCode: 2 };
  }
}
