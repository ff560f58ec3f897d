/**
 * Demo scripts: plain JSON data in `./scripts/`, validated here. To add one, drop a JSON file
 * next to the others and list it in `SCRIPT_FILES`.
 *
 * A script has `match` keywords and `steps`:
 * - `{ "say": "text" }` streams text; `{{lastStdout}}`, `{{lastStderr}}`, `{{lastOutput}}`,
 *   `{{lastExitCode}}`, `{{lastStatus}}`, `{{lastError}}`, `{{lastContent}}`, `{{lastFiles}}`, `{{lastStops}}` refer
 *   to the previous tool call, `{{scripts}}` lists the scripts.
 * - `{ "tool": "write_file", "input": { … } }` runs a real tool call through the sandbox.
 * - `{ "end": true }` ends the script.
 * Any step may carry `"when": "ok" | "failed"` to play only after a tool call that succeeded
 * (exit code 0) or failed. Strings may be written as arrays of lines.
 */
import { z } from 'zod';
import { TOOL_NAMES } from '../types.ts';
import cHello from './scripts/c-hello.json' with { type: 'json' };
import defaultScript from './scripts/default.json' with { type: 'json' };
import fixFailingTest from './scripts/fix-failing-test.json' with { type: 'json' };
import fizzbuzz from './scripts/fizzbuzz.json' with { type: 'json' };
import primes from './scripts/primes.json' with { type: 'json' };
import debugAverage from './scripts/debug-average.json' with { type: 'json' };

/** A string, or lines to join with `\n`. */
const text = z.union([z.string(), z.array(z.string())]).transform((value) => (Array.isArray(value) ? value.join('\n') : value));
const when = z.enum(['ok', 'failed']).optional();

const stepSchema = z.union([
  z.strictObject({ say: text, when }),
  z.strictObject({ tool: z.enum(TOOL_NAMES), input: z.record(z.string(), z.union([text, z.number(), z.boolean(), z.array(z.number())])), when }),
  z.strictObject({ end: z.literal(true), when }),
]);

const scriptSchema = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  /** An example request that picks this script, shown in the default script's list. */
  prompt: z.string().min(1),
  match: z.array(z.string().min(1)),
  steps: z.array(stepSchema).min(1),
});

export type DemoStep = z.infer<typeof stepSchema>;
export type DemoScript = z.infer<typeof scriptSchema>;

/** Validates a script; throws a zod error naming what is wrong. */
export function parseDemoScript(data: unknown): DemoScript {
  return scriptSchema.parse(data);
}

const SCRIPT_FILES: unknown[] = [fizzbuzz, cHello, fixFailingTest, primes, debugAverage];

/** The scripts the demo agent can play, in priority order for ties. */
export const DEMO_SCRIPTS: readonly DemoScript[] = SCRIPT_FILES.map(parseDemoScript);

/** Played when no script matches: lists what the demo can do. */
export const DEFAULT_DEMO_SCRIPT: DemoScript = parseDemoScript(defaultScript);

/** The script whose keywords best match the user's text (most keywords found), or the default. */
export function matchDemoScript(userText: string, scripts: readonly DemoScript[] = DEMO_SCRIPTS): DemoScript {
  const haystack = userText.toLowerCase();
  let best: DemoScript = DEFAULT_DEMO_SCRIPT;
  let bestScore = 0;
  for (const script of scripts) {
    const score = script.match.filter((keyword) => containsWord(haystack, keyword.toLowerCase())).length;
    if (score > bestScore) {
      best = script;
      bestScore = score;
    }
  }
  return best;
}

/** Whole-word match, so "fix" does not match "prefix". */
function containsWord(haystack: string, needle: string): boolean {
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${escaped}($|[^a-z0-9])`).test(haystack);
}

/** The markdown list of scripts for `{{scripts}}`. */
export function scriptList(scripts: readonly DemoScript[] = DEMO_SCRIPTS): string {
  return scripts.map((s) => `- **${s.title}**: try "${s.prompt}"`).join('\n');
}
