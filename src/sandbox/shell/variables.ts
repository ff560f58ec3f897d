/**
 * The shell's variables: one namespace, each name exported or not, as in sh. Exported ones make
 * up the environment programs get; the others only expand in the shell (`X=1` alone, then `$X`).
 */

/** The variables as builtins (`export`, `unset`) and the interpreter change them. */
export class ShellVariables {
  private readonly values = new Map<string, string>();
  /** Names marked for export, with or without a value (`export X` before `X=1`). */
  private readonly exportedNames = new Set<string>();

  /** Starts from an environment (exported) and shell-only variables; a name in both is exported. */
  constructor(env: Readonly<Record<string, string>> = {}, shellOnly: Readonly<Record<string, string>> = {}) {
    for (const [name, value] of Object.entries(shellOnly)) this.values.set(name, value);
    for (const [name, value] of Object.entries(env)) {
      this.values.set(name, value);
      this.exportedNames.add(name);
    }
  }

  /** A copy to change freely: what a pipeline stage or `env CMD` works on, so the shell keeps its own. */
  clone(): ShellVariables {
    const copy = new ShellVariables();
    for (const [name, value] of this.values) copy.values.set(name, value);
    for (const name of this.exportedNames) copy.exportedNames.add(name);
    return copy;
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  /** Every variable with a value, for expansion. */
  all(): Record<string, string> {
    return Object.fromEntries(this.values);
  }

  /** The environment programs see: exported variables that have a value. */
  exported(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [name, value] of this.values) if (this.exportedNames.has(name)) env[name] = value;
    return env;
  }

  /** Variables that are not exported. */
  shellOnly(): Record<string, string> {
    const vars: Record<string, string> = {};
    for (const [name, value] of this.values) if (!this.exportedNames.has(name)) vars[name] = value;
    return vars;
  }

  /** Sets a value, keeping the export mark a name already has. */
  set(name: string, value: string): void {
    this.values.set(name, value);
  }

  /** Marks a name for export (it reaches programs once it has a value). */
  export(name: string): void {
    this.exportedNames.add(name);
  }

  isExported(name: string): boolean {
    return this.exportedNames.has(name);
  }

  unset(name: string): void {
    this.values.delete(name);
    this.exportedNames.delete(name);
  }
}

/** A valid variable name, as sh defines one. */
export function isVariableName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}
