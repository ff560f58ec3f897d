import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyWheel, lockWith, startFakeIndex, type FakeIndex } from '../helpers/package-index.ts';
import { BIN, removeAll, TEST_CACHE_DIR, tempDir } from './helpers.ts';

// `isobox mcp` honours its own --allow-packages: an MCP client cannot be asked, so the server's flag decides.
describe('isobox mcp: Python packages', { timeout: 180_000 }, () => {
  const wheel = buildTinyWheel('isobox_mcp', '1.0.0', `GREETING = "mcp wheel ${randomUUID().slice(0, 8)}"\n`);
  let index: FakeIndex;
  let ws: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    index = await startFakeIndex({ 'pyodide-lock.json': lockWith([wheel]), [wheel.fileName]: wheel.bytes });
    ws = await tempDir();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await index.close();
    await removeAll([ws]);
  });

  async function runCode(flags: string[], code: string): Promise<string> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--workspace', ws, ...flags, '--package-index', index.url],
      env: { ...(process.env as Record<string, string>), ISOBOX_CACHE_DIR: TEST_CACHE_DIR },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'isobox-test', version: '1.0.0' });
    clients.push(client);
    await client.connect(transport);
    const result = (await client.callTool({ name: 'run_code', arguments: { language: 'python', code } })) as CallToolResult;
    const first = result.content[0];
    return first?.type === 'text' ? first.text : '';
  }

  it('without --allow-packages, run_code fails at the import and says how to start the server', async () => {
    const text = await runCode([], 'import isobox_mcp\n');
    expect(text).toContain("ModuleNotFoundError: No module named 'isobox_mcp'");
    expect(text).toContain('start the MCP server with `isobox mcp --allow-packages`');
    expect(index.hits.filter((hit) => hit.includes('.whl'))).toEqual([]);
  });

  it('with --allow-packages, run_code loads the package', async () => {
    const text = await runCode(['--allow-packages'], 'import isobox_mcp\nprint(isobox_mcp.GREETING)\n');
    expect(text).toContain('mcp wheel ');
  });
});
