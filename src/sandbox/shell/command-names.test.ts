import { describe, expect, it } from 'vitest';
import { createProgramResolver } from '../worker/programs.ts';
import type { Runtimes } from '../worker/runtimes.ts';
import { FileTree } from '../worker/tree.ts';
import { BUILTINS } from './builtins.ts';
import { COMMAND_NAMES, COMMANDS } from './command-names.ts';

// The resolver only looks names up here; no runtime is started, so none is needed.
const resolve = createProgramResolver({} as Runtimes);

describe('COMMANDS, the list completion and help read', () => {
  it('names every program the worker resolves, and only those', () => {
    const tree = new FileTree();
    for (const command of COMMANDS) {
      expect(resolve(command.name, '', tree) !== undefined, command.name).toBe(command.kind === 'program');
    }
    for (const name of ['python', 'python3', 'ruby', 'cc', 'gcc', 'clang', 'c++', 'g++', 'clang++']) expect(COMMAND_NAMES).toContain(name);
  });

  it('names every builtin', () => {
    for (const name of BUILTINS.keys()) expect(COMMANDS.find((command) => command.name === name)?.kind).toBe('builtin');
  });

  it('has one entry per name, each with a usage starting with its name and a description', () => {
    expect(new Set(COMMAND_NAMES).size).toBe(COMMAND_NAMES.length);
    for (const command of COMMANDS) {
      expect(command.usage.startsWith(command.name)).toBe(true);
      expect(command.description).not.toBe('');
    }
  });
});
