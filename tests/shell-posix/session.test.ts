/**
 * Shell variables through the whole sandbox on Node (host → worker → shell → a real WASI
 * program): `VAR=value ./prog.wasm` reaches the program's environment, and lines run without an
 * explicit env continue one shell session (what the terminal and MCP do), while a caller that
 * passes env and vars (the agent) keeps its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryWorkspace } from '../../src/sandbox/fs/memory.ts';
import type { Sandbox } from '../../src/sandbox/host/api.ts';
import { createNodeSandbox } from '../../src/sandbox/host/node.ts';
import { buildFixture } from '../fixtures/build-wasm.ts';

describe('sandbox: shell variables', () => {
  let sb: Sandbox;

  beforeAll(async () => {
    sb = createNodeSandbox({ workspace: createMemoryWorkspace({}) });
    await sb.fs.writeFile('echo.wasm', await buildFixture('echo'));
  });
  afterAll(async () => {
    await sb.dispose();
  });

  it('VAR=value ./prog.wasm gives the program VAR for that command only', async () => {
    const r = await sb.exec('ECHO_VARS=GREETING GREETING=hi ./echo.wasm 7; echo "after:$GREETING:"');
    expect(r).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(r.stdout).toBe('arg0=./echo.wasm\narg1=7\nGREETING=hi\nafter::\n');
  });

  it('export and shell variables carry over to the next line of the session, and come back in the result', async () => {
    const first = await sb.exec('export ECHO_VARS=NAME,LOCAL NAME=isobox; LOCAL=mine');
    expect(first.env).toEqual({ ECHO_VARS: 'NAME,LOCAL', NAME: 'isobox' });
    expect(first.vars).toEqual({ LOCAL: 'mine' });
    const second = await sb.exec('echo "$NAME $LOCAL"; ./echo.wasm');
    // LOCAL is a shell variable: it expands in the shell but is not in the program's environment.
    expect(second.stdout).toBe('isobox mine\narg0=./echo.wasm\nNAME=isobox\nLOCAL=(unset)\n');
    await sb.exec('unset NAME LOCAL');
    expect((await sb.exec('echo "[${NAME:-gone}]"')).stdout).toBe('[gone]\n');
  });

  it('a line with its own env and vars leaves the session alone', async () => {
    await sb.exec('export SESSION=1');
    const own = await sb.exec('echo "$SESSION:$MINE:$V"; export MINE=2', { env: { MINE: '1' }, vars: { V: 'v' } });
    expect(own.stdout).toBe(':1:v\n');
    expect(own.env).toEqual({ MINE: '2' });
    expect((await sb.exec('echo "$SESSION:$MINE"')).stdout).toBe('1:\n');
  });
});
