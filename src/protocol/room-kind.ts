/**
 * Whether a room is private or public, from its name alone: a private room's id is `p.` and 26
 * base32 letters (see `room-id.ts`, which makes and checks them); anything else is a name people
 * type, a public room. Its own small module, so the first download carries only this test.
 */

/** What every private room's id starts with. */
export const PRIVATE_PREFIX = 'p.';
/** Characters of a private id after the prefix (base32 of 16 bytes, no padding). */
export const PRIVATE_ID_CHARS = 26;

/** Whether `room` has the form of a private room's id. */
export function isPrivateRoom(room: string): boolean {
  return (
    room.length === PRIVATE_PREFIX.length + PRIVATE_ID_CHARS &&
    room.startsWith(PRIVATE_PREFIX) &&
    /^[a-z2-7]+$/.test(room.slice(PRIVATE_PREFIX.length))
  );
}
