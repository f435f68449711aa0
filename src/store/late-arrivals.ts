/**
 * The live messages of a room that came well after the time they are dated (see
 * `controllers/room/late.ts`), noted by id until the person has seen the room: sorted by
 * their date they fall before what was already read, so the unread count (which counts from
 * the last message read, by date) would miss them. One kv record per account and room, at most
 * {@link MAX_LATE} ids (the oldest arrivals go first): a member can date its words as it likes,
 * but the count it can add this way is bounded, and what it adds is seen once the room is.
 */
import type { ParleyDb } from './db.js';
import type { StoredMessage } from './schema.js';

/** Late arrivals remembered per room at the most. */
export const MAX_LATE = 100;

/** The kv record listing the late arrivals of `owner`'s room `room` not seen yet. */
export const lateKey = (owner: string, room: string) => `late:${owner}:${room}`;

/** Ids noted, from the kv record (anything else there is ignored). */
function idsOf(found: unknown): string[] {
  return Array.isArray(found) ? found.filter((id): id is string => typeof id === 'string') : [];
}

/** Notes `ids` (live messages of `room` that arrived late) as not seen yet. */
export async function noteLate(
  db: ParleyDb,
  owner: string,
  room: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const tx = db.transaction('kv', 'readwrite');
  const list = idsOf(await tx.store.get(lateKey(owner, room)));
  const fresh = ids.filter((id) => !list.includes(id));
  if (fresh.length > 0)
    await tx.store.put([...list, ...fresh].slice(-MAX_LATE), lateKey(owner, room));
  await tx.done;
}

/**
 * The late arrivals of `room` not seen yet that the count from `lastRead` (by date) misses:
 * those still stored, dated at or before `lastRead`, not ours (`self`). Those dated after it
 * are counted already.
 */
export async function lateUnread(
  db: ParleyDb,
  owner: string,
  room: string,
  self: string,
  lastRead: number,
): Promise<StoredMessage[]> {
  const tx = db.transaction(['kv', 'messages']);
  const ids = idsOf(await tx.objectStore('kv').get(lateKey(owner, room)));
  if (ids.length === 0) return [];
  const found = await Promise.all(ids.map((id) => tx.objectStore('messages').get([owner, id])));
  return found.filter(
    (m): m is StoredMessage =>
      m !== undefined && m.room === room && m.ts <= lastRead && m.from.id !== self,
  );
}

/** The person has seen `room`: its late arrivals are read. */
export async function seenLate(db: ParleyDb, owner: string, room: string): Promise<void> {
  const tx = db.transaction('kv', 'readwrite');
  if ((await tx.store.getKey(lateKey(owner, room))) !== undefined)
    await tx.store.delete(lateKey(owner, room));
  await tx.done;
}
