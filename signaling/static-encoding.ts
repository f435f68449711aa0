/**
 * Which content coding an answer gets: brotli, gzip or none, from the request's
 * `Accept-Encoding` (RFC 9110 §12.5.3), q-values honoured. Brotli wins a tie (smaller), gzip
 * comes next; a request without the header, or with an empty one, gets the file as it is.
 */

/** The codings the server can send, by their `Content-Encoding` name. */
export type Coding = 'br' | 'gzip' | 'identity';

/**
 * Extensions of the text assets worth compressing; scripts/compress.mjs precompresses the same
 * list at build (a test holds the two together). Images and fonts are compressed already.
 */
export const COMPRESSIBLE: ReadonlySet<string> = new Set([
  '.html',
  '.js',
  '.css',
  '.json',
  '.svg',
  '.webmanifest',
  '.map',
]);

/** A header longer than this is read only this far: no browser sends a tenth of it. */
const MAX_HEADER = 1024;
/** At most this many codings of a header are read. */
const MAX_ITEMS = 32;

/** One `coding;q=…` item; undefined when malformed (a bad item is skipped, not guessed). */
function parseItem(item: string): { name: string; q: number } | undefined {
  const [rawName, ...params] = item.split(';');
  const name = rawName!.trim().toLowerCase();
  if (!/^(\*|[a-z0-9!#$%&'+.^_`|~-]+)$/.test(name)) return undefined;
  let q = 1;
  for (const param of params) {
    const m = /^\s*q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)\s*$/i.exec(param);
    if (!m) return undefined;
    q = Number(m[1]);
  }
  return { name, q };
}

/** How much the request wants each coding: the q-value it gave, `*`'s, or none (undefined). */
function weights(header: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const item of header.slice(0, MAX_HEADER).split(',').slice(0, MAX_ITEMS)) {
    if (item.trim() === '') continue;
    const parsed = parseItem(item);
    if (!parsed) continue;
    // `x-gzip` is gzip's old name (RFC 9110 §8.4.1.3).
    const name = parsed.name === 'x-gzip' ? 'gzip' : parsed.name;
    // A coding named twice: the first mention counts, as most servers read it.
    if (!found.has(name)) found.set(name, parsed.q);
  }
  return found;
}

/**
 * The coding to answer with, among `available` (the forms this file has, brotli first): the one
 * the request weighs highest, brotli on a tie; `identity` when none is acceptable or when the
 * request weighs `identity` itself higher (a client saying it prefers the plain file).
 */
export function chooseCoding(
  header: string | string[] | undefined,
  available: readonly Exclude<Coding, 'identity'>[] = ['br', 'gzip'],
): Coding {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text) return 'identity';
  const w = weights(text);
  const star = w.get('*');
  let best: Coding = 'identity';
  let bestQ = 0;
  for (const coding of available) {
    const q = w.get(coding) ?? star ?? 0;
    if (q > bestQ) [best, bestQ] = [coding, q];
  }
  const plain = w.get('identity');
  return plain !== undefined && plain > bestQ ? 'identity' : best;
}
