/**
 * Releasing files with the messages that carried them, inside the caller's transaction: what
 * retention and "Delete its messages" call as they delete messages (`pruneRoom`). Apart from
 * `files.ts`, so the history store — loaded with the first download — carries none of the file
 * store's code, only this.
 */
import type { IDBPObjectStore, StoreNames } from 'idb';
import type { FileRecord, ParleySchema } from './schema.js';

/** A read-write store of a transaction that may hold other stores too. */
export type Store<N extends StoreNames<ParleySchema>> = IDBPObjectStore<
  ParleySchema,
  ArrayLike<StoreNames<ParleySchema>>,
  N,
  'readwrite'
>;

/** Every chunk of file `id`, in part order (the key range of the `chunks` store). */
export const chunkRange = (owner: string, id: string): IDBKeyRange =>
  IDBKeyRange.bound([owner, id, -Infinity], [owner, id, Infinity]);

/**
 * Unlinks messages `messageIds` of `owner` from the files they carry, in the transaction of
 * `files` and `chunks` (the caller's, so a message and its file go together); a file no
 * message refers to any more is deleted with its chunks.
 */
export async function releaseIn(
  files: Store<'files'>,
  chunks: Store<'chunks'>,
  owner: string,
  messageIds: readonly string[],
): Promise<void> {
  if (messageIds.length === 0) return;
  const index = files.index('by-message');
  // All lookups at once (one round of requests), then one write per file touched.
  const found = await Promise.all(messageIds.map((m) => index.getAll(m)));
  const released = new Set(messageIds);
  const touched = new Map<string, FileRecord>();
  for (const record of found.flat()) if (record.owner === owner) touched.set(record.id, record);
  const writes: Promise<unknown>[] = [];
  for (const record of touched.values()) {
    const messages = record.messages.filter((m) => !released.has(m));
    if (messages.length > 0) {
      writes.push(files.put({ ...record, messages }));
    } else {
      writes.push(files.delete([owner, record.id]), chunks.delete(chunkRange(owner, record.id)));
    }
  }
  await Promise.all(writes);
}
