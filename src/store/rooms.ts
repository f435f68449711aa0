/**
 * The rooms each account has joined, for the room list: the title the person typed, how far
 * they have read, when the room last saw a message, and the draft left in its composer. Bounded
 * like every store here: at most {@link MAX_ROOMS} per account (the least active is forgotten
 * first — only its list entry, never its history), a draft at most as long as a message, and
 * unread counts counted no further than {@link UNREAD_CAP}.
 */
import { lateKey } from './late-arrivals.js';
import { MAX_TEXT, MAX_TITLE } from '../protocol/limits.js';
import { ROOMS_FROM_HISTORY, type ParleyDb } from './db.js';
import { pruneRoom } from './prune.js';
import type { RoomRecord, StoredMessage } from './schema.js';

export type { RoomRecord } from './schema.js';

/** Rooms listed per account. */
export const MAX_ROOMS = 200;
/** Unread messages counted per room at the most; views show this many as "99+". */
export const UNREAD_CAP = 100;
/** Rooms with history looked at when an account's list is first made from it. */
const MAX_SEED_SCAN = 1000;

/** The whole of `room` in the `[owner, room, ts, id]` index of the history. */
const roomRange = (owner: string, room: string) =>
  IDBKeyRange.bound([owner, room, -Infinity, ''], [owner, room, Infinity, '\uffff']);

/** The kv record that says `owner`'s list was made from its history once. */
const seededKey = (owner: string) => `rooms-seeded:${owner}`;

/** `text` cut to `max` UTF-16 code units, never in the middle of a surrogate pair. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.charCodeAt(max - 1);
  return text.slice(0, cut >= 0xd800 && cut <= 0xdbff ? max - 1 : max);
}

/**
 * `owner`'s rooms, the most recently active first. The first time for an account (a database
 * from before the room list, schema version 3) the list is made from the rooms it has history
 * in, each as read up to its newest message.
 */
export async function listRooms(db: ParleyDb, owner: string): Promise<RoomRecord[]> {
  await seedFromHistory(db, owner);
  const range = IDBKeyRange.bound([owner, -Infinity], [owner, Infinity]);
  return (await db.getAllFromIndex('rooms', 'by-activity', range)).reverse();
}

/**
 * Lists the rooms `owner` has history in, in a database upgraded from before the room list
 * (once per account; key cursors hop from room to room, never reading the messages).
 */
async function seedFromHistory(db: ParleyDb, owner: string): Promise<void> {
  const tx = db.transaction(['messages', 'rooms', 'kv'], 'readwrite');
  const kv = tx.objectStore('kv');
  const due = (await kv.get(ROOMS_FROM_HISTORY)) === true;
  if (due && (await kv.get(seededKey(owner))) === undefined) {
    const index = tx.objectStore('messages').index('by-room-time');
    const rooms = tx.objectStore('rooms');
    const all = IDBKeyRange.bound([owner, '', -Infinity, ''], [owner, '\uffff', Infinity, '']);
    let cursor = await index.openKeyCursor(all);
    for (let n = 0; cursor && n < MAX_SEED_SCAN; n++) {
      const [, room, first] = cursor.key;
      const newest = await index.openKeyCursor(roomRange(owner, room), 'prev');
      const last = newest?.key[2] ?? first;
      if ((await rooms.getKey([owner, room])) === undefined) {
        const record: RoomRecord = {
          owner,
          room,
          title: room,
          joinedAt: first,
          lastRead: last,
          lastActivity: last,
          draft: '',
        };
        await rooms.put(record);
      }
      cursor = await cursor.continue([owner, room, Infinity, '\uffff']);
    }
    await kv.put(true, seededKey(owner));
  }
  await tx.done;
  await evictBeyond(db, owner, undefined);
}

/**
 * Adds `room` to `owner`'s list (joined now, read up to nothing yet) or, if it is there, keeps
 * it and takes the new `title` if one is given. Beyond {@link MAX_ROOMS} the least active other
 * room leaves the list (its history stays). Resolves with the record.
 */
export async function putRoom(
  db: ParleyDb,
  owner: string,
  room: string,
  title?: string,
  now: number = Date.now(),
): Promise<RoomRecord> {
  // A title can come from a link anyone may send: bounded like a draft.
  title = title === undefined ? undefined : [...title].slice(0, MAX_TITLE).join('');
  const tx = db.transaction('rooms', 'readwrite');
  const found = await tx.store.get([owner, room]);
  const record: RoomRecord = found
    ? { ...found, title: title || found.title }
    : {
        owner,
        room,
        title: title || room,
        joinedAt: now,
        lastRead: 0,
        lastActivity: now,
        draft: '',
      };
  await tx.store.put(record);
  await tx.done;
  if (!found) await evictBeyond(db, owner, room);
  return record;
}

