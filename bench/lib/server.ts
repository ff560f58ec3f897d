/**
 * A small static server for the benchmarks: the built app at `/` and the bare baseline pages at
 * `/__bench/`, from one origin with the same headers, so both run under identical conditions.
 * It answers like `vite preview` does (sirv in dev mode): ETag + `Cache-Control: no-cache`
 * (every request revalidates, 304 when unchanged), no compression, COOP/COEP/CORP on every
 * response and the sandbox worker's own CSP (src/sw/policy.ts).
 */
import { createReadStream } from 'node:fs';
import { contentType, findFile, listenLocally } from '../../tests/helpers/serve-files.ts';

export interface BenchServer {
  origin: string;
  /** Requests answered, by status (200, 304, 404). */
  counts: Map<number, number>;
  close(): Promise<void>;
}

export interface ServerPolicy {
  headers: Readonly<Record<string, string>>;
  isSandboxWorkerPath(pathname: string): boolean;
  sandboxWorkerCsp(search: string): string;
}

/** Serves `dist` at `/` and `baseline` at `/__bench/` on a free 127.0.0.1 port. */
export async function startServer(dist: string, baseline: string, policy: ServerPolicy): Promise<BenchServer> {
  const counts = new Map<number, number>();
  const count = (status: number): void => void counts.set(status, (counts.get(status) ?? 0) + 1);
  const server = await listenLocally(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    const [root, rel] = path.startsWith('/__bench/') ? [baseline, path.slice('/__bench/'.length)] : [dist, path.slice(1)];
    const found = await findFile(root, rel);
    if (found === 'outside') {
      count(403);
      res.writeHead(403).end();
      return;
    }
    const headers: Record<string, string> = { ...policy.headers };
    if (policy.isSandboxWorkerPath(path)) headers['Content-Security-Policy'] = policy.sandboxWorkerCsp(url.search);
    if (!found) {
      count(404);
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const etag = `W/"${found.size}-${Math.floor(found.mtime.getTime())}"`;
    headers['ETag'] = etag;
    headers['Cache-Control'] = 'no-cache';
    headers['Last-Modified'] = found.mtime.toUTCString();
    if (req.headers['if-none-match'] === etag) {
      count(304);
      res.writeHead(304, headers).end();
      return;
    }
    count(200);
    res.writeHead(200, { ...headers, 'Content-Type': contentType(found.file), 'Content-Length': String(found.size) });
    if (req.method === 'HEAD') res.end();
    else createReadStream(found.file).pipe(res);
  });
  return { ...server, counts };
}
