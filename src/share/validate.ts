/**
 * Validation of parsed share JSON and of file paths. Everything that comes out of here is a
 * fresh object holding only known fields, so hostile extra fields, prototypes or getters on the
 * input never reach the rest of the app.
 */

import {
  MAX_FILES,
  MAX_FILE_BYTES,
  MAX_JSON_DEPTH,
  MAX_PATH_BYTES,
  MAX_SEGMENT_BYTES,
  SHARE_VERSION,
  ShareError,
  type ShareChatMessage,
  type SharePayload,
  type ShareResult,
  type ShareToolCall,
} from './format.ts';

/** Segment names that would poison an object keyed by path in careless code downstream. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

// C0 controls, DEL and C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
// Bidi embeddings, overrides and isolates, plus the invisible marks: they make a path display
// as something it is not (`evil\u202Etxt.exe`).
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
// A surrogate half without its partner cannot be written as a UTF-8 file name.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const DRIVE = /^[a-zA-Z]:/;

/** Bytes a string takes in UTF-8 (lone surrogates count as the 3-byte U+FFFD they become). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** A path made safe to show in a message: invisible and direction-changing characters escaped. */
export function showPath(path: string): string {
  const short = path.length > 80 ? `${path.slice(0, 77)}...` : path;
  const hex = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  const escaped = short
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"\\]/g, (ch) =>
      ch === '"' || ch === '\\' ? `\\${ch}` : hex(ch),
    )
    .replace(new RegExp(LONE_SURROGATE.source, 'g'), hex);
  return `"${escaped}"`;
}

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Checks one file path of a link or zip: a non-empty relative POSIX path in canonical form
 * (no `.`/`..`/empty segments, no leading `/`, no backslash or drive letter), at most
 * {@link MAX_PATH_BYTES} UTF-8 bytes, without control, bidi-control or lone-surrogate
 * characters, and without `__proto__`, `constructor` or `prototype` segments.
 * Returns the reason it is refused, or null when it is fine.
 */
export function validatePath(path: string): ShareError | null {
  const bad = (why: string): ShareError => new ShareError('bad-path', `file path ${showPath(path)} ${why}`);
  if (typeof path !== 'string') return new ShareError('bad-path', 'file path must be a string');
  if (path === '') return new ShareError('bad-path', 'file path is empty');
  if (utf8Length(path) > MAX_PATH_BYTES) return bad(`is longer than ${MAX_PATH_BYTES} bytes`);
  const control = CONTROL.exec(path);
  if (control) return bad(`contains the control character ${codePoint(control[0])}`);
  const bidi = BIDI.exec(path);
  if (bidi) return bad(`contains the text-direction character ${codePoint(bidi[0])}, which can disguise a file name`);
  if (LONE_SURROGATE.test(path)) return bad('contains an unpaired UTF-16 surrogate');
  if (path.startsWith('/') || DRIVE.test(path)) return bad('is absolute; paths must be relative');
  if (path.includes('\\')) return bad('contains a backslash; use "/" between folders');
  for (const segment of path.split('/')) {
    if (segment === '') return bad('has an empty segment (leading, trailing or double "/")');
    if (segment === '.' || segment === '..') return bad(`has a "${segment}" segment`);
    if (FORBIDDEN_SEGMENTS.has(segment)) return bad(`uses the reserved name "${segment}"`);
    if (utf8Length(segment) > MAX_SEGMENT_BYTES) return bad(`has a segment longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
  return null;
}

/**
 * Checks a set of already valid paths together: at most `maxFiles`, no two equal after Unicode
 * NFC normalization (they would be one file on macOS and confusing everywhere), and no path
 * that is also a folder of another (`a` and `a/b`). Returns the reason or null.
 */
export function validatePathSet(paths: readonly string[], maxFiles: number = MAX_FILES): ShareError | null {
  if (paths.length > maxFiles) {
    return new ShareError('too-many-files', `${paths.length} files is more than the limit of ${maxFiles}`);
  }
  const seen = new Map<string, string>();
  for (const path of paths) {
    const key = path.normalize('NFC');
    const other = seen.get(key);
    if (other !== undefined) {
      return new ShareError('bad-path', `file paths ${showPath(other)} and ${showPath(path)} name the same file`);
    }
    seen.set(key, path);
  }
  for (const [key, path] of seen) {
    for (let i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) {
      const folder = seen.get(key.slice(0, i));
      if (folder !== undefined) {
        return new ShareError('bad-path', `${showPath(folder)} is both a file and the folder of ${showPath(path)}`);
      }
    }
  }
  return null;
}

/** Code point order, as Python's `sorted()` uses, so every tool agrees on the fallback file. */
export function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Reads an own property only: an inherited (possibly polluted) one counts as absent. */
function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function shapeError(message: string): { ok: false; error: ShareError } {
  return { ok: false, error: new ShareError('bad-shape', message) };
}

/** Copies a JSON value, refusing non-JSON values, `__proto__` keys and deep nesting. */
function copyJson(value: unknown, where: string, depth: number): { ok: true; value: unknown } | { ok: false; error: ShareError } {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return { ok: true, value };
  if (typeof value === 'number') {
    return Number.isFinite(value) ? { ok: true, value } : shapeError(`${where} is not a finite number`);
  }
  if (depth >= MAX_JSON_DEPTH) return shapeError(`${where} is nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const item = copyJson(value[i], `${where}[${i}]`, depth + 1);
      if (!item.ok) return item;
      out.push(item.value);
    }
    return { ok: true, value: out };
  }
  if (isRecord(value)) {
    const entries: [string, unknown][] = [];
    for (const key of Object.keys(value)) {
      if (key === '__proto__') return shapeError(`${where} has a "__proto__" key`);
      const item = copyJson(value[key], `${where}.${key}`, depth + 1);
      if (!item.ok) return item;
      entries.push([key, item.value]);
    }
    // fromEntries defines own properties, so no key can reach a prototype.
    return { ok: true, value: Object.fromEntries(entries) };
  }
  return shapeError(`${where} is not a JSON value`);
}

