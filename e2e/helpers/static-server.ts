import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ISOLATION_HEADERS } from '../../src/sw/policy.ts';
import { contentType, findFile, listenLocally } from '../../tests/helpers/serve-files.ts';

/**
 * A plain static file server, like a basic static host: correct MIME types, and headers as a host
 * configured one of three ways (`HostHeaders`). Serves `root` under `base` (e.g. '/sub/') on a
 * random 127.0.0.1 port.
 */
export interface StaticServer {
  /** The app's URL: `http://127.0.0.1:<port><base>`. */
  url: string;
  /** The origin alone. */
  origin: string;
  close(): Promise<void>;
}

/**
 * What the host sends besides the file:
 * - `none`: nothing (GitHub Pages, most object stores);
 * - `isolation`: COOP/COEP/CORP on every response and nothing else (a host set up with only those three);
 * - `recipe`: exactly the `_headers` file the build writes into the folder (Netlify, Cloudflare Pages,
 *   and what docs/hosting.md's nginx/Caddy/Vercel recipes send).
 */
export type HostHeaders = 'none' | 'isolation' | 'recipe';

export async function startStaticServer(root: string, base = '/', headers: HostHeaders = 'none'): Promise<StaticServer> {
  const rules = headers === 'recipe' ? parseHeadersFile(await readFile(join(root, '_headers'), 'utf8')) : [];
  const extra = (path: string): Record<string, string> => {
    if (headers === 'isolation') return { ...ISOLATION_HEADERS };
    return Object.assign({}, ...rules.filter((rule) => rule.matches(path)).map((rule) => rule.headers)) as Record<string, string>;
  };
  const server = await listenLocally(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(base)) {
      if (`${path}/` === base) res.writeHead(301, { Location: base }).end();
      else res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const found = await findFile(root, path.slice(base.length));
    if (found === 'outside') {
      res.writeHead(403).end();
      return;
    }
    if (!found) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...extra(path) }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': contentType(found.file), 'Content-Length': found.size, ...extra(path) });
    if (req.method === 'HEAD') res.end();
    else createReadStream(found.file).pipe(res);
  });
  return { ...server, url: `${server.origin}${base}` };
}

interface HeaderRule {
  matches(path: string): boolean;
  headers: Record<string, string>;
}

/** Netlify's `_headers` format: a path line (`*` matches anything), then indented `Name: value` lines. */
function parseHeadersFile(text: string): HeaderRule[] {
  const rules: HeaderRule[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const pattern = new RegExp(`^${line.trim().split('*').map(escapeRegExp).join('.*')}$`);
      rules.push({ matches: (path) => pattern.test(path), headers: {} });
      continue;
    }
    const rule = rules.at(-1);
    const colon = line.indexOf(':');
    if (!rule || colon < 0) throw new Error(`_headers: a header line outside a path block: ${line}`);
    rule.headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return rules;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
