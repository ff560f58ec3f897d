/** `isobox exec "SHELL LINE"`: one line of the sandbox shell, as the browser terminal runs it. */
import type { CommonOptions } from './args.ts';
import { openSandbox, openWorkspace, runtimesForLine, warmUp } from './session.ts';
import { runInTerminal } from './terminal.ts';
import { cliStdin, withTerminalInput } from './tty-stdin.ts';

export interface ExecCommand {
  options: CommonOptions;
  line: string;
}

/** Runs the line and resolves with the CLI's exit code. */
export async function execCommand(command: ExecCommand): Promise<number> {
  const { options, line } = command;
  const workspace = await openWorkspace(options.workspace);
  const input = await cliStdin();
  const sandbox = openSandbox(workspace, options);
  try {
    await warmUp(sandbox, runtimesForLine(line));
    return await runInTerminal(sandbox, (onOutput) => withTerminalInput(sandbox, input, () => sandbox.exec(line, { ...input, timeoutMs: options.timeoutMs, onOutput })), options);
  } finally {
    await sandbox.dispose();
  }
}
