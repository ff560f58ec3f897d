import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryWorkspace } from '../fs/memory.ts';
import { AUDIT_EVENT_CAP } from '../worker/audit.ts';
import type { Sandbox } from './api.ts';
import { summarizeAudit } from './build-audit.ts';
import { createNodeSandbox } from './node.ts';

// The audit of a run: what it touched and what it tried, collected inside the sandbox.
describe('sandbox: run audit', () => {
  const workspace = createMemoryWorkspace({ 'seed.txt': 'seed\n', 'old.txt': 'old\n' });
  let sb: Sandbox;

  beforeAll(async () => {
    sb = createNodeSandbox({ workspace });
    await sb.warmup('python');
  });
  afterAll(async () => {
    await sb.dispose();
  });

  it('lists the files a Python run wrote and read, and its three blocked network attempts', async () => {
    const code = [
      'import js, urllib.request',
      'open("seed.txt").read()',
      'open("a.txt", "w").write("a")',
      'open("old.txt", "w").write("changed")',
      'try:\n    js.fetch("http://127.0.0.1:9/one")\nexcept Exception:\n    pass',
      'try:\n    urllib.request.urlopen("http://127.0.0.1:9/two")\nexcept Exception:\n    pass',
      'try:\n    import socket\n    socket.create_connection(("127.0.0.1", 9))\nexcept Exception:\n    pass',
    ].join('\n');
    const r = await sb.run({ language: 'python', code });
    expect(r.status).toBe('ok');
    expect(r.audit.files).toEqual({ read: ['seed.txt'], created: ['a.txt'], modified: ['old.txt'], deleted: [] });
    expect(r.audit.blocked.map((b) => b.kind)).toEqual(['network', 'network', 'network']);
    expect(r.audit.blocked.map((b) => b.target)).toEqual(['js.fetch', 'urlopen http://127.0.0.1:9/two', "socket.connect ('127.0.0.1', 9)"]);
    expect(r.audit.peakMemoryBytes).toBeGreaterThan(1024 * 1024);
    expect(summarizeAudit(r.audit)).toContain('blocked 3: js.fetch (network is off)');
  });

  it('traces WASI calls on request and records a path outside the workspace as blocked', async () => {
    await sb.fs.writeFile('escape.c', '#include <stdio.h>\nint main(void) {\n  FILE *f = fopen("../../secret.txt", "r");\n  FILE *g = fopen("seed.txt", "r");\n  return f == NULL && g != NULL ? 0 : 1;\n}\n');
    expect((await sb.exec('cc escape.c -o escape.wasm')).status).toBe('ok');
    const r = await sb.exec('./escape.wasm', { trace: true });
    expect(r.status).toBe('ok');
    expect(r.audit.blocked).toContainEqual({ kind: 'path', target: 'path_open ../../secret.txt', rule: 'outside /workspace' });
    expect(r.audit.files.read).toContain('seed.txt');
    const refused = r.audit.trace?.find((t) => t.call === 'path_open' && t.args.includes('"../../secret.txt"'));
    expect(refused?.result).toBe('ENOTCAPABLE');
    // The C runtime's start-up asks for its preopens: the trace has every call, not only the refused one.
    expect(r.audit.trace?.some((t) => t.call === 'fd_prestat_get')).toBe(true);
  }, 120_000);

  it('keeps the audit of a killed run', async () => {
    const run = sb.run({ language: 'python', code: 'import js, signal\ngetattr(js, "WebSocket", None)\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nprint("spinning", flush=True)\nwhile True:\n    pass' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    sb.interrupt();
    const r = await run;
    expect(r.status).toBe('killed');
    expect(r.audit.blocked).toEqual([{ kind: 'network', target: 'js.WebSocket', rule: 'network is off' }]);
    expect(r.audit.outputBytes.stdout).toBe('spinning\n'.length);
  });

  it('records a repeated attempt once', async () => {
    const r = await sb.run({ language: 'python', code: 'import js\nfor _ in range(1000):\n    getattr(js, "fetch", None)\n' });
    expect(r.audit.blocked).toEqual([{ kind: 'network', target: 'js.fetch', rule: 'network is off' }]);
  });

  it('caps a flood of 100k refused opens and says how many were dropped', async () => {
    await sb.fs.writeFile('flood.c', '#include <stdio.h>\nint main(void) {\n  char p[32];\n  for (int i = 0; i < 100000; i++) { snprintf(p, sizeof p, "../../x%d", i); fopen(p, "r"); }\n  return 0;\n}\n');
    const r = await sb.exec('cc flood.c -o flood.wasm && ./flood.wasm');
    expect(r.status).toBe('ok');
    expect(r.audit.blocked).toHaveLength(AUDIT_EVENT_CAP);
    expect(r.audit.eventsDropped).toBe(100_000 - AUDIT_EVENT_CAP);
  }, 120_000);
});
