/**
 * Conditional and partial requests for static files (RFC 9110 §13 and §14): whether a cached
 * copy is still good (`If-None-Match`, else `If-Modified-Since` → 304), and which bytes a
 * `Range` asks for. Only what browsers send is honoured — one range, `If-Range` with an ETag —
 * and anything else is answered with the whole file, which the RFC allows.
 */
import type { IncomingMessage } from 'node:http';

/** Longest validator list or range read: real ones are a fraction of it. */
const MAX_HEADER = 4096;

const one = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value.join(',') : (value ?? '')).slice(0, MAX_HEADER);

/** An ETag without its weakness mark: If-None-Match compares weakly (§13.1.2). */
const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/**
 * Whether the client's copy is the one `etag` names (or, without `If-None-Match`, is no older
 * than `lastModified`): then a 304 answers it.
 */
export function notModified(req: IncomingMessage, etag: string, lastModified: Date): boolean {
  const match = req.headers['if-none-match'];
  if (match !== undefined) {
    const tags = one(match).split(',');
    return tags.some((t) => t.trim() === '*' || opaque(t) === etag);
  }
  const since = Date.parse(one(req.headers['if-modified-since']));
  // HTTP dates have whole seconds; the file's time has less.
  return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

/** The bytes a range request asks for, inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * What a GET's `Range` asks of a body of `size` bytes named `etag`: one range, `unsatisfiable`
 * (416), or undefined — no range, several, a malformed one, or an `If-Range` naming another
 * version — when the whole body is sent.
 */
export function rangeOf(
  req: IncomingMessage,
  size: number,
  etag: string,
): ByteRange | 'unsatisfiable' | undefined {
  const header = req.headers.range;
  if (req.method !== 'GET' || header === undefined) return undefined;
  const ifRange = req.headers['if-range'];
  // If-Range compares strongly, and a date cannot vouch for one encoding's bytes: whole file.
  if (ifRange !== undefined && one(ifRange).trim() !== etag) return undefined;
  const m = /^\s*bytes\s*=\s*(\d{0,15})\s*-\s*(\d{0,15})\s*$/i.exec(one(header));
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    // The last n bytes.
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? Infinity : Number(m[2]);
  if (end < start) return undefined; // invalid: ignored, per §14.1.1
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}
