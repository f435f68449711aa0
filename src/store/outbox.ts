/**
 * Our messages that nobody has acknowledged yet (or that went out only over direct links
 * while the server was unreachable). Writing a message puts it in the history and
 * the outbox in one transaction, so a crash can never leave one without the other; it stays in
 * the outbox (and is sent again after a reconnection) until another member acknowledges it.
 */
import type { Envelope } from '../protocol/chat-events.js';
import type { ParleyDb } from './db.js';
import type { OutboxEntry, StoredMessage } from './schema.js';

/** How a message went out before it was stored: over which links (see {@link queueOutgoing}). */
export interface SentEarly {
  /** Only direct links took it (the server is away): a receipt does not end it. */
  unrelayed: boolean;
}

/**
 * Records a message we wrote: history and outbox together; `local` when it was written for
 * this browser's tabs only (it is then never sent anywhere else). `went` says how it went on
 * the wire just before, when it did: it is then stored as sent, else as queued (the outbox
 * flush sends it). Call this in the same synchronous step as that send, with no await between:
 * the transaction is made before this returns, and any receipt for the message is handled in a
 * later task, so its transaction, made later, commits after this one (that is how IndexedDB
 * orders overlapping read-write transactions) and always finds the message. Resolves to whether
 * it went. Relaxed durability: the write survives a reload or a crash of the browser, only not
 * a power cut right after it, and commits without waiting for the disk.
 */
export async function queueOutgoing(
  db: ParleyDb,
  owner: string,
  env: Envelope,
  local = false,
  went?: SentEarly,
): Promise<boolean> {
  const tx = db.transaction(['messages', 'outbox'], 'readwrite', { durability: 'relaxed' });
  const tabs = local ? { local: 'tabs' as const } : {};
  const status = went ? 'sent' : 'queued';
  const only = went?.unrelayed ? { unrelayed: true as const } : {};
  const entry = { owner, id: env.id, room: env.room, ts: env.ts, env, ...tabs, ...only };
  const writes: Array<Promise<unknown>> = [];
  try {
    writes.push(tx.objectStore('messages').put({ ...env, owner, status, ...tabs }));
    writes.push(tx.objectStore('outbox').put(entry));
  } catch (err) {
    // A request refused at once: the other must not commit alone (history without outbox).
    tx.abort();
    for (const w of [...writes, tx.done]) void w.catch(() => undefined);
    throw err;
  }
  await Promise.all([...writes, tx.done]);
  return went !== undefined;
}

/** The outbox entries of `room`, oldest first. */
export async function outboxEntries(
  db: ParleyDb,
  owner: string,
  room: string,
): Promise<OutboxEntry[]> {
  const range = IDBKeyRange.bound([owner, room, -Infinity, ''], [owner, room, Infinity, '\uffff']);
  return db.getAllFromIndex('outbox', 'by-room-time', range);
}

/** Our unacknowledged messages for `room`, oldest first. */
export async function pendingOutgoing(
  db: ParleyDb,
  owner: string,
  room: string,
): Promise<Envelope[]> {
  return (await outboxEntries(db, owner, room)).map((e) => e.env);
}

/**
 * Marks outbox entries as sent over direct links only (`true`: a receipt does not end them),
 * or as sent through the server again (`false`). Entries already gone are skipped.
 */
export async function markUnrelayed(
  db: ParleyDb,
  owner: string,
  ids: readonly string[],
  unrelayed: boolean,
): Promise<void> {
  const tx = db.transaction('outbox', 'readwrite');
  for (const id of ids) {
    const entry = await tx.store.get([owner, id]);
    if (!entry || (entry.unrelayed === true) === unrelayed) continue;
    const { unrelayed: _, ...rest } = entry;
    void tx.store.put(unrelayed ? { ...rest, unrelayed: true } : rest);
  }
  await tx.done;
}

/** Sets the delivery state of one of our messages that is still in the outbox. */
export async function markOutgoing(
  db: ParleyDb,
  owner: string,
  id: string,
  status: 'sent' | 'failed',
): Promise<void> {
  const tx = db.transaction('messages', 'readwrite');
  const msg = await tx.store.get([owner, id]);
  if (msg && msg.status !== 'delivered' && msg.status !== 'kept' && msg.status !== status) {
    await tx.store.put({ ...msg, status });
  }
  await tx.done;
}

/** Names kept of the members who cannot read one message (the rest is "and others"). */
export const MAX_UNREAD_BY = 20;

/** `names` with `name` added (it cannot read the message) or taken out (now it can). */
function whoCannot(
  names: string[] | undefined,
  name: string,
  cannot: boolean,
): string[] | undefined {
  if (name === '') return names;
  const others = (names ?? []).filter((n) => n !== name);
  return cannot ? [...others, name].slice(-MAX_UNREAD_BY) : others;
}

/** Most identities remembered as having stored one message (a room's member cap). */
export const MAX_ACKED_BY = 500;

/**
 * Records that member `by` stored our messages `ids`: `delivered` with its acknowledgers in
 * the history, out of the outbox — one transaction for the whole receipt; the member's name
 * `cannot.name` is noted on those of `cannot.ids` (it cannot open them) and taken off the others
 * (a later receipt: it has the key now). Returns the updated
 * messages (ids whose author is not `author`, our identity id, are skipped).
 */
export async function markDelivered(
  db: ParleyDb,
  owner: string,
  author: string,
  ids: readonly string[],
  by: string,
  cannot: { name: string; ids: readonly string[] } = { name: '', ids: [] },
  /** `by` is the server's keeper: the messages are *kept*, not delivered to anyone yet. */
  kept = false,
): Promise<StoredMessage[]> {
  const tx = db.transaction(['messages', 'outbox'], 'readwrite');
  const messages = tx.objectStore('messages');
  const outbox = tx.objectStore('outbox');
  const updated: StoredMessage[] = [];
  for (const id of ids) {
    const msg = await messages.get([owner, id]);
    if (!msg || msg.from.id !== author) continue;
    if (kept) {
      // A person's receipt says more: a delivered message stays so.
      if (msg.status !== 'delivered' && msg.status !== 'kept') {
        const next: StoredMessage = { ...msg, status: 'kept' };
        updated.push(next);
        void messages.put(next);
      }
    } else {
      const unreadBy = whoCannot(msg.unreadBy, cannot.name, cannot.ids.includes(id));
      if (
        msg.status !== 'delivered' ||
        !msg.ackedBy?.includes(by) ||
        unreadBy?.length !== msg.unreadBy?.length
      ) {
        // Bounded: a room holds at most this many members who could say so.
        const ackedBy = msg.ackedBy?.includes(by)
          ? msg.ackedBy
          : [...(msg.ackedBy ?? []), by].slice(-MAX_ACKED_BY);
        const { unreadBy: _u, ...rest } = msg;
        const next: StoredMessage = {
          ...rest,
          status: 'delivered',
          ackedBy,
          ...(unreadBy?.length ? { unreadBy } : {}),
        };
        updated.push(next);
        void messages.put(next);
      }
    }
    // Sent only directly while the server was away: it stays until sent through the server.
    const entry = await outbox.get([owner, id]);
    if (entry && entry.unrelayed !== true) void outbox.delete([owner, id]);
  }
  await tx.done;
  return updated;
}
