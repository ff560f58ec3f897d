import type { TinyWheel } from './package-index.ts';

/** One file of a PyPI JSON document's `urls`. */
interface PypiFile {
  filename: string;
  url: string;
  packagetype: string;
  size: number;
  digests: { sha256: string };
}

/**
 * The files a fake PyPI-style JSON index serves for `wheel` (under the fake index's folder):
 * `<name>/json` (the document, with the real sha256 or `lockedSha256` to lie) and `files/<wheel>`.
 */
export function pypiFiles(wheel: TinyWheel & { lockedSha256?: string }): Record<string, Uint8Array | string> {
  const file: PypiFile = { filename: wheel.fileName, url: `../files/${wheel.fileName}`, packagetype: 'bdist_wheel', size: wheel.bytes.byteLength, digests: { sha256: wheel.lockedSha256 ?? wheel.sha256 } };
  return {
    [`${wheel.name}/json`]: JSON.stringify({ info: { name: wheel.name, version: wheel.version }, urls: [file] }),
    [`files/${wheel.fileName}`]: wheel.bytes,
  };
}

/** A JSON document for a package that only has wheels with a native extension (and a source archive). */
export function nativeOnlyDocument(name: string, version: string): Record<string, string> {
  const module = name.replace(/-/g, '_');
  const files = [`${module}-${version}-cp314-cp314-manylinux_2_17_x86_64.whl`, `${module}-${version}-cp314-cp314-win_amd64.whl`, `${module}-${version}.tar.gz`].map((filename) => ({
    filename,
    url: `../files/${filename}`,
    packagetype: filename.endsWith('.whl') ? 'bdist_wheel' : 'sdist',
    size: 1000,
    digests: { sha256: 'c'.repeat(64) },
  }));
  return { [`${name}/json`]: JSON.stringify({ info: { name, version }, urls: files }) };
}
