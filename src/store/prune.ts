/**
 * Pruning a room's history to its newest messages (retention, `history-max`) and deleting it
 * ("Delete its messages"), releasing the files only the deleted messages carried. Apart from
 * `history.ts`, whose reads and writes the first download needs: pruning runs in the
 * background, from chunks loaded later.
 */
import type { ParleyDb } from './db.js';
import { releaseIn } from './file-release.js';
import { controlKey, roomRange } from './history.js';
import { removeIn } from './search-index.js';

/**
 * Most messages one pruning transaction deletes. It holds the room's history for writing, a
 * cursor step per message: a catch-up answer's read waits behind it, so it stays short.
 */
const PRUNE_BATCH = 100;

/**
 * Deletes the oldest messages of `room` beyond the newest `keep`, oldest first, in transactions
 * of at most {@link PRUNE_BATCH} (others' writes run between them). A message still in the
 * outbox (ours, unacknowledged) is never deleted. The files a deleted message carried are
 * released with it (see `releaseIn`, files.ts), and what the search index holds of it
 * (see `removeIn`, search-index.ts). Resolves with how many the room holds after.
 * `opts.between` runs before each transaction after the count (a background prune gives the
 * page its turn there); `keepControl: false` deletes a private room's control messages too.
 */
export async function pruneRoom(
  db: ParleyDb,
  owner: string,
  room: string,
  keep: number,
  batch: number = PRUNE_BATCH,
  opts: { keepControl?: boolean; between?: () => Promise<void> } = {},
): Promise<number> {
  const all = roomRange(owner, room);
  const count = await db.countFromIndex('messages', 'by-room-time', all);
  let excess = count - keep;
  let deleted = 0;
  let range = all;
  while (excess > 0) {
    await opts.between?.();
    const tx = db.transaction(
      ['messages', 'outbox', 'kv', 'files', 'chunks', 'searchDocs', 'searchPending'],
      'readwrite',
    );
    const pending = await tx.objectStore('outbox').index('by-room-time').getAllKeys(all);
    const held = new Set(pending.map(([, id]) => id));
    // A private room's control messages are its membership: never pruned (see markControl).
    if (opts.keepControl !== false) {
      const control = await tx.objectStore('kv').get(controlKey(owner, room));
      if (Array.isArray(control)) control.forEach((id: string) => held.add(id));
    }
    const messages = tx.objectStore('messages');
    let cursor = await messages.index('by-room-time').openKeyCursor(range);
    const gone: string[] = [];
    for (let n = Math.min(excess, batch); cursor && n > 0; n--, excess--) {
      const [, , ts, id] = cursor.key;
      range = IDBKeyRange.bound([owner, room, ts, id], all.upper, true);
      if (!held.has(id)) {
        void messages.delete(cursor.primaryKey);
        gone.push(id);
        deleted++;
      }
      cursor = await cursor.continue();
    }
    // The files only these messages carried go with them, and their words from the index, in
    // the same transaction.
    await Promise.all([
      releaseIn(tx.objectStore('files'), tx.objectStore('chunks'), owner, gone),
      removeIn(tx.objectStore('searchDocs'), tx.objectStore('searchPending'), owner, gone),
    ]);
    await tx.done;
    if (!cursor) break;
  }
  return count - deleted;
}
