/**
 * The keys of encrypted rooms, per account and room. A key is a non-extractable AES-GCM
 * CryptoKey, so it is stored as itself and never as bytes; a passphrase is never stored at
 * all, only the key derived from it. An invite key's text is kept so the link can be copied
 * again (whoever can read this browser's storage can read it — see docs/SECURITY.md).
 */
import { isPrivateRoom } from '../protocol/room-kind.js';
import type { ParleyDb } from './db.js';
import type { RoomKeyRecord } from './schema.js';

/** One key of a room, newest first in its record. */
export type { RoomKeyEntry } from '../protocol/room-key.js';
type RoomKeyEntry = RoomKeyRecord['keys'][number];

/** Keys kept per room: older ones still open what was sealed with them. */
export const MAX_ROOM_KEYS = 8;
/**
 * Keys kept per private room: its whole chain (a key changes at most 100 times, each older key
 * still opening what was sealed with it and passing on to newcomers) and 8 not yet placed.
 */
export const MAX_PRIVATE_ROOM_KEYS = 110;

/** The keys `owner` holds for `room`, newest first (none for a room in the clear). */
export async function roomKeysOf(
  db: ParleyDb,
  owner: string,
  room: string,
): Promise<RoomKeyEntry[]> {
  return (await db.get('roomKeys', [owner, room]))?.keys ?? [];
}

/**
 * Adds `entry` to the keys of `room` for `owner`: as the newest (what new messages are sealed
 * with), the earlier ones behind it, or — `behind` — after them, only to open what was sealed
 * with it. At most {@link MAX_ROOM_KEYS} are kept ({@link MAX_PRIVATE_ROOM_KEYS} in a private room). Resolves with the new list.
 */
export async function addRoomKey(
  db: ParleyDb,
  owner: string,
  room: string,
  entry: RoomKeyEntry,
  behind = false,
): Promise<RoomKeyEntry[]> {
  const tx = db.transaction('roomKeys', 'readwrite');
  const found = await tx.store.get([owner, room]);
  // The same key added twice (an invite opened again, its passphrase typed) is one key.
  const same = (k: RoomKeyEntry) =>
    (entry.invite !== undefined && k.invite === entry.invite) ||
    (entry.kid !== undefined && k.kid === entry.kid);
  const earlier = (found?.keys ?? []).filter((k) => !same(k));
  const max = isPrivateRoom(room) ? MAX_PRIVATE_ROOM_KEYS : MAX_ROOM_KEYS;
  const keys = (behind ? [...earlier, entry] : [entry, ...earlier]).slice(0, max);
  await tx.store.put({ owner, room, keys });
  await tx.done;
  return keys;
}

/** Forgets every key of `room` for `owner`: new messages go out in the clear again. */
export async function clearRoomKeys(db: ParleyDb, owner: string, room: string): Promise<void> {
  await db.delete('roomKeys', [owner, room]);
}
