/**
 * Share-link format (DESIGN.md "Share links — public format"): the types, the limits and the
 * error type, and nothing that runs. Other tools produce these links, so every limit here is
 * part of the public contract and is written down in docs/share-format.md.
 */

/** The only payload version this code reads and writes. */
export const SHARE_VERSION = 1;

/** Cap on the inflated JSON, in bytes. Inflation stops as soon as output passes it. */
export const MAX_INFLATED_BYTES = 8 * 1024 * 1024;
/** Cap on the encoded payload, in characters, checked before any decoding. */
export const MAX_ENCODED_LENGTH = Math.ceil((MAX_INFLATED_BYTES * 1.01 + 1024) / 3) * 4;
/** Most files a payload (or an imported zip) may hold. */
export const MAX_FILES = 1000;
/** Longest path, in UTF-8 bytes. */
export const MAX_PATH_BYTES = 512;
/** Longest path segment, in UTF-8 bytes (what common file systems allow). */
export const MAX_SEGMENT_BYTES = 255;
/** Largest single file in a link, in UTF-8 bytes. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Deepest nesting of a tool call's `input` or `result` JSON. */
export const MAX_JSON_DEPTH = 64;
/** Links longer than this (in bytes) deserve a warning: some chat apps and browsers cut them. */
export const LINK_WARN_BYTES = 32 * 1024;

/** Zip import: most bytes all files may inflate to, by their declared sizes. */
export const ZIP_MAX_TOTAL_BYTES = 64 * 1024 * 1024;
/** Zip import: most bytes one file may inflate to. */
export const ZIP_MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Zip import: most files (directory entries not counted). */
export const ZIP_MAX_FILES = MAX_FILES;

/** A tool call the agent made, kept so a shared chat can be replayed as it happened. */
export interface ShareToolCall {
  id: string;
  tool: string;
  /** Any JSON value. */
  input: unknown;
  /** Any JSON value; absent when the call had no result yet. */
  result?: unknown;
}

export interface ShareUserMessage {
  role: 'user';
  content: string;
}

export interface ShareAssistantMessage {
  role: 'assistant';
  content: string;
  toolCalls?: ShareToolCall[];
}

export interface ShareToolMessage {
  role: 'tool';
  content: string;
}

/** One chat message. Only assistant messages carry `toolCalls`; other fields are dropped. */
export type ShareChatMessage = ShareUserMessage | ShareAssistantMessage | ShareToolMessage;

/** Everything a link carries: files (path → UTF-8 text), the open file, and an optional chat. */
export interface SharePayload {
  v: 1;
  files: Record<string, string>;
  active: string;
  chat?: ShareChatMessage[];
}

/** Why a link, payload, path or zip was refused. */
export type ShareErrorCode =
  | 'bad-encoding'
  | 'bad-deflate'
  | 'too-large'
  | 'bad-json'
  | 'bad-version'
  | 'bad-shape'
  | 'bad-path'
  | 'too-many-files';

/** A refused link or archive; `message` is written for the person who opened it. */
export class ShareError extends Error {
  constructor(
    readonly code: ShareErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ShareError';
  }
}

/** The outcome of decoding or validating a payload: callers branch on `ok`, nothing throws. */
export type ShareResult = { ok: true; payload: SharePayload } | { ok: false; error: ShareError };

/** The outcome of importing a zip archive. */
export type ZipImportResult = { ok: true; files: Record<string, Uint8Array> } | { ok: false; error: ShareError };
