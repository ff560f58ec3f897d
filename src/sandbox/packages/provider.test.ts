import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyWheel, lockWith, startFakeIndex, type FakeIndex } from '../../../tests/helpers/package-index.ts';
import type { PackageRequest } from '../protocol.ts';
import { createPackageProvider } from './provider.ts';

// The host's side alone (no Pyodide): what is asked, fetched, refused and kept.
describe('package provider', () => {
  const wheel = buildTinyWheel('isobox_unit', '1.0.0');
  let index: FakeIndex;
  beforeAll(async () => {
    index = await startFakeIndex({ 'pyodide-lock.json': lockWith([wheel]), [wheel.fileName]: wheel.bytes });
  });
  afterAll(async () => {
    await index.close();
  });
  const hint = (names: string[], reason: string): string => `${names.join(',')}:${reason}`;

  it('leaves imports no package provides alone, without asking', async () => {
    const asked: PackageRequest[] = [];
    const provider = createPackageProvider({ index: index.url, hint, ask: (r) => (asked.push(r), Promise.resolve('allow')) });
    expect(await provider.provide({ imports: ['not_a_package'], loaded: [] })).toEqual({ wheels: [], index: index.url });
    expect(asked).toEqual([]);
  });

  it('hands over verified bytes once allowed, and does not ask again in its lifetime', async () => {
    const asked: PackageRequest[] = [];
    const provider = createPackageProvider({ index: index.url, hint, ask: (r) => (asked.push(r), Promise.resolve('allow')) });
    const first = await provider.provide({ imports: ['isobox_unit'], loaded: [] });
    expect(first.wheels.map((w) => [w.name, w.fileName, w.bytes.byteLength])).toEqual([['isobox-unit', wheel.fileName, wheel.bytes.byteLength]]);
    await provider.provide({ imports: ['isobox_unit'], loaded: [] });
    expect(asked).toHaveLength(1);
    expect(await provider.provide({ imports: ['isobox_unit'], loaded: ['isobox-unit'] })).toEqual({ wheels: [], index: index.url });
  });

  it('a stopped run takes its question back: refused, nothing fetched', async () => {
    const stopped = new AbortController();
    const before = index.hits.filter((h) => h.startsWith('GET') && h.endsWith('.whl')).length;
    const provider = createPackageProvider({
      index: index.url,
      hint,
      ask: () => {
        stopped.abort();
        return Promise.resolve('allow');
      },
    });
    const delivery = await provider.provide({ imports: ['isobox_unit'], loaded: [] }, stopped.signal);
    expect(delivery.refused?.hint).toBe('isobox-unit:denied');
    expect(index.hits.filter((h) => h.startsWith('GET') && h.endsWith('.whl')).length).toBe(before);
  });

  it('says so when the index cannot be read and nothing is kept', async () => {
    const provider = createPackageProvider({ index: 'http://127.0.0.1:9/none/', hint, ask: () => Promise.resolve('allow') });
    const delivery = await provider.provide({ imports: ['numpy'], loaded: [] });
    expect(delivery.wheels).toEqual([]);
    expect(delivery.refused?.hint).toMatch(/^isobox: packages are not available: could not read http:\/\/127\.0\.0\.1:9\/none\/pyodide-lock\.json/);
  });
});
