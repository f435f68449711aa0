/**
 * Private rooms' ids. A private room is named by a hash of its creator's public key and a
 * random nonce, so the id is unguessable (128 bits: nobody finds the room by typing a name) and
 * self-certifying: whoever shows a key and a nonce that hash to the id made the room, and no
 * member can claim it by saying so first (see `room-roles.ts`, the room's charter).
 *
 * A public room is named by what people type (`room-slug.ts`); a private id starts with `p.`
 * and 26 base32 letters, which a typed name only matches when it is that id.
 */
import { fromBase64Url, toBase64Url } from './encoding.js';
import { isPrivateRoom, PRIVATE_PREFIX } from './room-kind.js';

export { isPrivateRoom, PRIVATE_PREFIX } from './room-kind.js';

/** Bytes of a room nonce. */
export const NONCE_BYTES = 16;

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const encoder = new TextEncoder();

/** `bytes` in lower-case RFC 4648 base32, without padding. */
function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Whether `nonce` is a room nonce's one text (base64url of 16 bytes). */
export function isRoomNonce(nonce: unknown): nonce is string {
  if (typeof nonce !== 'string') return false;
  const raw = fromBase64Url(nonce);
  return raw?.length === NONCE_BYTES && toBase64Url(raw) === nonce;
}

/**
 * The id of the private room made by the identity whose public key is `creatorKey`, with
 * `nonce`: `p.` + base32 of the first 16 bytes of SHA-256("parley/room/1\n" key "\n" nonce).
 */
export async function privateRoomId(creatorKey: string, nonce: string): Promise<string> {
  const data = encoder.encode(`parley/room/1\n${creatorKey}\n${nonce}`);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return PRIVATE_PREFIX + base32(digest.subarray(0, 16));
}

/** A new private room of `creatorKey`: its id and the nonce that proves who made it. */
export async function newPrivateRoom(creatorKey: string): Promise<{ room: string; nonce: string }> {
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(NONCE_BYTES)));
  return { room: await privateRoomId(creatorKey, nonce), nonce };
}

/** Whether `creatorKey` with `nonce` made `room` (never throws). */
export async function madeRoom(room: string, creatorKey: string, nonce: unknown): Promise<boolean> {
  if (!isPrivateRoom(room) || !isRoomNonce(nonce)) return false;
  return (await privateRoomId(creatorKey, nonce)) === room;
}
