/**
 * Share links: payload ⇄ `#s=<base64url(raw DEFLATE(UTF-8 JSON))>`.
 * Decoding never throws; every hostile input ends as a typed ShareError.
 */

import { Inflate, deflateSync } from 'fflate';
import { LINK_WARN_BYTES, MAX_ENCODED_LENGTH, MAX_INFLATED_BYTES, ShareError, type SharePayload, type ShareResult } from './format.ts';
import { utf8Length, validatePayload } from './validate.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** char code → 6-bit value, -1 for anything outside the base64url alphabet. */
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Input fed to the inflater per step: deflate expands at most ~1032×, so one step adds ≤ ~4 MiB. */
const INFLATE_STEP = 4096;

/** base64url without padding (RFC 4648 §5). */
export function base64UrlEncode(bytes: Uint8Array): string {
  const parts: string[] = [];
  let line = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    line += ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63) + ALPHABET.charAt((n >> 6) & 63) + ALPHABET.charAt(n & 63);
    // Flush now and then so long inputs do not build one giant rope string.
    if (line.length >= 8192) {
      parts.push(line);
      line = '';
    }
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] ?? 0) << 16;
    line += ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63);
  } else if (rest === 2) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8);
    line += ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63) + ALPHABET.charAt((n >> 6) & 63);
  }
  parts.push(line);
  return parts.join('');
}

/**
 * Strict base64url decoding: only `A-Z a-z 0-9 - _`, no padding, no whitespace, and the unused
 * low bits of the last character must be zero (so every byte string has exactly one encoding).
 */
export function base64UrlDecode(text: string): { ok: true; bytes: Uint8Array } | { ok: false; error: ShareError } {
  const fail = (why: string): { ok: false; error: ShareError } => ({ ok: false, error: new ShareError('bad-encoding', `the link is damaged: ${why}`) });
  if (text.length % 4 === 1) return fail('its length is impossible for base64url (was it cut short?)');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let count = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const d = c < 128 ? (DECODE[c] ?? -1) : -1;
    if (d < 0) {
      const ch = text[i] === '=' ? '"=" (padding is not used)' : `${JSON.stringify(text[i])} at position ${i}`;
      return fail(`it contains the character ${ch}, which is not base64url`);
    }
    bits = ((bits << 6) | d) & 0xffffff;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[o++] = (bits >> count) & 0xff;
    }
  }
  if ((bits & ((1 << count) - 1)) !== 0) return fail('its last character has stray bits (was it cut short?)');
  return { ok: true, bytes: out };
}

/**
 * Inflates raw DEFLATE (RFC 1951) but never past `cap` bytes: input goes in small steps and
 * inflation stops as soon as the output passes the cap, so a bomb costs about the cap, not its size.
 */
export function inflateRawCapped(data: Uint8Array, cap: number): { ok: true; bytes: Uint8Array } | { ok: false; error: ShareError } {
  if (data.length === 0) return { ok: false, error: new ShareError('bad-deflate', 'the compressed data is empty') };
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > cap) over = true;
    else chunks.push(chunk);
  });
  try {
    for (let i = 0; i < data.length && !over; i += INFLATE_STEP) {
      const end = Math.min(i + INFLATE_STEP, data.length);
      inflater.push(data.subarray(i, end), end === data.length);
    }
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, error: new ShareError('bad-deflate', `the compressed data is corrupt or cut short (${why})`) };
  }
  if (over) return { ok: false, error: new ShareError('too-large', `the data inflates to more than ${cap} bytes`) };
  const out = new Uint8Array(total);
  let o = 0;
  for (const chunk of chunks) {
    out.set(chunk, o);
    o += chunk.length;
  }
  return { ok: true, bytes: out };
}

/**
 * Encodes a payload as a link payload (the part after `#s=`): base64url, no padding, of raw
 * DEFLATE (level 9) of UTF-8 JSON. The payload is validated first and only known fields are
 * written, so what is encoded always decodes. Throws a ShareError when the payload would not.
 */
export function encodeShare(payload: SharePayload): string {
  const checked = validatePayload(payload);
  if (!checked.ok) throw checked.error;
  const json = new TextEncoder().encode(JSON.stringify(checked.payload));
  if (json.length > MAX_INFLATED_BYTES) {
    throw new ShareError('too-large', `the project is ${json.length} bytes as JSON, more than the ${MAX_INFLATED_BYTES} a link may hold`);
  }
  return base64UrlEncode(deflateSync(json, { level: 9 }));
}

/** The payload part of a bare payload, a `#s=` fragment or a full link; null if there is none. */
function payloadPart(input: string): string | null {
  const text = input.trim();
  const hash = text.indexOf('#');
  if (hash < 0) return text;
  const fragment = text.slice(hash + 1);
  return fragment.startsWith('s=') ? fragment.slice(2) : null;
}

/**
 * Decodes a link: a bare payload, `#s=<payload>` (e.g. `location.hash`) or a full URL with
 * `#s=`. Never throws; a refused link comes back as `{ ok: false, error }` with a message for
 * the person who opened it.
 */
export function decodeShare(fragmentOrPayload: string): ShareResult {
  try {
    return decode(fragmentOrPayload);
  } catch (e) {
    // Each step reports its own errors; this is a safety net so the "never throws" promise holds.
    return { ok: false, error: new ShareError('bad-shape', `the shared project could not be read (${e instanceof Error ? e.message : String(e)})`) };
  }
}

function decode(fragmentOrPayload: string): ShareResult {
  const fail = (code: ShareError['code'], message: string): ShareResult => ({ ok: false, error: new ShareError(code, message) });
  if (typeof fragmentOrPayload !== 'string') return fail('bad-encoding', 'the link must be text');
  const part = payloadPart(fragmentOrPayload);
  if (part === null) return fail('bad-encoding', 'the link has no "#s=" part, so it holds no shared project');
  if (part === '') return fail('bad-encoding', 'the link holds no shared project (nothing after "#s=")');
  if (part.length > MAX_ENCODED_LENGTH) return fail('too-large', `the link is longer than the ${MAX_ENCODED_LENGTH} characters a shared project may take`);

  const raw = base64UrlDecode(part);
  if (!raw.ok) return raw;
  const inflated = inflateRawCapped(raw.bytes, MAX_INFLATED_BYTES);
  if (!inflated.ok) {
    const e = inflated.error;
    return e.code === 'too-large'
      ? fail('too-large', `the shared project unpacks to more than ${MAX_INFLATED_BYTES / 1024 / 1024} MiB; it was not opened`)
      : fail(e.code, `the link is damaged: ${e.message}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes);
  } catch {
    return fail('bad-encoding', 'the shared project is not valid UTF-8 text');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return fail('bad-json', `the shared project is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return validatePayload(parsed);
}

/** `<baseUrl without its hash>#s=<encodeShare(payload)>`. Throws like {@link encodeShare}. */
export function shareUrl(baseUrl: string, payload: SharePayload): string {
  const hash = baseUrl.indexOf('#');
  const base = hash < 0 ? baseUrl : baseUrl.slice(0, hash);
  return `${base}#s=${encodeShare(payload)}`;
}

/** True when a link is longer than {@link LINK_WARN_BYTES} bytes, where some apps cut links. */
export function isLinkTooLong(url: string): boolean {
  return utf8Length(url) > LINK_WARN_BYTES;
}
