import { deflateRawSync, inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64UrlDecode, base64UrlEncode, decodeShare, encodeShare, inflateRawCapped, isLinkTooLong, shareUrl } from './codec.ts';
import { LINK_WARN_BYTES, MAX_INFLATED_BYTES, type SharePayload, type ShareResult } from './format.ts';
import { validatePath, validatePathSet } from './validate.ts';

/** A link payload made by another tool (Node's zlib), not by the code under test. */
const link = (json: string | Uint8Array): string => deflateRawSync(typeof json === 'string' ? Buffer.from(json, 'utf8') : json).toString('base64url');

function expectError(result: ShareResult, code: string, text?: RegExp): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe(code);
  expect(result.error.message.length).toBeGreaterThan(10);
  if (text) expect(result.error.message).toMatch(text);
}

const EXAMPLE: SharePayload = { v: 1, files: { 'main.py': "print('hi')" }, active: 'main.py' };
/** encodeShare(EXAMPLE) with fflate 0.8.3 at level 9; a change here breaks published links' reproducibility. */
const EXAMPLE_ENCODED = 'q1YqU7Iy1FFKy8xJLVayqlbKTczM0yuoVLJSKijKzCvRUM_IVNdUqtVRSkwuySxLBYrDVNQCAA';

/** Made with the Python snippet in docs/share-format.md (zlib.compressobj(9, DEFLATED, -15)). */
const PYTHON_LINK =
  'TY9NTgMxDIWvEnkzrTQq6jZbuAVFKExdxcI4o8Qpqka9QbssW9bcgD1XQWLLEXD4U-2N9T6_J3uCLfhlDxtiLOAneAgki3EHHsZMorMuUjdfCfTAdHdRlfiHrnHj4tsLc5rN_UqcVUatWVz3_vr0cTq4z-fDsTPnvocwKG3RXH_pPQwxKPjrCXLiRmrB3OQkimIESti5SOb-XwmlUNFg9HzvKgkuTNGU-DIwl-9UWhsalr-6zY-ZFG_bm6aRjFXbt2PQeHaWnZqxVG656R72N9Zf';

describe('fixed examples', () => {
  it('encodes the example payload to the exact checked-in string', () => {
    expect(encodeShare(EXAMPLE)).toBe(EXAMPLE_ENCODED);
  });

  it('the checked-in string is raw DEFLATE of the JSON, readable by zlib', () => {
    const json = inflateRawSync(Buffer.from(EXAMPLE_ENCODED, 'base64url')).toString('utf8');
    expect(json).toBe('{"v":1,"files":{"main.py":"print(\'hi\')"},"active":"main.py"}');
  });

  it('decodes a link made by Node zlib.deflateRawSync + base64url', () => {
    const made = link(JSON.stringify({ v: 1, files: { 'a/b.rb': 'puts "ü"\n', 'main.py': 'x' }, active: 'a/b.rb' }));
    expect(decodeShare(made)).toEqual({ ok: true, payload: { v: 1, files: { 'a/b.rb': 'puts "ü"\n', 'main.py': 'x' }, active: 'a/b.rb' } });
  });

  it('decodes the link made by the documented Python snippet', () => {
    expect(decodeShare(PYTHON_LINK)).toEqual({
      ok: true,
      payload: {
        v: 1,
        files: { 'main.py': "print('hi')\n", 'lib/util.py': "def héllo():\n    return '世界 🌍'\n" },
        active: 'main.py',
        chat: [
          { role: 'user', content: 'say hi' },
          { role: 'assistant', content: 'Done.', toolCalls: [{ id: 'c1', tool: 'write_file', input: { path: 'main.py' }, result: 'ok' }] },
        ],
      },
    });
  });

  it('accepts a bare payload, a #s= fragment and a full URL', () => {
    for (const input of [EXAMPLE_ENCODED, `#s=${EXAMPLE_ENCODED}`, `https://isobox.dev/app/?embed#s=${EXAMPLE_ENCODED}`, ` #s=${EXAMPLE_ENCODED}\n`]) {
      expect(decodeShare(input)).toEqual({ ok: true, payload: EXAMPLE });
    }
  });
});

