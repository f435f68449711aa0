/**
 * The stretch of a room's history a jump to an older message reads (a reply's quote, a search
 * result): the message itself, and everything from a few before it up to what is shown.
 * Apart from history.ts so that only the jump's chunk carries it.
 */
import type { ParleyDb } from './db.js';
import { pageMessages, type HistoryPage, type PageCursor } from './history.js';
import type { StoredMessage } from './schema.js';

/** Stored message `id` of `owner`, if this browser holds it. */
export function storedMessage(
  db: ParleyDb,
  owner: string,
  id: string,
): Promise<StoredMessage | undefined> {
  return db.get('messages', [owner, id]);
}

/**
 * Messages of `room` from `from` (inclusive) up to `to` (exclusive; the oldest shown, or the
 * newest when undefined), oldest first, with `context` older ones before `from`: the stretch a
 * jump to an older message loads so the list stays unbroken. At most `max` in all, else
 * undefined (the stretch is too long to show at once).
 */
export async function stretchOf(
  db: ParleyDb,
  owner: string,
  room: string,
  from: PageCursor,
  to: PageCursor | undefined,
  context: number,
  max: number,
): Promise<HistoryPage | undefined> {
  const upper: [string, string, number, string] = to
    ? [owner, room, to.ts, to.id]
    : [owner, room, Infinity, '\uffff'];
  const index = db.transaction('messages').store.index('by-room-time');
  const range = IDBKeyRange.bound([owner, room, from.ts, from.id], upper, false, to !== undefined);
  if ((await index.count(range)) > max) return undefined;
  const stretch = await index.getAll(range);
  const before = await pageMessages(db, owner, room, from, context);
  return { messages: [...before.messages.reverse(), ...stretch], more: before.more };
}
