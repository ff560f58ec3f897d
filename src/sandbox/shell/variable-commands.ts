/** Builtins over the shell's own state: `export`, `unset`, `which`. */
import { type Builtin, type BuiltinIo, encode, writeLine } from './command.ts';
import { isVariableName } from './variables.ts';

/** `export [-n] [-p] [NAME[=VALUE]...]`: no NAME lists exported variables as `declare -x` lines. */
export const exportVariables: Builtin = (args, io) => {
  let unexport = false;
  let i = 0;
  for (; i < args.length && /^-[np]+$/.test(args[i] as string); i++) if ((args[i] as string).includes('n')) unexport = true;
  if (args[i] === '--') i++;
  const operands = args.slice(i);
  if (operands.length === 0) {
    const lines = Object.entries(io.variables.exported())
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => `declare -x ${name}="${value.replace(/(["\\$`])/g, '\\$1')}"\n`);
    io.stdout(encode(lines.join('')));
    return 0;
  }
  let status = 0;
  for (const operand of operands) {
    const eq = operand.indexOf('=');
    const name = eq < 0 ? operand : operand.slice(0, eq);
    if (!isVariableName(name)) {
      status = invalidName(io, 'export', operand);
      continue;
    }
    if (eq >= 0) io.variables.set(name, operand.slice(eq + 1));
    if (unexport) {
      const value = io.variables.get(name);
      io.variables.unset(name);
      if (value !== undefined) io.variables.set(name, value);
    } else {
      io.variables.export(name);
    }
  }
  return status;
};

/** `unset [-v] NAME...`: removes variables; unknown names are fine. */
export const unset: Builtin = (args, io) => {
  let status = 0;
  for (const operand of args) {
    if (operand === '-v' || operand === '--') continue;
    if (operand === '-f') {
      writeLine(io.stderr, 'unset: -f: this shell has no functions');
      return 2;
    }
    if (!isVariableName(operand)) status = invalidName(io, 'unset', operand);
    else io.variables.unset(operand);
  }
  return status;
};

function invalidName(io: BuiltinIo, command: string, operand: string): number {
  writeLine(io.stderr, `${command}: '${operand}': not a valid identifier`);
  return 1;
}

/** `which NAME...`: says what each name runs; exit 1 when one of them is nothing the shell knows. */
export const which: Builtin = (args, io) => {
  const names = args.filter((arg) => arg !== '-a');
  let status = names.length === 0 ? 1 : 0;
  for (const name of names) {
    const kind = io.commandKind(name);
    if (kind === undefined) {
      status = 1;
      continue;
    }
    writeLine(io.stdout, kind === 'builtin' ? `${name}: shell builtin` : name.includes('/') ? name : `${name}: Isobox program (runs in the sandbox)`);
  }
  return status;
};
