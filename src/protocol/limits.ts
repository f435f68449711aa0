/**
 * The sizes both ends of the wire agree on, and how a payload is measured. The browser checks
 * what it sends and receives with these; the server checks what it relays with the same.
 */

/** Default payload cap: 64 KiB of UTF-8 JSON (the arguments of one event). */
export const DEFAULT_MAX_PAYLOAD = 64 * 1024;
/** Longest event name. */
export const MAX_EVENT_NAME = 64;
/** Longest message text, in UTF-16 code units; keeps any envelope well under 64 KiB. */
export const MAX_TEXT = 8000;
/** Longest display name. */
export const MAX_NAME = 32;
/** Longest room name. */
export const MAX_ROOM = 64;
/** Longest room title, in characters (a private room's link carries it). */
export const MAX_TITLE = 64;
/** Longest id (message, user, peer). */
export const MAX_ID = 64;
/**
 * How far ahead of our clock a message may be dated. A message dated later is refused: it
 * would sort as the newest for ever and push every later catch-up's `since` past all history.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const encoder = new TextEncoder();

/** UTF-8 length of a string, without allocating for pure ASCII. */
export function utf8Length(text: string): number {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).length;
}

/**
 * UTF-8 size of a value's JSON, or `undefined` when it has none (a cycle, a BigInt, `undefined`
 * itself), which callers treat as malformed.
 */
export function jsonSize(value: unknown): number | undefined {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? undefined : utf8Length(json);
  } catch {
    return undefined;
  }
}