describe('shareUrl and link length', () => {
  it('appends #s= and drops an existing hash', () => {
    expect(shareUrl('https://h.test/p?embed#old', EXAMPLE)).toBe(`https://h.test/p?embed#s=${EXAMPLE_ENCODED}`);
    expect(shareUrl('https://h.test/', EXAMPLE)).toBe(`https://h.test/#s=${EXAMPLE_ENCODED}`);
  });

  it('warns past LINK_WARN_BYTES', () => {
    expect(isLinkTooLong('https://h.test/#s=' + 'a'.repeat(100))).toBe(false);
    expect(isLinkTooLong('a'.repeat(LINK_WARN_BYTES))).toBe(false);
    expect(isLinkTooLong('a'.repeat(LINK_WARN_BYTES + 1))).toBe(true);
  });

  it('encodeShare strips unknown fields and refuses what would not decode', () => {
    const extra = { ...EXAMPLE, apiKey: 'sk-secret', chat: [{ role: 'user', content: 'hi', secret: 1 }] } as unknown as SharePayload;
    const decoded = decodeShare(encodeShare(extra));
    expect(decoded).toEqual({ ok: true, payload: { ...EXAMPLE, chat: [{ role: 'user', content: 'hi' }] } });
    expect(() => encodeShare({ v: 1, files: { '../x': '' }, active: '../x' })).toThrow(expect.objectContaining({ code: 'bad-path' }));
    expect(() => encodeShare({ v: 1, files: {}, active: '' })).toThrow(expect.objectContaining({ code: 'bad-shape' }));
  });
});

describe('base64url', () => {
  it('round-trips every length and matches Buffer', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 151 + n) & 0xff);
      const text = base64UrlEncode(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(base64UrlDecode(text)).toEqual({ ok: true, bytes });
    }
  });

  it('refuses stray trailing bits and impossible lengths', () => {
    expect(base64UrlDecode('AB').ok).toBe(false); // "AA" is the canonical form of one zero byte
    expect(base64UrlDecode('A').ok).toBe(false);
    expect(base64UrlDecode('AAAAA').ok).toBe(false);
  });
});

describe('round trip (property)', () => {
  const segment = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }).filter((s) => !s.includes('/') && validatePath(s) === null);
  const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
  const files = fc
    .uniqueArray(fc.tuple(path, fc.string({ unit: 'binary', maxLength: 200 })), { minLength: 1, maxLength: 12, selector: ([p]) => p.normalize('NFC') })
    .filter((entries) => validatePathSet(entries.map(([p]) => p)) === null && entries.every(([p]) => validatePath(p) === null));
  // "__proto__" keys in tool values are refused by design (see the hostile cases), so not generated here.
  const json = (maxDepth: number): fc.Arbitrary<fc.JsonValue> => fc.jsonValue({ maxDepth }).filter((v) => !JSON.stringify(v).includes('"__proto__"'));
  const chat = fc.array(
    fc.oneof(
      fc.record({ role: fc.constantFrom('user' as const, 'tool' as const), content: fc.string({ unit: 'grapheme' }) }),
      fc.record(
        {
          role: fc.constant('assistant' as const),
          content: fc.string(),
          toolCalls: fc.array(fc.record({ id: fc.string(), tool: fc.string(), input: json(3), result: json(2) }, { requiredKeys: ['id', 'tool', 'input'] }), { maxLength: 3 }),
        },
        { requiredKeys: ['role', 'content'] },
      ),
    ),
    { maxLength: 5 },
  );

  it('decodeShare(encodeShare(p)) gives p back', () => {
    fc.assert(
      fc.property(files, fc.nat(), fc.option(chat, { nil: undefined }), (entries, pick, messages) => {
        const record = Object.fromEntries(entries);
        const active = entries[pick % entries.length]?.[0] ?? '';
        const payload: SharePayload = { v: 1, files: record, active, ...(messages ? { chat: messages } : {}) };
        const result = decodeShare(shareUrl('https://isobox.test/', payload));
        // JSON turns -0 into 0; compare through JSON for the free-form tool values.
        expect(result).toEqual({ ok: true, payload: JSON.parse(JSON.stringify(payload)) });
      }),
      { numRuns: 150 },
    );
  });
});

