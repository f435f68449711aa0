/**
 * Message history per account and room. Pages come newest first from the
 * `[owner, room, ts, id]` index, so opening a room never scans or counts the whole history.
 */
import type { Envelope } from '../protocol/chat-events.js';
import { unwrap, type IDBPIndex } from 'idb';
import type { ParleyDb } from './db.js';
import type { MessageStatus, ParleySchema, StoredMessage } from './schema.js';

/** Messages per page. */
export const PAGE_SIZE = 50;

/** Messages a room keeps by default (`history-max`): months of a busy room, tens of MB at most. */
export const DEFAULT_HISTORY_MAX = 50_000;

/** Most messages one pruning transaction looks at: a few ms, so a send never waits long. */

/** The whole of `room` in the `[owner, room, ts, id]` indexes. */
export const roomRange = (owner: string, room: string): IDBKeyRange =>
  IDBKeyRange.bound([owner, room, -Infinity, ''], [owner, room, Infinity, '\uffff']);

/** Where a page ends: the oldest message already shown. */
export interface PageCursor {
  ts: number;
  id: string;
}

/** One page of history, newest first, and whether older messages exist. */
export interface HistoryPage {
  messages: StoredMessage[];
  more: boolean;
}

/**
 * Stores a message unless one with its id is already there (dedupe by id). Resolves `true`
 * when it was new.
 */
export async function addMessage(
  db: ParleyDb,
  owner: string,
  env: Envelope,
  status: MessageStatus,
): Promise<boolean> {
  const tx = db.transaction('messages', 'readwrite');
  const known = await tx.store.getKey([owner, env.id]);
  if (known === undefined) await tx.store.add({ ...env, owner, status });
  await tx.done;
  return known === undefined;
}

/**
 * Stores many messages in one transaction (a catch-up page), skipping ids already there.
 * Resolves with the ones that were new. `arrived`: when live messages arrived (kept with each,
 * never served: see `StoredMessage.arrived`).
 */
export async function addMessages(
  db: ParleyDb,
  owner: string,
  envs: readonly Envelope[],
  statusOf: (env: Envelope) => MessageStatus,
  opts: { local?: boolean; arrived?: number } = {},
): Promise<Envelope[]> {
  const tx = db.transaction('messages', 'readwrite');
  // What only this browser knows: heard over tabs only, and when a live message arrived.
  const extra = {
    ...(opts.local ? { local: 'tabs' as const } : {}),
    ...(opts.arrived !== undefined ? { arrived: opts.arrived } : {}),
  };
  // One `add` per message and no lookups: an id we already have fails with a ConstraintError,
  // which is cancelled so the rest of the page still commits (about twice as fast).
  const store = unwrap(tx.store);
  const fresh: Envelope[] = [];
  for (const env of envs) {
    const req = store.add({ ...env, owner, status: statusOf(env), ...extra });
    req.onsuccess = () => fresh.push(env);
    req.onerror = (event) => {
      event.preventDefault();
      event.stopPropagation();
    };
  }
  await tx.done;
  return fresh;
}

/** Changes the delivery state of one of our messages. */
export async function setStatus(
  db: ParleyDb,
  owner: string,
  id: string,
  status: MessageStatus,
): Promise<void> {
  const tx = db.transaction('messages', 'readwrite');
  const msg = await tx.store.get([owner, id]);
  if (msg && msg.status !== status) await tx.store.put({ ...msg, status });
  await tx.done;
}

/**
 * Up to `limit` messages in `range` of the room-and-time index, newest first, and whether
 * older ones are left.
 */
async function newestIn(
  db: ParleyDb,
  range: IDBKeyRange,
  limit: number,
): Promise<{ messages: StoredMessage[]; more: boolean }> {
  const messages: StoredMessage[] = [];
  let cursor = await db
    .transaction('messages')
    .store.index('by-room-time')
    .openCursor(range, 'prev');
  while (cursor && messages.length < limit) {
    messages.push(cursor.value);
    cursor = await cursor.continue();
  }
  return { messages, more: cursor !== null };
}

