import { createReadStream } from 'node:fs';
import { contentType, findFile, listenLocally } from '../../tests/helpers/serve-files.ts';

/**
 * A plain static file server, like a basic static host: correct MIME types and nothing else, in
 * particular no COOP/COEP/CORP and no CSP headers. Serves `root` under `base` (e.g. '/sub/') on a
 * random 127.0.0.1 port.
 */
export interface StaticServer {
  /** The app's URL: `http://127.0.0.1:<port><base>`. */
  url: string;
  /** The origin alone. */
  origin: string;
  close(): Promise<void>;
}

export async function startStaticServer(root: string, base = '/'): Promise<StaticServer> {
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
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': contentType(found.file), 'Content-Length': found.size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(found.file).pipe(res);
  });
  return { ...server, url: `${server.origin}${base}` };
}
