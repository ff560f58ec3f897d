import { unzipSync } from 'fflate';
import { normalizeName } from './lock.ts';

/** PyPI's JSON API, the default PyPI-style index (`<index>NAME/json`). */
export const DEFAULT_PYPI_INDEX = 'https://pypi.org/pypi/';

/** The pure-Python wheel chosen for a package from a PyPI-style JSON index. */
export interface PypiWheel {
  name: string;
  version: string;
  fileName: string;
  /** Absolute URL of the wheel. */
  url: string;
  sha256: string;
  /** Size in bytes, when the index tells. */
  size?: number;
}

/** Normalizes a PyPI JSON index URL to its base (ending in `/`, before `NAME/json`); throws a clear Error otherwise. */
export function pypiIndexUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`the PyPI index "${value}" is not a URL (expected e.g. ${DEFAULT_PYPI_INDEX})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`the PyPI index must be an http(s) URL, not ${url.protocol}`);
  // Accept the documented form `https://pypi.org/pypi/NAME/json` as well as its base.
  url.pathname = url.pathname.replace(/\/NAME\/json\/?$/i, '/');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url.href;
}

/** A PEP 503 name a requirement may use: letters, digits, `-`, `_`, `.` (no versions, extras or URLs). */
export function isPackageName(name: string): boolean {
  return /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(name);
}

/** `py3-none-any`-style tags: a wheel any Python 3 can import, with no compiled code. */
function isPureWheel(fileName: string): boolean {
  const tags = /-([^-]+)-([^-]+)-([^-]+)\.whl$/.exec(fileName);
  if (!tags) return false;
  const [, python = '', abi = '', platform = ''] = tags;
  return abi === 'none' && platform === 'any' && python.split('.').some((tag) => tag === 'py3' || tag === 'py2.py3' || /^py3\d*$/.test(tag));
}

interface JsonFile {
  filename?: unknown;
  url?: unknown;
  packagetype?: unknown;
  size?: unknown;
  digests?: { sha256?: unknown };
  yanked?: unknown;
}

/**
 * Picks the newest release's pure-Python wheel from a PyPI JSON document (`info` + `urls`).
 * Throws a clear Error when there is none: only built (native) wheels, or only a source archive.
 */
export function choosePureWheel(name: string, json: unknown, documentUrl: string): PypiWheel {
  const doc = json as { info?: { name?: unknown; version?: unknown }; urls?: unknown };
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.urls)) throw new Error(`${documentUrl} is not a PyPI JSON document (no "urls")`);
  const version = typeof doc.info?.version === 'string' ? doc.info.version : '';
  const realName = typeof doc.info?.name === 'string' ? doc.info.name : name;
  const files = (doc.urls as JsonFile[]).filter((f) => typeof f.filename === 'string' && f.yanked !== true);
  const wheels = files.filter((f) => (f.filename as string).endsWith('.whl'));
  const pure = wheels.find((f) => isPureWheel(f.filename as string));
  if (!pure) {
    const seen = files.map((f) => f.filename as string);
    const why = wheels.length > 0
      ? `it has a native extension: its wheels are built for CPython on specific platforms (${seen.slice(0, 3).join(', ')}${seen.length > 3 ? ', …' : ''}), and only pure-Python (py3-none-any) wheels can be installed here`
      : `it has no wheel (${seen.length > 0 ? `only ${seen.slice(0, 2).join(', ')}` : 'no files'}), and only pure-Python (py3-none-any) wheels can be installed here`;
    throw new Error(`cannot install ${realName}${version ? ` ${version}` : ''} from PyPI: ${why}`);
  }
  const sha256 = pure.digests?.sha256;
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(sha256)) throw new Error(`${documentUrl}: ${pure.filename as string} has no sha256 digest; refused`);
  if (typeof pure.url !== 'string') throw new Error(`${documentUrl}: ${pure.filename as string} has no url`);
  return {
    name: realName,
    version,
    fileName: pure.filename as string,
    url: new URL(pure.url, documentUrl).href,
    sha256: sha256.toLowerCase(),
    ...(typeof pure.size === 'number' && pure.size > 0 ? { size: pure.size } : {}),
  };
}

/** The URL of a package's JSON document on a PyPI-style index. */
export function pypiDocumentUrl(index: string, name: string): string {
  return new URL(`${encodeURIComponent(normalizeName(name))}/json`, index).href;
}

/**
 * The top-level modules a wheel installs (from its file list: packages and single-file modules,
 * leaving out `*.dist-info` and `*.data`), so a later `import` in a fresh interpreter finds it again.
 */
export function wheelTopLevel(bytes: Uint8Array): string[] {
  const names = new Set<string>();
  unzipSync(bytes, {
    filter(file) {
      const [top = '', ...rest] = file.name.split('/');
      if (top.endsWith('.dist-info') || top.endsWith('.data')) return false;
      if (rest.length > 0) names.add(top);
      else if (/\.py$/.test(top)) names.add(top.slice(0, -3));
      return false;
    },
  });
  return [...names].filter((name) => /^[A-Za-z_]\w*$/.test(name));
}
