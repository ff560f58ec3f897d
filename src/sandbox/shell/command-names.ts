/**
 * The commands the shell knows, as data: names, usage and a one-line description. Pure (no
 * imports), so the UI's Tab completion can read it through `src/sandbox/host/shell-info.ts`
 * without pulling the interpreter in. `help` prints this table; a test checks it against the
 * builtin table and the program resolver, so it cannot drift from what actually runs.
 */

/** One command as `help` lists it. */
export interface CommandInfo {
  name: string;
  /** Synopsis, e.g. `head [-n N] [FILE...]`. */
  usage: string;
  description: string;
  /** `builtin`: the shell's own; `program`: a language runtime or compiler. */
  kind: 'builtin' | 'program';
}

/** Every command, in the order `help` lists them. */
export const COMMANDS: readonly CommandInfo[] = [
  { name: 'ls', usage: 'ls [-l] [-a] [PATH...]', description: 'list files (directories end with /)', kind: 'builtin' },
  { name: 'cat', usage: 'cat [FILE...]', description: 'print files (no FILE: standard input)', kind: 'builtin' },
  { name: 'echo', usage: 'echo [-n] [-e] [ARG...]', description: 'print arguments (-e: \\n, \\t escapes)', kind: 'builtin' },
  { name: 'printf', usage: 'printf FORMAT [ARG...]', description: 'formatted output (%s %d %.2f \\n ...)', kind: 'builtin' },
  { name: 'pwd', usage: 'pwd', description: 'print the working directory', kind: 'builtin' },
  { name: 'cd', usage: 'cd [DIR]', description: 'change directory (no DIR: /workspace)', kind: 'builtin' },
  { name: 'mkdir', usage: 'mkdir [-p] DIR...', description: 'make directories', kind: 'builtin' },
  { name: 'rm', usage: 'rm [-r] [-f] PATH...', description: 'remove files (-r: directories too)', kind: 'builtin' },
  { name: 'mv', usage: 'mv SRC... DEST', description: 'move or rename', kind: 'builtin' },
  { name: 'cp', usage: 'cp [-r] SRC... DEST', description: 'copy (-r: directories)', kind: 'builtin' },
  { name: 'touch', usage: 'touch FILE...', description: 'create empty files (existing ones are kept)', kind: 'builtin' },
  { name: 'head', usage: 'head [-n N] [FILE...]', description: 'first N lines (default 10)', kind: 'builtin' },
  { name: 'tail', usage: 'tail [-n N] [FILE...]', description: 'last N lines (default 10; -n +N: from line N)', kind: 'builtin' },
  { name: 'wc', usage: 'wc [-l] [-w] [-c] [FILE...]', description: 'count lines, words and bytes', kind: 'builtin' },
  { name: 'grep', usage: 'grep [-nivrclowxEF] RE [FILE...]', description: 'lines matching a regex (-A/-C N, --include)', kind: 'builtin' },
  { name: 'find', usage: 'find [PATH...] [TEST...]', description: 'list files (-name PAT -type f|d -maxdepth N !)', kind: 'builtin' },
  { name: 'sort', usage: 'sort [-nrufs] [FILE...]', description: 'sort lines (-n numbers, -r reverse, -t SEP -k N)', kind: 'builtin' },
  { name: 'uniq', usage: 'uniq [-cdui] [FILE]', description: 'drop repeated adjacent lines (-c: count them)', kind: 'builtin' },
  { name: 'seq', usage: 'seq [FIRST [STEP]] LAST', description: 'print a sequence of numbers', kind: 'builtin' },
  { name: 'basename', usage: 'basename PATH [SUFFIX]', description: 'file name part of a path', kind: 'builtin' },
  { name: 'dirname', usage: 'dirname PATH...', description: 'directory part of a path', kind: 'builtin' },
  { name: 'test', usage: 'test EXPR', description: 'check files, strings, numbers (-f -z = -lt !)', kind: 'builtin' },
  { name: '[', usage: '[ EXPR ]', description: 'same as test', kind: 'builtin' },
  { name: 'true', usage: 'true', description: 'exit 0', kind: 'builtin' },
  { name: 'false', usage: 'false', description: 'exit 1', kind: 'builtin' },
  { name: 'export', usage: 'export [NAME[=VALUE]...]', description: 'put variables in the environment of commands', kind: 'builtin' },
  { name: 'unset', usage: 'unset NAME...', description: 'remove variables', kind: 'builtin' },
  { name: 'env', usage: 'env [NAME=VALUE...] [CMD...]', description: 'print the environment, or run CMD in it', kind: 'builtin' },
  { name: 'exit', usage: 'exit [N]', description: 'end the line with exit code N (default: $?)', kind: 'builtin' },
  { name: 'which', usage: 'which NAME...', description: 'say whether NAME is a builtin or a program', kind: 'builtin' },
  { name: 'clear', usage: 'clear', description: 'clear the terminal', kind: 'builtin' },
  { name: 'help', usage: 'help', description: 'this list', kind: 'builtin' },
  { name: 'python', usage: 'python FILE [ARG...]', description: 'run a Python 3 program (python -c CODE)', kind: 'program' },
  { name: 'python3', usage: 'python3 FILE [ARG...]', description: 'same as python', kind: 'program' },
  { name: 'pip', usage: 'pip install NAME...', description: 'install pure-Python wheels from PyPI', kind: 'program' },
  { name: 'pip3', usage: 'pip3 install NAME...', description: 'same as pip', kind: 'program' },
  { name: '%pip', usage: '%pip install NAME...', description: 'same as pip', kind: 'program' },
  { name: 'ruby', usage: 'ruby FILE [ARG...]', description: 'run a Ruby program (ruby -e CODE)', kind: 'program' },
  { name: 'cc', usage: 'cc FILE -o OUT.wasm', description: 'compile C to WebAssembly (also gcc, clang)', kind: 'program' },
  { name: 'gcc', usage: 'gcc FILE -o OUT.wasm', description: 'same as cc', kind: 'program' },
  { name: 'clang', usage: 'clang FILE -o OUT.wasm', description: 'same as cc', kind: 'program' },
  { name: 'c++', usage: 'c++ FILE -o OUT.wasm', description: 'compile C++ to WebAssembly (also g++, clang++)', kind: 'program' },
  { name: 'g++', usage: 'g++ FILE -o OUT.wasm', description: 'same as c++', kind: 'program' },
  { name: 'clang++', usage: 'clang++ FILE -o OUT.wasm', description: 'same as c++', kind: 'program' },
];

/** Every command name the shell knows (builtins and programs), for completion. `./prog.wasm` paths are files, not names. */
export const COMMAND_NAMES: readonly string[] = COMMANDS.map((command) => command.name);
