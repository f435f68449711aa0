/**
 * A room's key from its passphrase: PBKDF2-SHA256, 600,000 iterations, the salt bound to the
 * room's name and a Parley constant, so one passphrase gives different keys in different rooms.
 * Apart from `room-key.ts` (sealing and opening) because only entering a passphrase needs it.
 */
import { roomKeyOfRaw, ROOM_KEY_BYTES, type RoomKey } from './room-key.js';

const encoder = new TextEncoder();

/** PBKDF2 iterations of a passphrase (as for passwords: OWASP's figure for PBKDF2-SHA256). */
export const ROOM_KEY_ITERATIONS = 600_000;
/**
 * The raw key of `room` for `passphrase`: PBKDF2's first 256 bits, as `deriveKey` would give
 * for AES-256 (the same keys as 1.0); `iterations` only lower in tests.
 */
export async function passphraseKeyBytes(
  passphrase: string,
  room: string,
  iterations = ROOM_KEY_ITERATIONS,
): Promise<Uint8Array> {
  const material = await crypto.subtle.importKey(
    'raw',
    encoder.encode(passphrase.normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  const salt = encoder.encode(`parley/room-key/1:${room}`);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    ROOM_KEY_BYTES * 8,
  );
  return new Uint8Array(bits);
}

/** The key of `room` for `passphrase` and its identifier (see {@link passphraseKeyBytes}). */
export async function passphraseRoomKey(
  passphrase: string,
  room: string,
  iterations = ROOM_KEY_ITERATIONS,
): Promise<RoomKey> {
  return roomKeyOfRaw(await passphraseKeyBytes(passphrase, room, iterations));
}

/** The key of `room` for `passphrase` (see {@link passphraseRoomKey}). */
export async function roomKeyFromPassphrase(
  passphrase: string,
  room: string,
  iterations = ROOM_KEY_ITERATIONS,
): Promise<CryptoKey> {
  return (await passphraseRoomKey(passphrase, room, iterations)).key;
}