/** Forgets the least active of `owner`'s rooms beyond {@link MAX_ROOMS} (never `keep`). */
async function evictBeyond(db: ParleyDb, owner: string, keep: string | undefined): Promise<void> {
  const range = IDBKeyRange.bound([owner, -Infinity], [owner, Infinity]);
  const tx = db.transaction('rooms', 'readwrite');
  const index = tx.store.index('by-activity');
  let excess = (await index.count(range)) - MAX_ROOMS;
  let cursor = excess > 0 ? await index.openCursor(range) : null;
  for (; cursor && excess > 0; cursor = await cursor.continue()) {
    if (cursor.value.room === keep) continue;
    void cursor.delete();
    excess--;
  }
  await tx.done;
}

/** Changes `owner`'s record of `room` with `change`; resolves with it (undefined: not listed). */
async function update(
  db: ParleyDb,
  owner: string,
  room: string,
  change: (r: RoomRecord) => RoomRecord | undefined,
): Promise<RoomRecord | undefined> {
  const tx = db.transaction('rooms', 'readwrite');
  const found = await tx.store.get([owner, room]);
  const next = found && change(found);
  if (next) await tx.store.put(next);
  await tx.done;
  return next ?? found;
}

/** `room` saw a message at `ts` (or later ones): it moves up the list. Never moves back. */
export function touchRoom(
  db: ParleyDb,
  owner: string,
  room: string,
  ts: number,
): Promise<RoomRecord | undefined> {
  return update(db, owner, room, (r) =>
    ts > r.lastActivity ? { ...r, lastActivity: ts } : undefined,
  );
}

/** The person has seen the messages of `room` up to `ts`. Never moves back. */
export function setLastRead(
  db: ParleyDb,
  owner: string,
  room: string,
  ts: number,
): Promise<RoomRecord | undefined> {
  return update(db, owner, room, (r) => (ts > r.lastRead ? { ...r, lastRead: ts } : undefined));
}

/** Keeps `text` as the draft of `room`, cut to the longest message one may send. */
export function setDraft(
  db: ParleyDb,
  owner: string,
  room: string,
  text: string,
): Promise<RoomRecord | undefined> {
  const draft = capText(text, MAX_TEXT);
  return update(db, owner, room, (r) => (r.draft === draft ? undefined : { ...r, draft }));
}

/**
 * Takes `room` off `owner`'s list; with `deleteHistory` its messages go too, oldest first in
 * bounded transactions — except ours that nobody has acknowledged yet: those stay, in the
 * history and the outbox, and go out when the room is joined again (leaving a room never
 * silently drops what the person wrote). The files the deleted messages carried go with them
 * (pruneRoom releases them), unless a kept message or another room's carries them too.
 * Resolves with how many messages were kept that way (0 without `deleteHistory`). The room's
 * keys stay (they open what is kept, and a rejoin).
 */
export async function removeRoom(
  db: ParleyDb,
  owner: string,
  room: string,
  deleteHistory: boolean,
): Promise<{ kept: number }> {
  await db.delete('rooms', [owner, room]);
  await db.delete('kv', lateKey(owner, room)); // its late arrivals are nobody's unread now
  return {
    kept: deleteHistory
      ? await pruneRoom(db, owner, room, 0, undefined, { keepControl: false })
      : 0,
  };
}

/**
 * The messages of `room` after `lastRead` that are not ours (`self`: our identity id), newest
 * first, at most `cap` — counting stops at our own newest message (we wrote after reading).
 * The caller decides which of them count (a message nobody can read does not).
 */
export async function unreadMessages(
  db: ParleyDb,
  owner: string,
  room: string,
  self: string,
  lastRead: number,
  cap: number = UNREAD_CAP,
): Promise<StoredMessage[]> {
  const range = IDBKeyRange.bound(
    [owner, room, lastRead, '\uffff'],
    [owner, room, Infinity, '\uffff'],
    true,
  );
  const found: StoredMessage[] = [];
  let cursor = await db
    .transaction('messages')
    .store.index('by-room-time')
    .openCursor(range, 'prev');
  for (; cursor && found.length < cap; cursor = await cursor.continue()) {
    if (cursor.value.from.id === self) break;
    found.push(cursor.value);
  }
  return found;
}

/** The newest message of `room` in `owner`'s history, if any. */
export async function lastMessage(
  db: ParleyDb,
  owner: string,
  room: string,
): Promise<StoredMessage | undefined> {
  const cursor = await db
    .transaction('messages')
    .store.index('by-room-time')
    .openCursor(roomRange(owner, room), 'prev');
  return cursor?.value;
}
