/**
 * `env [-i] [-u NAME] [NAME=VALUE...] [CMD [ARG...]]`: the interpreter runs it itself (not as a
 * builtin) because CMD may be a program, which builtins cannot start.
 */
import { isVariableName } from './variables.ts';

/** The environment `env` ends up with, and the command to run in it (none: print it). */
export type EnvArgs = { ok: true; env: Record<string, string>; command?: string[] } | { ok: false; error: string };

/** Parses `env`'s arguments on top of `env`, the environment the command was given. */
export function parseEnvArgs(args: string[], env: Readonly<Record<string, string>>): EnvArgs {
  const out: Record<string, string> = { ...env };
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-i' || arg === '-' || arg === '--ignore-environment') {
      for (const name of Object.keys(out)) delete out[name];
    } else if (arg === '-u' || arg === '--unset') {
      const name = args[++i];
      if (name === undefined) return { ok: false, error: "env: option requires an argument -- 'u'" };
      delete out[name];
    } else if (arg.startsWith('-u') && arg.length > 2) {
      delete out[arg.slice(2)];
    } else if (arg === '--') {
      i++;
      break;
    } else if (arg.startsWith('-')) {
      return { ok: false, error: `env: invalid option -- '${arg.slice(1, 2)}'` };
    } else {
      break;
    }
  }
  for (; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf('=');
    if (eq <= 0 || !isVariableName(arg.slice(0, eq))) break;
    out[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  return i < args.length ? { ok: true, env: out, command: args.slice(i) } : { ok: true, env: out };
}
