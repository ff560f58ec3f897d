/**
 * The demo agent: plays a scripted session as streamed text and real tool calls executed live in
 * the sandbox through the same tools and event stream as a real model. No key, no network.
 */
import type { Sandbox } from '../../sandbox/host/api.ts';
import { formatDebugReport } from '../../sandbox/host/debug-run.ts';
import { cutText, stripAnsi } from '../cut.ts';
import type { MessageRecorder } from '../recorder.ts';
import { runTool, type ToolOutcome, type ToolState } from '../tools.ts';
import type { ChatMessage } from '../types.ts';
import { matchDemoScript, scriptList, type DemoScript } from './scripts.ts';

export interface DemoOptions {
  /** Pause between streamed words in ms (default 18; 0 streams without pauses). */
  delayMs?: number;
  /** Play this script instead of matching one to the user's text. */
  script?: DemoScript;
}

export interface DemoRunOptions {
  sandbox: Sandbox;
  userText: string;
  signal?: AbortSignal;
  demo?: DemoOptions;
}

/** Bytes of program output quoted in the demo's messages. */
const QUOTE_LIMIT = 1500;

/** Plays the script matching `userText` into `recorder`; resolves with the final message. */
export async function runDemo(recorder: MessageRecorder, options: DemoRunOptions): Promise<ChatMessage> {
  const { sandbox, signal } = options;
  const script = options.demo?.script ?? matchDemoScript(options.userText);
  const delayMs = options.demo?.delayMs ?? 18;
  const state: ToolState = { cwd: '' };
  let last: ToolOutcome | undefined;
  let calls = 0;
  let steps = 0;

  for (const step of script.steps) {
    if (signal?.aborted) return recorder.stop();
    if (step.when && step.when !== (succeeded(last) ? 'ok' : 'failed')) continue;
    if ('end' in step) break;

    if ('say' in step) {
      const text = fill(step.say, last);
      // Separate consecutive says the way a model separates paragraphs.
      const lead = recorder.message.content && !recorder.message.content.endsWith('\n') ? '\n\n' : '';
      for (const piece of words(lead + text)) {
        if (signal?.aborted) return recorder.stop();
        recorder.text(piece);
        await sleep(delayMs, signal);
      }
      continue;
    }

    // A model "thinks" before calling a tool; a short pause makes the demo read the same way.
    await sleep(delayMs * 10, signal);
    if (signal?.aborted) return recorder.stop();
    const id = `demo-call-${++calls}`;
    recorder.toolStart(id, step.tool, step.input);
    last = await runTool(sandbox, step.tool, step.input, {
      signal,
      state,
      onOutput: (chunk) => recorder.toolOutput(id, chunk),
    });
    recorder.toolEnd(id, last);
    if (signal?.aborted) return recorder.stop();
    recorder.stepFinish(++steps, 'tool-calls');
  }
  recorder.stepFinish(steps + 1, 'stop');
  return recorder.finish('stop');
}

/** A tool call succeeded: it ran, and a program it ran exited 0. */
function succeeded(outcome: ToolOutcome | undefined): boolean {
  if (!outcome) return true;
  if (!outcome.ok) return false;
  return outcome.result.kind !== 'run' || (outcome.result.status === 'ok' && outcome.result.exitCode === 0);
}

/** Replaces `{{…}}` placeholders with facts about the last tool call. */
function fill(template: string, last: ToolOutcome | undefined): string {
  const result = last?.ok ? last.result : undefined;
  const run = result?.kind === 'run' ? result : undefined;
  const quote = (s: string) => cutText(stripAnsi(s).replace(/\n+$/, ''), QUOTE_LIMIT);
  const values: Record<string, () => string> = {
    scripts: () => scriptList(),
    lastStdout: () => quote(run?.stdout ?? ''),
    lastStderr: () => quote(run?.stderr ?? ''),
    lastOutput: () => quote([run?.stdout, run?.stderr].filter(Boolean).join('\n')) || (last && !last.ok ? last.error : ''),
    lastExitCode: () => String(run?.exitCode ?? ''),
    lastStatus: () => (last && !last.ok ? 'tool error' : (run?.status ?? '')),
    lastError: () => (last && !last.ok ? last.error : ''),
    lastContent: () => (result?.kind === 'read' ? quote(result.content) : ''),
    lastStops: () => (result?.kind === 'debug' ? formatDebugReport(result) : ''),
    lastFiles: () => (result?.kind === 'list' ? result.entries.map((e) => `\`${e.name}${e.kind === 'dir' ? '/' : ''}\``).join(', ') : ''),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (match, name: string) => values[name]?.() ?? match);
}

/** Splits text into word-sized pieces (each with its trailing whitespace), as tokens stream. */
function words(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
