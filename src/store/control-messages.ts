/**
 * A private room's control messages in storage (its charter, announcements, grants, key
 * changes): noted by id, so retention never prunes them (`pruneRoom`) and catch-up passes them on
 * beyond its limit — a member who comes to a long room still learns who made it, who is in it and
 * which key is in force. Loaded with private rooms only.
 */
import type { Envelope } from '../protocol/chat-events.js';
import type { ParleyDb } from './db.js';
import { controlKey, envelopeOf, messagesSince } from './history.js';
import type { StoredMessage } from './schema.js';

/** Control messages listed per room at the most (the room's roles keep fewer). */
export const MAX_CONTROL = 5000;

/**
 * Notes `ids` as control messages of the private room `room` (charter, announcements, grants,
 * key changes): retention never prunes them and catch-up always passes them on, so a member who
 * comes later can still work out who made the room, who is in it and which key is in force.
 */
export async function markControl(
  db: ParleyDb,
  owner: string,
  room: string,
  ids: readonly string[],
): Promise<void> {
  const tx = db.transaction('kv', 'readwrite');
  const found = await tx.store.get(controlKey(owner, room));
  const list: string[] = Array.isArray(found) ? found : [];
  const fresh = ids.filter((id) => !list.includes(id));
  if (fresh.length > 0)
    await tx.store.put([...list, ...fresh].slice(-MAX_CONTROL), controlKey(owner, room));
  await tx.done;
}

/** The control messages of `room` from `since` on, oldest first (see {@link markControl}). */
export async function controlSince(
  db: ParleyDb,
  owner: string,
  room: string,
  since: number,
): Promise<StoredMessage[]> {
  const tx = db.transaction(['kv', 'messages']);
  const ids = await tx.objectStore('kv').get(controlKey(owner, room));
  if (!Array.isArray(ids)) return [];
  const found = await Promise.all(
    ids.map((id: string) => tx.objectStore('messages').get([owner, id])),
  );
  return found
    .filter((m): m is StoredMessage => m !== undefined && m.ts >= since)
    .sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
}

/**
 * What catch-up serves of private room `room` from `since` on: the newest `limit` messages
 * (see `messagesSince`) and, whatever the limit, its control messages, in time order.
 */
export async function messagesWithControl(
  db: ParleyDb,
  owner: string,
  room: string,
  since: number,
  limit: number,
  opts: { local?: boolean } = {},
): Promise<Envelope[]> {
  const newest = await messagesSince(db, owner, room, since, limit, opts);
  const have = new Set(newest.map((m) => m.id));
  const control = (await controlSince(db, owner, room, since)).filter(
    (c) => !have.has(c.id) && (opts.local || c.local === undefined),
  );
  if (control.length === 0) return newest;
  return [...control.map(envelopeOf), ...newest].sort(
    (a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1),
  );
}
