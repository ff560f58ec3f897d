import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { PYODIDE_VERSION } from './default-index.ts';
import { parseLock, resolveImports } from './lock.ts';
import { packageIndexUrl } from './provider.ts';

const require = createRequire(import.meta.url);
const bundled = readFileSync(require.resolve('pyodide/pyodide-lock.json'), 'utf8');

describe('pyodide-lock.json', () => {
  it('the default index is the folder of the bundled Pyodide version', () => {
    const pkg = JSON.parse(readFileSync(require.resolve('pyodide/package.json'), 'utf8')) as { version: string };
    expect(PYODIDE_VERSION).toBe(pkg.version);
  });

  it('maps imports to packages with their dependencies first, leaving out what is loaded', () => {
    const lock = parseLock(bundled);
    const all = resolveImports(lock, ['pandas', 'json'], []);
    const names = all.install.map((p) => p.name);
    expect(all.provided).toEqual(['pandas']);
    expect(names[names.length - 1]).toBe('pandas');
    expect(names).toContain('numpy');
    expect(names.indexOf('numpy')).toBeLessThan(names.indexOf('pandas'));
    expect(resolveImports(lock, ['pandas'], ['numpy']).install.map((p) => p.name)).not.toContain('numpy');
    expect(all.install.every((p) => /^[0-9a-f]{64}$/.test(p.sha256))).toBe(true);
  });

  it('says what is wrong with a bad lock file', () => {
    expect(() => parseLock('nope')).toThrow('not valid JSON');
    expect(() => parseLock('{}')).toThrow('no "packages"');
    expect(() => parseLock('{"packages":{"x":{"file_name":"x.whl","sha256":"12"}}}')).toThrow('package "x" has no file_name or sha256');
  });

  it('normalizes index URLs to folders and refuses what is not one', () => {
    expect(packageIndexUrl('https://h.example/full')).toBe('https://h.example/full/');
    expect(packageIndexUrl(' https://h.example/full/pyodide-lock.json ')).toBe('https://h.example/full/');
    expect(() => packageIndexUrl('not a url')).toThrow('is not a URL');
    expect(() => packageIndexUrl('file:///etc/')).toThrow('must be an http(s) URL');
  });
});
