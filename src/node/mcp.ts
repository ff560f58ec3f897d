/**
 * `isobox mcp`: the sandbox as an MCP server over stdio, for Claude Desktop, Cursor or any MCP
 * client. stdout carries the protocol and nothing else; everything else goes to stderr.
 */
import { Writable } from 'node:stream';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Sandbox } from '../sandbox/host/api.ts';
import type { CommonOptions } from './args.ts';
import { registerSandboxTools } from './mcp-tools.ts';
import { describeError, openSandbox, openWorkspace } from './session.ts';
import { packageVersion } from './version.ts';

/** Creates the MCP server (not yet connected) with the sandbox tools. */
export function createIsoboxMcpServer(sandbox: Sandbox, options: { timeoutMs: number }): McpServer {
  const server = new McpServer(
    { name: 'isobox', title: 'Isobox sandbox', version: packageVersion() },
    {
      instructions:
        'Isobox runs code in a WebAssembly sandbox over one workspace directory, seen by programs as /workspace. ' +
        'Use write_file + exec ("python main.py", "cc main.c -o main.wasm && ./main.wasm") to build and run projects, ' +
        'run_code for quick snippets, read_file and list_files to inspect results. No network, no host commands.',
    },
  );
  registerSandboxTools(server, sandbox, options);
  return server;
}

/** Serves MCP on stdin/stdout until the client goes away; resolves with the exit code. */
export async function serveMcp(options: CommonOptions): Promise<number> {
  const workspace = await openWorkspace(options.workspace);
  const protocolOut = claimStdout();
  const sandbox = openSandbox(workspace, options, 'mcp');
  const server = createIsoboxMcpServer(sandbox, options);
  const transport = new StdioServerTransport(process.stdin, protocolOut);
  transport.onerror = (error) => log(`transport error: ${describeError(error)}`);

  const closed = new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.connect(transport);
  log(`MCP server ready; workspace ${options.workspace}`);
  // Most sessions run Python; start loading it now rather than on the first call.
  void sandbox.warmup('python').catch((error: unknown) => log(`could not load Python: ${describeError(error)}`));

  await closed;
  await server.close().catch(() => undefined);
  await sandbox.dispose();
  return 0;
}

/**
 * Keeps stdout for the protocol: returns a stream to the real stdout, and sends anything else
 * written to `process.stdout` (a console.log in a library, a worker thread's output) to stderr.
 */
function claimStdout(): Writable {
  const stdout = process.stdout;
  const writeOut = stdout.write.bind(stdout);
  const protocolOut = new Writable({
    write(chunk: Buffer | string, encoding: BufferEncoding, callback: (error?: Error | null) => void) {
      writeOut(chunk, encoding, callback);
    },
  });
  stdout.write = process.stderr.write.bind(process.stderr) as typeof stdout.write;
  return protocolOut;
}

function log(message: string): void {
  process.stderr.write(`isobox mcp: ${message}\n`);
}
