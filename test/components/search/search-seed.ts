/**
 * Puts messages in a real search index (store/search-index.ts) for the search panel's and
 * controller's tests, in one transaction, as the room controller indexes what it opens.
 */
import type { ParleyDb } from '../../../src/store/db.js';
import { applyIn, type IndexedMessage } from '../../../src/store/search-index.js';

/** A message to index; `from` defaults to Alice, `ts` to a fixed day. */
export type Seed = Partial<IndexedMessage> & { id: string; room: string; text: string };

/** A fixed time (2026-03-12 14:05 UTC) the seeded messages count from. */
export const T0 = Date.UTC(2026, 2, 12, 14, 5);

/** Indexes `seeds` for `owner`. */
export async function seed(db: ParleyDb, owner: string, seeds: readonly Seed[]): Promise<void> {
  const tx = db.transaction(['searchDocs', 'searchPending'], 'readwrite');
  const items: IndexedMessage[] = seeds.map((s, i) => ({
    kind: 'message',
    ts: T0 + i * 60_000,
    from: { id: 'alice-id', name: 'Alice' },
    ...s,
  }));
  await applyIn(tx.objectStore('searchDocs'), tx.objectStore('searchPending'), owner, items);
  await tx.done;
}
