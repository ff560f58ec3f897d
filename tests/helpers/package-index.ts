import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { strToU8, zipSync } from 'fflate';

/** A pure-Python wheel built at test time: one module that says where it came from. */
export interface TinyWheel {
  name: string;
  module: string;
  version: string;
  fileName: string;
  bytes: Uint8Array;
  sha256: string;
}

/** Builds `<name>-<version>-py3-none-any.whl`: the module, and a dist-info with METADATA, WHEEL and RECORD. */
export function buildTinyWheel(module = 'isobox_tiny', version = '1.0.0', body = `GREETING = "hello from ${module} ${version}"\n`): TinyWheel {
  const name = module.replace(/_/g, '-');
  const distInfo = `${module}-${version}.dist-info`;
  const files: Record<string, string> = {
    [`${module}/__init__.py`]: body,
    [`${distInfo}/METADATA`]: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`,
    [`${distInfo}/WHEEL`]: 'Wheel-Version: 1.0\nGenerator: isobox-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
    [`${distInfo}/top_level.txt`]: `${module}\n`,
  };
  const record = Object.entries(files)
    .map(([path, text]) => `${path},sha256=${createHash('sha256').update(text).digest('base64url')},${Buffer.byteLength(text)}`)
    .concat(`${distInfo}/RECORD,,`)
    .join('\n');
  files[`${distInfo}/RECORD`] = `${record}\n`;
  const bytes = zipSync(Object.fromEntries(Object.entries(files).map(([path, text]) => [path, strToU8(text)])));
  const fileName = `${module}-${version}-py3-none-any.whl`;
  return { name, module, version, fileName, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The bundled pyodide-lock.json plus an entry for each wheel (with its real sha256, or `sha256` given to lie). */
export function lockWith(wheels: Array<TinyWheel & { lockedSha256?: string }>): string {
  const require = createRequire(import.meta.url);
  const lock = JSON.parse(readFileSync(require.resolve('pyodide/pyodide-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  for (const wheel of wheels) {
    lock.packages[wheel.name] = {
      name: wheel.name,
      version: wheel.version,
      file_name: wheel.fileName,
      install_dir: 'site',
      sha256: wheel.lockedSha256 ?? wheel.sha256,
      package_type: 'package',
      imports: [wheel.module],
      depends: [],
    };
  }
  return JSON.stringify(lock);
}

/** A package index on 127.0.0.1 serving files from memory, with CORS and CORP; it records every request. */
export interface FakeIndex {
  /** The index folder URL (ends in `/`). */
  url: string;
  files: Map<string, Uint8Array | string>;
  hits: string[];
  close(): Promise<void>;
}

/** Starts a fake package index serving `files` (name → contents) under `/pyodide/`. */
export async function startFakeIndex(files: Record<string, Uint8Array | string>): Promise<FakeIndex> {
  const served = new Map(Object.entries(files));
  const hits: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    hits.push(`${req.method} ${req.url}`);
    const headers = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin', 'Cache-Control': 'no-store' };
    const name = decodeURIComponent((req.url ?? '').split('?')[0]?.replace(/^\/pyodide\//, '') ?? '');
    const body = served.get(name);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...headers, 'Access-Control-Allow-Methods': 'GET, HEAD', 'Access-Control-Allow-Headers': '*' });
      res.end();
      return;
    }
    if (body === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, headers);
      res.end('not found');
      return;
    }
    const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
    res.writeHead(200, { ...headers, 'Content-Type': name.endsWith('.json') ? 'application/json' : 'application/octet-stream', 'Content-Length': String(bytes.length) });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/pyodide/`,
    files: served,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
