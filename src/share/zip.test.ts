import { zipSync } from 'fflate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZIP_MAX_FILES, type ZipImportResult } from './format.ts';
import { exportZip, importZip } from './zip.ts';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const MTIME = new Date('2024-05-06T07:08:10Z');

function expectError(result: ZipImportResult, code: string, why?: RegExp): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe(code);
  if (why) expect(result.error.message).toMatch(why);
}

/** Offsets of the central directory entries of a small archive (no zip64, no comment). */
function centralEntries(zip: Uint8Array): number[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  expect(view.getUint32(eocd, true)).toBe(0x06054b50);
  const offsets: number[] = [];
  let p = view.getUint32(eocd + 16, true);
  for (let i = 0; i < view.getUint16(eocd + 10, true); i++) {
    offsets.push(p);
    p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return offsets;
}

function patch(zip: Uint8Array, edit: (view: DataView, central: number[]) => void): Uint8Array {
  const copy = zip.slice();
  edit(new DataView(copy.buffer), centralEntries(copy));
  return copy;
}

/** Info-ZIP 3.0 `zip -X -y -9 -r`: main.py, a folder entry src/, src/ünï.txt (deflate, UTF-8 name without the flag), a symlink. */
const INFOZIP =
  'UEsDBAoAAgAAAIMYIlj39ZiuDAAAAAwAAAAHAAAAbWFpbi5weXByaW50KCJoaSIpClBLAwQKAAAAAACDGCJYAAAAAAAAAAAAAAAABAAAAHNyYy9QSwMEFAACAAgAgxgiWBWfn8MVAAAAGAEAAA0AAABzcmMvw7xuw68udHh0yzi8MicnX6H88LainBSujFEelAcAUEsDBAoAAAAAACN3eV0sYEvPBwAAAAcAAAAHAAAAbGluay5weW1haW4ucHlQSwECHgMKAAIAAACDGCJY9/WYrgwAAAAMAAAABwAAAAAAAAABAAAApIEAAAAAbWFpbi5weVBLAQIeAwoAAAAAAIMYIlgAAAAAAAAAAAAAAAAEAAAAAAAAAAAAEADtQTEAAABzcmMvUEsBAh4DFAACAAgAgxgiWBWfn8MVAAAAGAEAAA0AAAAAAAAAAQAAAKSBUwAAAHNyYy/DvG7Dry50eHRQSwECHgMKAAAAAAAjd3ldLGBLzwcAAAAHAAAABwAAAAAAAAAAAAAA/6GTAAAAbGluay5weVBLBQYAAAAABAAEANcAAAC/AAAAAAA=';
/** Python zipfile on a non-seekable stream: data descriptors, a zip64 local header, an empty file. */
const PYTHON_STREAMED =
  'UEsDBC0ACAAIAIMYIlgAAAAA//////////8FABQAYS50eHQBABAAAAAAAAAAAAAAAAAAAAAAAMtIzcnJV8hAkFwAUEsHCDt8it8LAAAAAAAAABIAAAAAAAAAUEsDBBQACAAAAIMYIlgAAAAAAAAAAAAAAAAJAAAAZW1wdHkudHh0UEsHCAAAAAAAAAAAAAAAAFBLAQItAy0ACAAIAIMYIlg7fIrfCwAAABIAAAAFAAAAAAAAAAAAAACAAQAAAABhLnR4dFBLAQIUAxQACAAAAIMYIlgAAAAAAAAAAAAAAAAJAAAAAAAAAAAAAACAAVoAAABlbXB0eS50eHRQSwUGAAAAAAIAAgBqAAAAkQAAAAAA';

describe('zip round trip', () => {
  it('exports and imports binary and text files with nested unicode paths', () => {
    const files: Record<string, Uint8Array> = {
      'main.py': text("print('hi')\n"),
      'données/été/🌍.txt': text('héllo\n'.repeat(100)),
      'bin/prog.wasm': Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff),
      'empty.txt': new Uint8Array(0),
    };
    const zip = exportZip(files, { mtime: MTIME });
    expect(exportZip(files, { mtime: MTIME })).toEqual(zip);
    expect(importZip(zip)).toEqual({ ok: true, files });
  });

  it('reads archives made by Info-ZIP and Python, skipping folders and symlinks', () => {
    expect(importZip(Buffer.from(INFOZIP, 'base64'))).toEqual({
      ok: true,
      files: { 'main.py': text('print("hi")\n'), 'src/ünï.txt': text('héllo wörld\n'.repeat(20)) },
    });
    expect(importZip(Buffer.from(PYTHON_STREAMED, 'base64'))).toEqual({ ok: true, files: { 'a.txt': text('hello hello hello\n'), 'empty.txt': new Uint8Array(0) } });
  });

  it('skips folder entries written by fflate', () => {
    const zip = zipSync({ dir: { 'a.txt': text('a') }, 'b.txt': text('b') });
    expect(importZip(zip)).toEqual({ ok: true, files: { 'dir/a.txt': text('a'), 'b.txt': text('b') } });
  });

  it('exportZip refuses paths that could not come back', () => {
    expect(() => exportZip({ '../x': text('') })).toThrow(expect.objectContaining({ code: 'bad-path' }));
    expect(() => exportZip({ a: text(''), 'a/b': text('') })).toThrow(expect.objectContaining({ code: 'bad-path' }));
  });
});

