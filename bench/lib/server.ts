/**
 * A small static server for the benchmarks: the built app at `/` and the bare baseline pages at
 * `/__bench/`, from one origin with the same headers, so both run under identical conditions.
 * It answers like `vite preview` does (sirv in dev mode): ETag + `Cache-Control: no-cache`
 * (every request revalidates, 304 when unchanged), no compression, COOP/COEP/CORP on every
 * response and the sandbox worker's own CSP (src/sw/policy.ts).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

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

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.zip': 'application/zip',
  '.tar': 'application/x-tar',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves `dist` at `/` and `baseline` at `/__bench/` on a free 127.0.0.1 port. */
export async function startServer(dist: string, baseline: string, policy: ServerPolicy): Promise<BenchServer> {
  const counts = new Map<number, number>();
  const count = (status: number): void => void counts.set(status, (counts.get(status) ?? 0) + 1);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const path = decodeURIComponent(url.pathname);
      const [root, rel] = path.startsWith('/__bench/') ? [baseline, path.slice('/__bench/'.length)] : [dist, path.slice(1)];
      let file = normalize(join(root, rel));
      if (file !== root && !file.startsWith(root + sep)) {
        count(403);
        res.writeHead(403).end();
        return;
      }
      let info = await stat(file).catch(() => undefined);
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => undefined);
      }
      const headers: Record<string, string> = { ...policy.headers };
      if (policy.isSandboxWorkerPath(path)) headers['Content-Security-Policy'] = policy.sandboxWorkerCsp(url.search);
      if (!info?.isFile()) {
        count(404);
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      const etag = `W/"${info.size}-${Math.floor(info.mtimeMs)}"`;
      headers['ETag'] = etag;
      headers['Cache-Control'] = 'no-cache';
      headers['Last-Modified'] = info.mtime.toUTCString();
      if (req.headers['if-none-match'] === etag) {
        count(304);
        res.writeHead(304, headers).end();
        return;
      }
      count(200);
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': String(info.size) });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    counts,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
