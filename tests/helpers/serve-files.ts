import { stat } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** What the e2e static host and the bench server share: MIME types, file lookup, a local port. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
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

/** The Content-Type a static host sends for a file. */
export function contentType(file: string): string {
  return TYPES[extname(file)] ?? 'application/octet-stream';
}

/** A file found under a root: its path and what `stat` said. */
export interface FoundFile {
  file: string;
  size: number;
  mtime: Date;
}

/**
 * Finds `rel` under `root` as a static host would (a folder means its index.html): `outside`
 * when the path climbs out of the root, `undefined` when there is no such file.
 */
export async function findFile(root: string, rel: string): Promise<FoundFile | 'outside' | undefined> {
  const dir = resolve(root);
  let file = normalize(join(dir, rel));
  if (file !== dir && !file.startsWith(dir + sep)) return 'outside';
  let info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => undefined);
  }
  return info?.isFile() ? { file, size: info.size, mtime: info.mtime } : undefined;
}

/** A server on a free 127.0.0.1 port. */
export interface LocalServer {
  origin: string;
  close(): Promise<void>;
}

/** Listens on a free 127.0.0.1 port; an async handler's failure answers 500. */
export async function listenLocally(handle: (...args: Parameters<RequestListener>) => Promise<void>): Promise<LocalServer> {
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