/** The newest `limit` messages of `room` older than `before` (or the newest overall). */
export async function pageMessages(
  db: ParleyDb,
  owner: string,
  room: string,
  before?: PageCursor,
  limit: number = PAGE_SIZE,
): Promise<HistoryPage> {
  const lower: [string, string, number, string] = [owner, room, -Infinity, ''];
  const range = before
    ? IDBKeyRange.bound(lower, [owner, room, before.ts, before.id], false, true)
    : IDBKeyRange.bound(lower, [owner, room, Infinity, '\uffff']);
  return newestIn(db, range, limit);
}

/**
 * Messages of `room` from `since` on (inclusive), the newest `limit` of them, oldest first:
 * what a peer who asks "what did I miss since …" gets — our own unsent ones included, since
 * handing them over is as good as sending them.
 */
export async function messagesSince(
  db: ParleyDb,
  owner: string,
  room: string,
  since: number,
  limit: number,
  opts: { local?: boolean } = {},
): Promise<Envelope[]> {
  const upper: [string, string, number, string] = [owner, room, Infinity, '\uffff'];
  const index = db.transaction('messages').store.index('by-room-time');
  const range = IDBKeyRange.bound([owner, room, since, ''], upper);
  const messages = await newestRows(index, range, limit);
  // What was written only for this browser's tabs is served only to them (`local`).
  const served = opts.local ? messages : messages.filter((m) => m.local === undefined);
  return served.map(envelopeOf);
}

type RoomTimeIndex = IDBPIndex<ParleySchema, ['messages'], 'messages', 'by-room-time'>;

/**
 * Whether `getAll` reads an index backward (IndexedDB 3.0's options, which came with
 * `getAllRecords`: Chromium 141).
 */
const readsBackward = () => 'getAllRecords' in IDBIndex.prototype;

/**
 * The newest `limit` rows of `range`, oldest first: one request where `getAll` reads backward
 * — what a member answering a catch-up spends before its first page can leave, behind whatever
 * else the database is doing, so one request rather than three — else a key cursor stepping
 * back over the newest `limit` keys (no values), then one `getAll` (about half the time of a
 * value cursor per row).
 */
async function newestRows(
  index: RoomTimeIndex,
  range: IDBKeyRange,
  limit: number,
): Promise<StoredMessage[]> {
  if (limit <= 0) return [];
  if (readsBackward()) {
    const backward = { query: range, count: limit, direction: 'prev' };
    const req = unwrap(index).getAll(backward as unknown as IDBKeyRange) as IDBRequest<
      StoredMessage[]
    >;
    const rows = await new Promise<StoredMessage[]>((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('could not read the history'));
    });
    return rows.reverse();
  }
  const from = await oldestOfNewest(index, range, limit);
  return from ? index.getAll(IDBKeyRange.bound(from, range.upper), limit) : [];
}

/** The index key of the oldest of the newest `limit` rows in `range`, if the range has any. */
async function oldestOfNewest(
  index: RoomTimeIndex,
  range: IDBKeyRange,
  limit: number,
): Promise<IDBValidKey | undefined> {
  const cursor = await index.openKeyCursor(range, 'prev');
  if (!cursor) return undefined;
  if (limit === 1) return cursor.key;
  // Past the oldest row of the range, `advance` ends the cursor: then the whole range is read.
  const last = await cursor.advance(limit - 1);
  return last ? last.key : range.lower;
}

/** The kv record listing the control messages of `owner`'s private room `room`. */
export const controlKey = (owner: string, room: string) => `control:${owner}:${room}`;
/** The envelope of a stored message, as it travels (without what only this browser knows). */
export function envelopeOf(msg: StoredMessage): Envelope {
  const { owner: _o, status: _s, ackedBy: _a, unreadBy: _u, local: _l, arrived: _r, ...env } = msg;
  return env;
}