function validateToolCalls(value: unknown, where: string): { ok: true; calls: ShareToolCall[] } | { ok: false; error: ShareError } {
  if (!Array.isArray(value)) return shapeError(`${where} must be an array`);
  const calls: ShareToolCall[] = [];
  for (let i = 0; i < value.length; i++) {
    const at = `${where}[${i}]`;
    const raw: unknown = value[i];
    if (!isRecord(raw)) return shapeError(`${at} must be an object`);
    const id = own(raw, 'id');
    const tool = own(raw, 'tool');
    if (typeof id !== 'string') return shapeError(`${at}.id must be a string`);
    if (typeof tool !== 'string') return shapeError(`${at}.tool must be a string`);
    if (!Object.hasOwn(raw, 'input')) return shapeError(`${at}.input is missing`);
    const input = copyJson(raw.input, `${at}.input`, 0);
    if (!input.ok) return input;
    const call: ShareToolCall = { id, tool, input: input.value };
    const result = own(raw, 'result');
    if (result !== undefined) {
      const copied = copyJson(result, `${at}.result`, 0);
      if (!copied.ok) return copied;
      call.result = copied.value;
    }
    calls.push(call);
  }
  return { ok: true, calls };
}

function validateChat(value: unknown): { ok: true; chat: ShareChatMessage[] } | { ok: false; error: ShareError } {
  if (!Array.isArray(value)) return shapeError('"chat" must be an array of messages');
  const chat: ShareChatMessage[] = [];
  for (let i = 0; i < value.length; i++) {
    const at = `chat[${i}]`;
    const raw: unknown = value[i];
    if (!isRecord(raw)) return shapeError(`${at} must be an object`);
    const role = own(raw, 'role');
    const content = own(raw, 'content');
    if (role !== 'user' && role !== 'assistant' && role !== 'tool') {
      return shapeError(`${at}.role must be "user", "assistant" or "tool"`);
    }
    if (typeof content !== 'string') return shapeError(`${at}.content must be a string`);
    const toolCalls = own(raw, 'toolCalls');
    if (role !== 'assistant') {
      if (toolCalls !== undefined) return shapeError(`${at}: only assistant messages may have toolCalls`);
      chat.push({ role, content });
      continue;
    }
    if (toolCalls === undefined) {
      chat.push({ role, content });
      continue;
    }
    const calls = validateToolCalls(toolCalls, `${at}.toolCalls`);
    if (!calls.ok) return calls;
    chat.push({ role, content, toolCalls: calls.calls });
  }
  return { ok: true, chat };
}

/**
 * Validates a parsed payload and returns a clean copy holding only known fields.
 * Unknown top-level and message fields are dropped (room for optional additions in v1).
 * A missing or unknown `active` falls back to the first path in code point order.
 */
export function validatePayload(value: unknown): ShareResult {
  if (!isRecord(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return shapeError(`the payload must be a JSON object, not ${kind}`);
  }
  if (!Object.hasOwn(value, 'v')) {
    return { ok: false, error: new ShareError('bad-version', `the payload has no "v" field (expected v: ${SHARE_VERSION})`) };
  }
  const v = value.v;
  if (v !== SHARE_VERSION) {
    const shown = typeof v === 'number' || typeof v === 'string' ? JSON.stringify(v) : typeof v;
    const newer = typeof v === 'number' && v > SHARE_VERSION ? '; it was made by a newer Isobox' : '';
    return {
      ok: false,
      error: new ShareError('bad-version', `share format version ${shown} is not supported (this Isobox reads version ${SHARE_VERSION})${newer}`),
    };
  }
  const rawFiles = own(value, 'files');
  if (rawFiles === undefined) return shapeError('the payload has no "files"');
  if (!isRecord(rawFiles)) return shapeError('"files" must be an object mapping paths to text');
  const paths = Object.keys(rawFiles);
  if (paths.length === 0) return shapeError('the payload has no files');
  if (paths.length > MAX_FILES) {
    return { ok: false, error: new ShareError('too-many-files', `${paths.length} files is more than the limit of ${MAX_FILES}`) };
  }
  const files = new Map<string, string>();
  for (const path of paths) {
    const pathError = validatePath(path);
    if (pathError) return { ok: false, error: pathError };
    const content = rawFiles[path];
    if (typeof content !== 'string') return shapeError(`the content of ${showPath(path)} must be a string`);
    if (utf8Length(content) > MAX_FILE_BYTES) {
      return { ok: false, error: new ShareError('too-large', `${showPath(path)} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`) };
    }
    files.set(path, content);
  }
  const setError = validatePathSet(paths);
  if (setError) return { ok: false, error: setError };

  const rawActive = own(value, 'active');
  const active = typeof rawActive === 'string' && files.has(rawActive) ? rawActive : [...files.keys()].sort(compareCodePoints)[0];
  if (active === undefined) return shapeError('the payload has no files');

  // fromEntries defines own properties: safe even if a key were "__proto__".
  const payload: SharePayload = { v: SHARE_VERSION, files: Object.fromEntries(files), active };
  const rawChat = own(value, 'chat');
  if (rawChat !== undefined) {
    const chat = validateChat(rawChat);
    if (!chat.ok) return chat;
    payload.chat = chat.chat;
  }
  return { ok: true, payload };
}
