import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isobox, removeAll, tempDir } from './helpers.ts';

describe('isobox --audit', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await tempDir({ 'seed.txt': 'seed\n', 'main.py': 'import js\nopen("seed.txt").read()\nopen("out.txt", "w").write("x")\ngetattr(js, "fetch", None)\nprint("done")\n' });
  });
  afterAll(async () => {
    await removeAll([dir]);
  });

  it('prints what the run touched and what was blocked, after its output', async () => {
    const r = await isobox(['run', '--audit', '--workspace', dir, 'main.py']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('done\n');
    expect(r.stderr).toContain('isobox audit: wrote 1 file (out.txt), read 1 file; blocked 1: js.fetch (network is off)');
    expect(r.stderr).toContain('isobox audit: blocked network: js.fetch (network is off)');
  });

  it('includes the audit in --json', async () => {
    const r = await isobox(['exec', '--json', '--workspace', dir, 'python main.py']);
    const result = JSON.parse(r.stdout) as { audit: { blocked: { target: string }[]; files: { read: string[] } } };
    expect(result.audit.blocked.map((b) => b.target)).toEqual(['js.fetch']);
    expect(result.audit.files.read).toEqual(['seed.txt']);
  });
});