describe('hostile links', () => {
  it('empty input', () => {
    expectError(decodeShare(''), 'bad-encoding');
    expectError(decodeShare('#s='), 'bad-encoding');
    expectError(decodeShare('https://h.test/#other'), 'bad-encoding', /#s=/);
    expectError(decodeShare('https://h.test/'), 'bad-encoding');
  });

  it('bad base64 characters', () => {
    expectError(decodeShare(EXAMPLE_ENCODED.slice(0, 10) + '+' + EXAMPLE_ENCODED.slice(11)), 'bad-encoding', /"\+"/);
    expectError(decodeShare(EXAMPLE_ENCODED + '=='), 'bad-encoding', /padding/);
    expectError(decodeShare('abc def'), 'bad-encoding');
    expectError(decodeShare('ab€d'), 'bad-encoding');
    expectError(decodeShare(`#s=${EXAMPLE_ENCODED}&x=1`), 'bad-encoding');
  });

  it('truncated deflate', () => {
    const json = JSON.stringify({ v: 1, files: { 'a.txt': 'x'.repeat(5000) + 'y'.repeat(300) }, active: 'a.txt' });
    const bytes = deflateRawSync(Buffer.from(json));
    for (const cut of [1, 3, 6, bytes.length - 2]) {
      expectError(decodeShare(bytes.subarray(0, bytes.length - cut).toString('base64url')), 'bad-deflate', /cut short/);
    }
    // Cut inside a base64 group: either the encoding or the stream is found damaged.
    const text = bytes.toString('base64url');
    const cut = decodeShare(text.slice(0, -5));
    expect(cut.ok ? 'ok' : cut.error.code).toMatch(/^bad-(encoding|deflate)$/);
  });

  it('binary junk', () => {
    const junk = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 97 + 13) & 0xff)).toString('base64url');
    const result = decodeShare(junk);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(['bad-deflate', 'bad-encoding', 'bad-json']).toContain(result.error.code);
    // Invalid block type 3 in the very first byte.
    expectError(decodeShare(Buffer.from([0xff, 0xff, 0xff]).toString('base64url')), 'bad-deflate');
  });

  it('decompression bomb: 100 MiB of zeros is refused quickly as too-large', () => {
    const bomb = link(new Uint8Array(100 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(200_000);
    const start = performance.now();
    expectError(decodeShare(bomb), 'too-large', /MiB/);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('inflateRawCapped stops at the cap and accepts exactly the cap', () => {
    const start = performance.now();
    const over = inflateRawCapped(deflateRawSync(new Uint8Array(64 * 1024 * 1024)), 1024 * 1024);
    expect(over.ok ? 'ok' : over.error.code).toBe('too-large');
    expect(performance.now() - start).toBeLessThan(3000);
    const exact = inflateRawCapped(deflateRawSync(new Uint8Array(1000)), 1000);
    expect(exact.ok && exact.bytes.length).toBe(1000);
    expect(inflateRawCapped(deflateRawSync(new Uint8Array(1001)), 1000).ok).toBe(false);
    expect(MAX_INFLATED_BYTES).toBe(8 * 1024 * 1024);
  });

  it('an over-long encoded payload is refused before decoding', () => {
    expectError(decodeShare('A'.repeat(13 * 1024 * 1024)), 'too-large');
  });

  it('invalid UTF-8 inside', () => {
    expectError(decodeShare(link(Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]))), 'bad-encoding', /UTF-8/);
  });

  it('not JSON', () => {
    expectError(decodeShare(link('{"v":1,')), 'bad-json');
    expectError(decodeShare(link('hello')), 'bad-json');
  });

  it('non-object JSON: array, number, null, string', () => {
    expectError(decodeShare(link('[1,2]')), 'bad-shape', /array/);
    expectError(decodeShare(link('42')), 'bad-shape', /number/);
    expectError(decodeShare(link('null')), 'bad-shape', /null/);
    expectError(decodeShare(link('"x"')), 'bad-shape', /string/);
  });

  it('wrong or missing version', () => {
    expectError(decodeShare(link('{"v":2,"files":{"a":"b"},"active":"a"}')), 'bad-version', /version 2.*newer/);
    expectError(decodeShare(link('{"v":"1","files":{"a":"b"}}')), 'bad-version', /"1"/);
    expectError(decodeShare(link('{"files":{"a":"b"}}')), 'bad-version');
  });

  it('missing files, no files, non-string content', () => {
    expectError(decodeShare(link('{"v":1,"active":"a"}')), 'bad-shape', /files/);
    expectError(decodeShare(link('{"v":1,"files":{}}')), 'bad-shape');
    expectError(decodeShare(link('{"v":1,"files":["a"]}')), 'bad-shape');
    expectError(decodeShare(link('{"v":1,"files":{"a.py":42}}')), 'bad-shape', /a\.py/);
    expectError(decodeShare(link('{"v":1,"files":{"a.py":null}}')), 'bad-shape');
  });

  it('hostile paths', () => {
    const withPath = (p: string): ShareResult => decodeShare(link(JSON.stringify({ v: 1, files: { [p]: 'x' }, active: p })));
    expectError(withPath('../etc/passwd'), 'bad-path', /"\.\."/);
    expectError(withPath('a/../../b'), 'bad-path');
    expectError(withPath('/etc/passwd'), 'bad-path', /absolute/);
    expectError(withPath('C:/x'), 'bad-path', /absolute/);
    expectError(withPath('a\\b'), 'bad-path', /backslash/);
    expectError(withPath('__proto__'), 'bad-path', /__proto__/);
    expectError(withPath('a/constructor/b'), 'bad-path', /constructor/);
    expectError(withPath('prototype'), 'bad-path');
    expectError(withPath('a\u0000b'), 'bad-path', /U\+0000/);
    expectError(withPath('evil\u202Etxt.exe'), 'bad-path', /U\+202E/);
    expectError(withPath('x\u2067y'), 'bad-path', /U\+2067/);
    expectError(withPath('a//b'), 'bad-path', /empty segment/);
    expectError(withPath('p'.repeat(513)), 'bad-path', /512/);
  });

  it('__proto__ does not pollute anything', () => {
    const result = decodeShare(link('{"v":1,"files":{"a":"1"},"active":"a","__proto__":{"polluted":true},"chat":[{"role":"user","content":"x","__proto__":{"polluted":true}}]}'));
    expect(result.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (result.ok) {
      expect(Object.getPrototypeOf(result.payload)).toBe(Object.prototype);
      expect(Object.keys(result.payload)).toEqual(['v', 'files', 'active', 'chat']);
      expect((result.payload as unknown as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it('5000 files', () => {
    const files = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`f${i}.txt`, '']));
    expectError(decodeShare(link(JSON.stringify({ v: 1, files, active: 'f0.txt' }))), 'too-many-files', /5000/);
  });

  it('a file over 2 MiB', () => {
    expectError(decodeShare(link(JSON.stringify({ v: 1, files: { 'big.txt': 'a'.repeat(2 * 1024 * 1024 + 1) } }))), 'too-large', /big\.txt/);
  });

  it('bad chat is an error, not dropped', () => {
    const withChat = (chat: unknown): ShareResult => decodeShare(link(JSON.stringify({ v: 1, files: { a: '' }, active: 'a', chat })));
    expectError(withChat({}), 'bad-shape', /chat/);
    expectError(withChat(null), 'bad-shape', /chat/);
    expectError(withChat([{ role: 'system', content: 'x' }]), 'bad-shape', /chat\[0\]\.role/);
    expectError(withChat([{ role: 'user' }]), 'bad-shape', /content/);
    expectError(withChat([{ role: 'user', content: 'x', toolCalls: [] }]), 'bad-shape', /assistant/);
    expectError(withChat([{ role: 'assistant', content: '', toolCalls: [{ id: 1, tool: 't', input: 0 }] }]), 'bad-shape', /id/);
    expectError(withChat([{ role: 'assistant', content: '', toolCalls: [{ id: 'a', tool: 't' }] }]), 'bad-shape', /input/);
    expectError(decodeShare(link('{"v":1,"files":{"a":""},"chat":[{"role":"assistant","content":"","toolCalls":[{"id":"a","tool":"t","input":{"__proto__":{"x":1}}}]}]}')), 'bad-shape', /__proto__/);
    const deep = '['.repeat(100) + ']'.repeat(100);
    expectError(decodeShare(link(`{"v":1,"files":{"a":""},"chat":[{"role":"assistant","content":"","toolCalls":[{"id":"a","tool":"t","input":${deep}}]}]}`)), 'bad-shape', /deeper/);
  });

  it('never throws on random or mutated input (property)', () => {
    const codes = new Set(['bad-encoding', 'bad-deflate', 'too-large', 'bad-json', 'bad-version', 'bad-shape', 'bad-path', 'too-many-files']);
    const check = (input: string): void => {
      const result = decodeShare(input);
      if (!result.ok) expect(codes.has(result.error.code)).toBe(true);
    };
    const good = Buffer.from(PYTHON_LINK, 'base64url');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const bytes = Uint8Array.from(good);
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        check(Buffer.from(bytes).toString('base64url'));
      }),
      { numRuns: 300 },
    );
    fc.assert(fc.property(fc.string(), (s) => check(s)), { numRuns: 200 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => check(Buffer.from(b).toString('base64url'))), { numRuns: 200 });
  });
});
