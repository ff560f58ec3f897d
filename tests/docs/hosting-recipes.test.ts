import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, SANDBOX_WORKER_CSP, hostHeadersFile } from '../../src/sw/policy.ts';

const docs = readFileSync(new URL('../../docs/hosting.md', import.meta.url), 'utf8');

/** The fenced block that follows a heading-like line in docs/hosting.md. */
function recipe(after: string): string {
  const start = docs.indexOf(after);
  expect(start, `docs/hosting.md has "${after}"`).toBeGreaterThanOrEqual(0);
  const open = docs.indexOf('```', start);
  const close = docs.indexOf('```', open + 3);
  return docs.slice(open, close);
}

describe('docs/hosting.md recipes send exactly the policy the build and the e2e hosts use', () => {
  it('shows the _headers file the build writes', () => {
    const written = hostHeadersFile('/', '/assets/isobox-sandbox-worker-<hash>.js');
    expect(recipe('It reads')).toContain(written.trim());
  });

  for (const [name, after] of [['nginx', 'nginx:'], ['Caddy', 'Caddy:'], ['Vercel', 'Vercel (`vercel.json`)']] as const) {
    it(`the ${name} recipe sends every isolation header and the sandbox worker's CSP`, () => {
      const block = recipe(after);
      for (const [header, value] of Object.entries(ISOLATION_HEADERS)) {
        expect(block).toContain(header);
        expect(block).toContain(value);
      }
      expect(block).toContain('Content-Security-Policy');
      expect(block).toContain(SANDBOX_WORKER_CSP);
    });
  }
});
