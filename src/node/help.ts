import { DEFAULT_TIMEOUT_SECONDS } from './args.ts';
import { DEBUG_USAGE } from './debug-command.ts';

/** `isobox --help`. */
export const USAGE = `Usage:
  isobox run [OPTIONS] FILE [ARGS...]   run a workspace file (Python, Ruby, C, C++ or a .wasm binary)
  isobox exec [OPTIONS] "SHELL LINE"    run a line of the sandbox shell, e.g. "cc a.c -o a.wasm && ./a.wasm 3"
  isobox mcp [OPTIONS]                  serve the sandbox to MCP clients over stdio
  isobox agent [OPTIONS] "TASK"         let the agent do TASK in the workspace (provider from ISOBOX_* env vars,
                                        else the offline demo agent)
${DEBUG_USAGE.trimEnd()}

Code runs in a WebAssembly sandbox that sees only the workspace directory, as /workspace.
Options go before FILE / the line; everything after FILE is passed to the program.

Options:
  -w, --workspace DIR      the workspace directory (default: the current directory)
  -t, --timeout SECONDS    wall-clock limit per run (default: ${DEFAULT_TIMEOUT_SECONDS}); exit 124 when it expires
      --allow-net[=ORIGINS]  let code reach the network: any origin, or only the comma-separated
                           origins given (https://example.com,...). Default: no network
      --allow-packages     Python may download the packages its imports need (Pyodide's numpy, pandas,
                           matplotlib, ... or a pure-Python wheel) from the package index, each checked
                           against its sha256 and kept under the cache directory. Default: refused
      --package-index URL  a folder holding pyodide-lock.json and its wheels (default: Pyodide's
                           official folder for the bundled version)
      --pypi-index URL     a PyPI-style JSON index (URL/NAME/json) for pip install and
                           micropip.install: pure-Python wheels only (default: https://pypi.org/pypi/)
      --json               print the result as one JSON line on stdout instead of streaming output
                           (run, exec; for agent: one JSON line per event)
      --audit              after the run, print its audit on stderr: files read and
                           written, blocked attempts (--json always includes it)
  -l, --lang LANGUAGE      run: python, ruby, c, cpp or wasm (default: from the file's extension)
      --provider NAME      agent: openai-compatible, openai, anthropic or demo
      --max-steps N        agent: model round trips allowed (default 10)
  -h, --help               show this help
  -v, --version            show the version

Stdin, when it is not a terminal, is read to the end and given to the program.

Exit status: the program's own; 124 timeout; 137 killed; 130 after Ctrl-C (128 + signal);
2 usage error (bad option, missing file or workspace); 125 isobox itself failed.
`;
