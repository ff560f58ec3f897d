/**
 * `isobox agent "TASK"`: one headless agent turn over the workspace, printing the assistant's
 * text, each tool call and its output as they happen (or, with --json, one JSON line per event).
 * Provider from --provider / ISOBOX_PROVIDER, ISOBOX_BASE_URL, ISOBOX_MODEL, ISOBOX_API_KEY;
 * with none of them set, the offline demo agent plays.
 */
import { runAgent, type AgentEvent, type ProviderSettings, type ToolCallRecord } from '../agent/index.ts';
import { formatDebugReport } from '../sandbox/host/debug-run.ts';
import { UsageError, type AgentProvider, type CommonOptions } from './args.ts';
import { openSandbox, openWorkspace } from './session.ts';
import { signalExitCode } from './terminal.ts';

export interface AgentCommand {
  options: CommonOptions;
  task: string;
  provider?: AgentProvider;
  maxSteps?: number;
}

/** Exit code of a turn that ended in an error (provider unreachable, bad key…). */
const EXIT_AGENT_ERROR = 1;

/** Runs one agent turn and resolves with the exit code: 0 finished, 1 failed, 130 stopped by Ctrl-C. */
export async function agentCommand(command: AgentCommand, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const settings = providerSettings(command.provider, env);
  if (settings.provider === 'demo' && command.provider === undefined && !env.ISOBOX_PROVIDER) {
    process.stderr.write('isobox agent: no provider configured (set ISOBOX_BASE_URL and ISOBOX_MODEL, or pass --provider); the demo agent plays\n');
  }
  const workspace = await openWorkspace(command.options.workspace);
  const sandbox = openSandbox(workspace, command.options);
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(signalExitCode('SIGINT'));
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const print = command.options.json ? printJson : createTranscript();
    const message = await runAgent({
      sandbox,
      settings,
      history: [],
      userText: command.task,
      signal: controller.signal,
      environment: 'node',
      onEvent: print,
      ...(command.maxSteps === undefined ? {} : { maxSteps: command.maxSteps }),
      // Word-by-word pacing is for people watching; pipes and scripts get the demo at once.
      ...(process.stdout.isTTY ? {} : { demo: { delayMs: 0 } }),
    });
    if (message.status === 'stopped') return signalExitCode('SIGINT');
    return message.status === 'error' ? EXIT_AGENT_ERROR : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await sandbox.dispose();
  }
}

/** Provider settings from the flag and the environment; the demo agent when nothing is configured. */
export function providerSettings(flag: AgentProvider | undefined, env: NodeJS.ProcessEnv): ProviderSettings {
  const baseUrl = env.ISOBOX_BASE_URL?.trim() || undefined;
  const model = env.ISOBOX_MODEL?.trim() || undefined;
  const apiKey = env.ISOBOX_API_KEY?.trim() || undefined;
  const fromEnv = env.ISOBOX_PROVIDER?.trim() || undefined;
  if (fromEnv !== undefined && !['openai-compatible', 'openai', 'anthropic', 'demo'].includes(fromEnv)) {
    throw new UsageError(`ISOBOX_PROVIDER: unknown provider "${fromEnv}"; one of openai-compatible, openai, anthropic, demo`);
  }
  const provider = flag ?? (fromEnv as AgentProvider | undefined) ?? (baseUrl || model ? 'openai-compatible' : 'demo');
  if (provider === 'demo') return { provider };
  return { provider, ...(baseUrl ? { baseUrl } : {}), ...(model ? { model } : {}), ...(apiKey ? { apiKey } : {}) };
}

function printJson(event: AgentEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

/** A readable transcript: the assistant's text and program output on stdout, tool calls as `[tool] …` lines. */
function createTranscript(): (event: AgentEvent) => void {
  let lastChar = '\n';
  let afterTool = false;
  const out = (text: string, stream: NodeJS.WriteStream = process.stdout): void => {
    if (text === '') return;
    stream.write(text);
    lastChar = text.slice(-1);
  };
  const line = (text: string, stream?: NodeJS.WriteStream): void => out(`${lastChar === '\n' ? '' : '\n'}${text}\n`, stream);

  return (event) => {
    switch (event.type) {
      case 'text-delta': {
        // Text after a tool line starts on its own line, without the model's paragraph break.
        const text = afterTool ? event.text.replace(/^\n+/, '') : event.text;
        if (text !== '') afterTool = false;
        out(text);
        break;
      }
      case 'tool-call-start':
        line(describeCall(event.call));
        break;
      case 'tool-output':
        out(event.text, event.stream === 'stderr' ? process.stderr : process.stdout);
        break;
      case 'tool-call-end':
        line(describeEnd(event.call));
        afterTool = true;
        break;
      case 'finish':
        if (lastChar !== '\n') out('\n');
        break;
      case 'error':
        line(`isobox agent: ${event.error.message}`, process.stderr);
        break;
      case 'stopped':
        line('isobox agent: stopped', process.stderr);
        break;
      default:
        break;
    }
  };
}

function describeCall(call: ToolCallRecord): string {
  const input = (typeof call.input === 'object' && call.input !== null ? call.input : {}) as Record<string, unknown>;
  const str = (key: string): string => (typeof input[key] === 'string' ? (input[key] as string) : '');
  switch (call.tool) {
    case 'run_code':
      return `[run_code ${str('language')}]\n${indent(str('code'))}`;
    case 'exec':
      return `[exec] ${str('command')}`;
    case 'write_file':
      return `[write_file] ${str('path')}`;
    case 'read_file':
      return `[read_file] ${str('path')}`;
    case 'list_files':
      return `[list_files] ${str('path') || '.'}`;
    case 'debug_run':
      return `[debug_run ${str('path') || 'code'}] breakpoints ${JSON.stringify(input.breakpoints ?? [])}${str('code') ? `\n${indent(str('code'))}` : ''}`;
  }
}

function describeEnd(call: ToolCallRecord): string {
  if (call.state === 'error') return `[${call.tool} failed: ${call.error ?? 'unknown error'}]`;
  const result = call.result;
  if (!result) return `[${call.tool} done]`;
  switch (result.kind) {
    case 'run':
      return `[${result.status} ${result.exitCode}${result.filesChanged.length > 0 ? `; changed ${result.filesChanged.join(', ')}` : ''}]`;
    case 'write':
      return `[wrote ${result.bytes} bytes]`;
    case 'read':
      return `[read ${result.bytes} bytes]`;
    case 'list':
      return `[${result.entries.length} entries: ${result.entries.map((e) => (e.kind === 'dir' ? `${e.name}/` : e.name)).join(' ')}]`;
    case 'debug':
      return `[${result.status} ${result.exitCode}; ${formatDebugReport(result)}]`;
  }
}

function indent(code: string): string {
  return code
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
