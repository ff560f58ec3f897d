import { describe, expect, it } from 'vitest';
import { MAX_FILES, ShareError } from './format.ts';
import { compareCodePoints, showPath, utf8Length, validatePath, validatePathSet, validatePayload } from './validate.ts';

const codeOf = (e: ShareError | null): string | null => e?.code ?? null;

describe('validatePath', () => {
  it('accepts ordinary relative paths, unicode and dotfiles', () => {
    for (const p of ['main.py', 'src/lib/util.rb', 'données/été.txt', '世界/🌍.md', '.gitignore', 'a/.hidden/b', 'a..b', '...', 'Constructor.java', 'x/__init__.py']) {
      expect(validatePath(p), p).toBeNull();
    }
  });

  it.each([
    ['', /empty/],
    ['/abs', /absolute/],
    ['C:/x', /absolute/],
    ['a\\b', /backslash/],
    ['..', /"\.\."/],
    ['a/../b', /"\.\."/],
    ['./a', /"\."/],
    ['a/', /empty segment/],
    ['a//b', /empty segment/],
    ['__proto__', /reserved/],
    ['a/prototype', /reserved/],
    ['constructor/x', /reserved/],
    ['a\u0000b', /U\+0000/],
    ['a\nb', /U\+000A/],
    ['a\u007fb', /U\+007F/],
    ['a\u0085b', /U\+0085/],
    ['a\u202ab', /U\+202A/],
    ['a\u202eb', /U\+202E/],
    ['a\u2066b', /U\+2066/],
    ['a\u2069b', /U\+2069/],
    ['a\ud800b', /surrogate/],
    ['x'.repeat(256), /segment longer/],
    [`${'a/'.repeat(256)}b`, /512/],
  ])('refuses %j', (path, why) => {
    const error = validatePath(path);
    expect(error?.code).toBe('bad-path');
    expect(error?.message).toMatch(why);
  });

  it('counts the length in UTF-8 bytes', () => {
    expect(validatePath('é'.repeat(127) + '/' + 'é'.repeat(127))).toBeNull(); // 509 bytes
    expect(codeOf(validatePath('é'.repeat(120) + '/' + 'é'.repeat(120) + '/' + 'é'.repeat(20)))).toBe('bad-path'); // 522 bytes
  });

  it('messages never carry a raw bidi or control character', () => {
    const message = validatePath('evil\u202Etxt.exe')?.message ?? '';
    expect(message).not.toMatch(/[\u202a-\u202e]/);
    expect(message).toContain('\\u202e');
    expect(showPath('a"b\\c\u0000')).toBe('"a\\"b\\\\c\\u0000"');
    expect(showPath('🌍')).toBe('"🌍"');
  });
});

describe('validatePathSet', () => {
  it('refuses names equal after NFC normalization', () => {
    const error = validatePathSet(['caf\u00e9.txt', 'cafe\u0301.txt']);
    expect(error?.code).toBe('bad-path');
    expect(error?.message).toMatch(/same file/);
  });

  it('refuses a path that is also a folder', () => {
    expect(validatePathSet(['a', 'a/b'])?.message).toMatch(/both a file and the folder/);
    expect(validatePathSet(['x/a/b/c', 'x/a'])?.code).toBe('bad-path');
    expect(validatePathSet(['a/b', 'a/c', 'ab'])).toBeNull();
  });

  it('counts files', () => {
    expect(validatePathSet(Array.from({ length: MAX_FILES }, (_, i) => `${i}`))).toBeNull();
    expect(validatePathSet(Array.from({ length: MAX_FILES + 1 }, (_, i) => `${i}`))?.code).toBe('too-many-files');
  });
});

describe('validatePayload', () => {
  it('falls back to the first file in code point order when active is missing or unknown', () => {
    const files = { 'b.py': '', 'a/z.py': '', 'B.py': '', '\u{1F600}.py': '', '\uff5e.py': '' };
    for (const active of [undefined, 'nope.py', 42, null]) {
      const result = validatePayload({ v: 1, files, active });
      expect(result.ok && result.payload.active).toBe('B.py');
    }
    expect(compareCodePoints('\uff5e', '\u{1F600}')).toBeLessThan(0); // UTF-16 order would say otherwise
  });

  it('keeps a valid active and drops unknown fields', () => {
    const result = validatePayload({ v: 1, files: { 'a.py': '1', 'b.py': '2' }, active: 'b.py', settings: { apiKey: 'sk' }, extra: 1 });
    expect(result).toEqual({ ok: true, payload: { v: 1, files: { 'a.py': '1', 'b.py': '2' }, active: 'b.py' } });
  });

  it('copies instead of aliasing the input', () => {
    const input = { v: 1, files: { 'a.py': '1' }, active: 'a.py', chat: [{ role: 'assistant', content: '', toolCalls: [{ id: 'i', tool: 't', input: { deep: [1] } }] }] };
    const result = validatePayload(input);
    if (!result.ok) throw result.error;
    expect(result.payload.files).not.toBe(input.files);
    const call = result.payload.chat?.[0];
    expect(call?.role === 'assistant' && call.toolCalls?.[0]?.input).toEqual({ deep: [1] });
    expect(call?.role === 'assistant' && call.toolCalls?.[0]?.input).not.toBe(input.chat[0]?.toolCalls[0]?.input);
  });

  it('ignores inherited properties and refuses non-plain objects', () => {
    const inherited = Object.create({ v: 1, files: { a: '' } }) as object;
    expect(validatePayload(inherited).ok).toBe(false);
    expect(validatePayload({ v: 1, files: new Map([['a', '']]) }).ok).toBe(false);
    expect(validatePayload(new Date()).ok).toBe(false);
  });

  it('refuses non-JSON values in tool calls', () => {
    const withInput = (input: unknown): boolean =>
      validatePayload({ v: 1, files: { a: '' }, chat: [{ role: 'assistant', content: '', toolCalls: [{ id: 'i', tool: 't', input }] }] }).ok;
    expect(withInput({ ok: [1, 'x', null, true, { n: 1.5 }] })).toBe(true);
    expect(withInput(Number.NaN)).toBe(false);
    expect(withInput(() => 1)).toBe(false);
    expect(withInput(10n)).toBe(false);
    expect(withInput(undefined)).toBe(false);
  });

  it('refuses NFC-duplicate file names', () => {
    const result = validatePayload({ v: 1, files: { 'caf\u00e9': '', 'cafe\u0301': '' } });
    expect(result.ok ? null : result.error.code).toBe('bad-path');
  });
});

describe('utf8Length', () => {
  it('matches TextEncoder', () => {
    for (const s of ['', 'a', 'é', '世', '🌍', 'a\ud800b', '\udc00', 'mixé世🌍']) {
      expect(utf8Length(s), s).toBe(new TextEncoder().encode(s).length);
    }
  });
});
