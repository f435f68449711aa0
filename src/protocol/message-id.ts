/**
 * Message ids: the author's identity id, then a UUIDv7 (RFC 9562) — 48 bits of milliseconds,
 * a 12-bit counter and 62 random bits — so one author's ids are theirs alone (see
 * signed-envelope.ts) and sort in the order they were made, even within one millisecond
 * (messages of equal time are ordered by id).
 */

let lastMs = 0;
let counter = 0;

/** A new UUIDv7, later than every one this page made before. */
export function uuidv7(): string {
  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    counter = 0;
  } else if (++counter > 0xfff) {
    // 4,096 ids in one millisecond: borrow the next one, as the clock soon will.
    lastMs += 1;
    counter = 0;
  }
  ms = lastMs;
  const b = crypto.getRandomValues(new Uint8Array(16));
  for (let i = 0; i < 6; i++) b[i] = Math.floor(ms / 2 ** (8 * (5 - i))) & 0xff;
  b[6] = 0x70 | (counter >> 8); // version 7, then the counter's high bits
  b[7] = counter & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f); // the RFC's variant
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