describe('zip hostile cases', () => {
  it.each([['../evil.txt'], ['a/../../evil.txt'], ['/etc/passwd'], ['a\\..\\b'], ['__proto__'], ['x/constructor/y'], ['a\u202Etxt.exe'], ['nul\u0000.txt']])(
    'refuses the entry %j',
    (name) => {
      const bytes = text(name);
      // Written under a harmless name of the same length, then renamed in place (fflate itself
      // would choke on a "__proto__" key).
      const zip = zipSync({ 'ok.txt': text('fine'), ['p'.repeat(bytes.length)]: text('evil') }, { level: 0 });
      const renamed = patch(zip, (view, [, cd = 0]) => {
        const local = view.getUint32(cd + 42, true);
        bytes.forEach((b, i) => {
          view.setUint8(cd + 46 + i, b);
          view.setUint8(local + 30 + i, b);
        });
      });
      expectError(importZip(renamed), 'bad-path');
      expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    },
  );

  it('bomb by declared size is refused before inflating', () => {
    const zip = patch(zipSync({ 'a.txt': text('small') }), (view, [cd = 0]) => view.setUint32(cd + 24, 2 ** 31, true));
    expectError(importZip(zip), 'too-large', /per file/);
  });

  it('a real 20 MiB file is refused by its declared size', () => {
    const start = performance.now();
    expectError(importZip(zipSync({ 'zeros.bin': new Uint8Array(20 * 1024 * 1024) })), 'too-large');
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('files summing past the total cap by declared size are refused', () => {
    const zip = zipSync(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}.bin`, text('x')])));
    const declared = patch(zip, (view, central) => central.forEach((cd) => view.setUint32(cd + 24, 15 * 1024 * 1024, true)));
    expectError(importZip(declared), 'too-large', /64 MiB/);
  });

  it('a file that inflates past a small declared size is stopped quickly', () => {
    const lying = patch(zipSync({ 'a.bin': new Uint8Array(32 * 1024 * 1024) }, { level: 9 }), (view, [cd = 0]) => view.setUint32(cd + 24, 1000, true));
    const start = performance.now();
    expectError(importZip(lying), 'bad-deflate', /declared size/);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('too many files', () => {
    const many = Object.fromEntries(Array.from({ length: ZIP_MAX_FILES + 1 }, (_, i) => [`f${i}`, text('')]));
    expectError(importZip(zipSync(many, { level: 0 })), 'too-many-files');
  });

  it('duplicate names', () => {
    const zip = patch(zipSync({ 'a.txt': text('1'), 'b.txt': text('2') }, { level: 0 }), (view, [, second = 0]) => view.setUint8(second + 46, 'a'.charCodeAt(0)));
    expectError(importZip(zip), 'bad-path', /same file/);
  });

  it('checksum mismatch', () => {
    const zip = zipSync({ 'a.txt': text('hello') }, { level: 0 });
    const broken = zip.slice();
    const at = 30 + 'a.txt'.length; // first data byte after the local header
    broken[at] = (broken[at] ?? 0) ^ 1;
    expectError(importZip(broken), 'bad-deflate', /checksum/);
  });

  it('encrypted and unsupported compression', () => {
    const zip = zipSync({ 'a.txt': text('hello') });
    expectError(importZip(patch(zip, (view, [cd = 0]) => view.setUint16(cd + 8, 1, true))), 'bad-encoding', /encrypted/);
    expectError(importZip(patch(zip, (view, [cd = 0]) => view.setUint16(cd + 10, 12, true))), 'bad-encoding', /method 12/);
  });

  it('junk, empty and truncated archives', () => {
    expectError(importZip(new Uint8Array(0)), 'bad-encoding');
    expectError(importZip(Uint8Array.from({ length: 4096 }, (_, i) => (i * 31 + 7) & 0xff)), 'bad-encoding');
    const zip = zipSync({ 'a.txt': text('hello'.repeat(100)) });
    expectError(importZip(zip.subarray(0, zip.length - 30)), 'bad-encoding');
    expectError(importZip(zip.subarray(40)), 'bad-encoding');
  });

  it('a directory that claims more entries than fit', () => {
    const zip = patch(zipSync({ 'a.txt': text('hello') }), (view) => {
      view.setUint16(view.byteLength - 22 + 8, 0xfffe, true);
      view.setUint16(view.byteLength - 22 + 10, 0xfffe, true);
    });
    expectError(importZip(zip), 'bad-encoding');
  });

  it('never throws on mutated archives (property)', () => {
    const archives = [Buffer.from(INFOZIP, 'base64'), Buffer.from(PYTHON_STREAMED, 'base64'), exportZip({ 'a/b.txt': text('hello'.repeat(50)), 'c.bin': new Uint8Array(10) }, { mtime: MTIME })];
    fc.assert(
      fc.property(fc.nat({ max: archives.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (which, edits) => {
        const bytes = Uint8Array.from(archives[which] ?? []);
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        const result = importZip(bytes);
        if (result.ok) for (const path of Object.keys(result.files)) expect(path).not.toMatch(/^\/|(^|\/)\.\.(\/|$)|\\/);
      }),
      { numRuns: 1000 },
    );
  });
});
