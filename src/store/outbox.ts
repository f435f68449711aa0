/**
 * Our messages that have not gone out yet. Writing a message puts it in the history and the
 * outbox in one transaction, so a crash can never leave one without the other; it leaves the
 * outbox once the transport has taken it.
 */
import type { Envelope } from '../transport/protocol.js';
import type { ParleyDb } from './db.js';

/** Records a message we wrote: history (as queued) and outbox together. */
export async function queueOutgoing(db: ParleyDb, owner: string, env: Envelope): Promise<void> {
  const tx = db.transaction(['messages', 'outbox'], 'readwrite');
  await Promise.all([
    tx.objectStore('messages').put({ ...env, owner, status: 'queued' }),
    tx.objectStore('outbox').put({ owner, id: env.id, room: env.room, ts: env.ts, env }),
    tx.done,
  ]);
}

/** Our unsent messages for `room`, oldest first. */
export async function pendingOutgoing(
  db: ParleyDb,
  owner: string,
  room: string,
): Promise<Envelope[]> {
  const range = IDBKeyRange.bound([owner, room, -Infinity, ''], [owner, room, Infinity, '\uffff']);
  const entries = await db.getAllFromIndex('outbox', 'by-room-time', range);
  return entries.map((e) => e.env);
}

/** Marks a message as handed to the transport: out of the outbox, `sent` in the history. */
export async function markSent(db: ParleyDb, owner: string, id: string): Promise<void> {
  const tx = db.transaction(['messages', 'outbox'], 'readwrite');
  const messages = tx.objectStore('messages');
  const msg = await messages.get([owner, id]);
  await Promise.all([
    msg && msg.status === 'queued' ? messages.put({ ...msg, status: 'sent' }) : undefined,
    tx.objectStore('outbox').delete([owner, id]),
    tx.done,
  ]);
}
