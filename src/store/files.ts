/**
 * Files in IndexedDB (schema version 5): one record per file and account, its chunks apart as
 * Blobs (Chromium keeps large ones on disk, so a held file costs no tab memory). A file lives
 * as long as a message of this account carries it: retention and "Delete its messages" release
 * the messages they delete ({@link releaseIn}), and a file no message refers to goes with its
 * chunks. A full quota is told in words ({@link FileStoreFullError}) and loses nothing else.
 */
import { inlineList } from '../protocol/file-hash.js';
import { partsOf, type Manifest } from '../protocol/file-manifest.js';
import type { ParleyDb } from './db.js';
import type { FileRecord } from './schema.js';
import { chunkRange, releaseIn } from './file-release.js';

export { releaseIn } from './file-release.js';

export type { FileRecord } from './schema.js';

/** Storage for this site is full: a chunk could not be written (nothing else was lost). */
export class FileStoreFullError extends Error {
  constructor() {
    super("This browser's storage for Parley is full — remove files or old rooms to make room.");
    this.name = 'FileStoreFullError';
  }
}

/** Whether `error` is the browser saying the quota is used up. */
export function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}

/** `record` with `pending` set to match `wanted` and `complete` (the `by-pending` index). */
function withPending(record: FileRecord): FileRecord {
  const { pending: _p, ...rest } = record;
  return record.wanted && !record.complete ? { ...rest, pending: 1 } : rest;
}

/**
 * Records the file `manifest` describes, carried by message `messageId` of `room`: creates
 * it (nothing held yet; the hash list taken from the manifest when it is inline and checks)
 * or adds the message to it. `mine`: we sent it. Resolves with the record.
 */
export async function putFile(
  db: ParleyDb,
  owner: string,
  room: string,
  manifest: Manifest,
  messageId: string,
  mine?: boolean,
): Promise<FileRecord> {
  const tx = db.transaction('files', 'readwrite');
  const found = await tx.store.get([owner, manifest.list]);
  let record: FileRecord;
  if (found) {
    const messages = found.messages.includes(messageId)
      ? found.messages
      : [...found.messages, messageId];
    record = { ...found, messages, ...(mine ? { mine: true as const } : {}) };
  } else {
    const list = inlineList(manifest);
    record = {
      owner,
      id: manifest.list,
      room,
      manifest,
      ...(list ? { list } : {}),
      parts: partsOf(manifest),
      held: 0,
      bytes: 0,
      complete: false,
      wanted: false,
      messages: [messageId],
      ...(mine ? { mine: true as const } : {}),
      updated: Date.now(),
    };
  }
  await tx.store.put(record);
  await tx.done;
  return record;
}

/** The file `id` of `owner`, if known. */
export function getFile(db: ParleyDb, owner: string, id: string): Promise<FileRecord | undefined> {
  return db.get('files', [owner, id]);
}

/** The files of `room` that `owner` knows of. */
export function filesOfRoom(db: ParleyDb, owner: string, room: string): Promise<FileRecord[]> {
  return db.getAllFromIndex('files', 'by-room', [owner, room]);
}

/** The files `owner` wants and does not hold yet: what to resume after a reload. */
export function wantedFiles(db: ParleyDb, owner: string): Promise<FileRecord[]> {
  return db.getAllFromIndex('files', 'by-pending', [owner, 1]);
}

/** Changes the record of file `id` with `change` (nothing when unknown); resolves with it. */
async function update(
  db: ParleyDb,
  owner: string,
  id: string,
  change: (r: FileRecord) => FileRecord,
): Promise<FileRecord | undefined> {
  const tx = db.transaction('files', 'readwrite');
  const found = await tx.store.get([owner, id]);
  const next = found && withPending(change(found));
  if (next) await tx.store.put(next);
  await tx.done;
  return next;
}

/** Keeps the checked hash list of file `id` (fetched as part -1). */
export async function setList(
  db: ParleyDb,
  owner: string,
  id: string,
  list: Uint8Array,
): Promise<void> {
  await update(db, owner, id, (r) => ({ ...r, list: list.slice() }));
}

/** Marks file `id` wanted (fetched, and resumed after a reload) or not. */
export async function setWanted(
  db: ParleyDb,
  owner: string,
  id: string,
  wanted: boolean,
): Promise<void> {
  await update(db, owner, id, (r) => ({ ...r, wanted }));
}

/**
 * File `id` is whole here and checked against its SHA-256. Rejects when a part is missing
 * (a record never says complete without its bytes).
 */
export async function markComplete(db: ParleyDb, owner: string, id: string): Promise<void> {
  await update(db, owner, id, (r) => {
    if (r.held !== r.parts) throw new Error(`File ${id} has ${r.held} of ${r.parts} parts.`);
    return { ...r, complete: true, updated: Date.now() };
  });
}

/** One chunk to store: its part number and its bytes as stored and sent. */
export interface ChunkEntry {
  part: number;
  bytes: Uint8Array;
}

/**
 * Stores part `part` of file `id` (as stored and sent: sealed or not, already checked) as a
 * Blob; see {@link putChunks}, of which this is the one-chunk case.
 */
export function putChunk(
  db: ParleyDb,
  owner: string,
  id: string,
  part: number,
  bytes: Uint8Array,
): Promise<void> {
  return putChunks(db, owner, id, [{ part, bytes }]);
}

/**
 * Stores `entries` of file `id` (as stored and sent, already checked) as Blobs in one
 * transaction, counting them in the record in the same transaction: one transaction costs about
 * as much as writing several chunks, so a group is much cheaper than a chunk at a time. A part
 * already held, or given twice, is kept once. Rejects with {@link FileStoreFullError} when the
 * quota is used up, and with an Error when the file is unknown or a part out of range; either
 * way the transaction is undone (the record and every chunk stay as they were).
 */
export async function putChunks(
  db: ParleyDb,
  owner: string,
  id: string,
  entries: readonly ChunkEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const tx = db.transaction(['files', 'chunks'], 'readwrite');
  try {
    const files = tx.objectStore('files');
    const chunks = tx.objectStore('chunks');
    const record = await files.get([owner, id]);
    if (!record) throw new Error(`No file ${id} to store a chunk of.`);
    const fresh = new Map<number, Uint8Array>();
    for (const { part, bytes } of entries) {
      if (!Number.isInteger(part) || part < 0 || part >= record.parts) {
        throw new Error(`File ${id} has no part ${part}.`);
      }
      if (!fresh.has(part)) fresh.set(part, bytes);
    }
    // Requests of one transaction run in order without waiting on each other's promises.
    const known = await Promise.all([...fresh.keys()].map((p) => chunks.getKey([owner, id, p])));
    let [held, size] = [record.held, record.bytes];
    const puts: Promise<unknown>[] = [];
    const keep = (put: Promise<unknown>) => {
      // Handled now: a later put throwing leaves the earlier ones rejected with nobody awaiting.
      put.catch(() => undefined);
      puts.push(put);
    };
    [...fresh].forEach(([part, bytes], i) => {
      if (known[i] !== undefined) return;
      const data = new Blob([bytes as Uint8Array<ArrayBuffer>]);
      keep(chunks.put({ owner, id, part, data, size: bytes.length }));
      held++;
      size += bytes.length;
    });
    if (puts.length > 0) {
      keep(files.put({ ...record, held, bytes: size, updated: Date.now() }));
      await Promise.all(puts);
    }
    await tx.done;
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // Already finished or aborted: nothing of it was kept.
    }
    await tx.done.catch(() => undefined);
    throw isQuotaError(error) || isQuotaError(tx.error) ? new FileStoreFullError() : error;
  }
}

/**
 * Moves the chunks held under `from` to file `to` (both known, with as many parts) in one
 * transaction, without reading their bytes: for a file stored while its address was not yet
 * known (it is the hash of every chunk's hash). Parts `to` already holds are dropped from
 * `from`; both records' counts follow. Rejects when either is unknown or the parts differ.
 */
export async function moveChunks(
  db: ParleyDb,
  owner: string,
  from: string,
  to: string,
): Promise<void> {
  const tx = db.transaction(['files', 'chunks'], 'readwrite');
  const files = tx.objectStore('files');
  const chunks = tx.objectStore('chunks');
  const [source, target] = await Promise.all([files.get([owner, from]), files.get([owner, to])]);
  if (!source || !target || source.parts !== target.parts) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new Error(`Cannot move the chunks of ${from} to ${to}.`);
  }
  let [held, bytes] = [target.held, target.bytes];
  // Every request at once (they run in order within the transaction): a round trip per chunk
  // made moving 256 chunks take ~0.9 s. The records hold Blob handles; no byte is read.
  const [moving, there] = await Promise.all([
    chunks.getAll(chunkRange(owner, from)),
    chunks.getAllKeys(chunkRange(owner, to)),
  ]);
  const taken = new Set(there.map(([, , part]) => part));
  const writes: Promise<unknown>[] = [chunks.delete(chunkRange(owner, from))];
  for (const chunk of moving) {
    if (taken.has(chunk.part)) continue;
    writes.push(chunks.put({ ...chunk, id: to }));
    held++;
    bytes += chunk.size;
  }
  const now = Date.now();
  writes.push(files.put({ ...source, held: 0, bytes: 0, complete: false, updated: now }));
  writes.push(files.put({ ...target, held, bytes, updated: now }));
  await Promise.all([...writes, tx.done]);
}

/** The parts of file `id` held here. */
export async function heldParts(db: ParleyDb, owner: string, id: string): Promise<Set<number>> {
  const keys = await db.getAllKeys('chunks', chunkRange(owner, id));
  return new Set(keys.map(([, , part]) => part));
}

/** The bytes of part `part` of file `id`, as stored; undefined when not held. */
export async function getChunk(
  db: ParleyDb,
  owner: string,
  id: string,
  part: number,
): Promise<Uint8Array | undefined> {
  const chunk = await db.get('chunks', [owner, id, part]);
  return chunk && new Uint8Array(await chunk.data.arrayBuffer());
}

/** The chunks of file `id` held here as Blobs, in part order (to assemble without copying). */
export async function chunkBlobs(db: ParleyDb, owner: string, id: string): Promise<Blob[]> {
  return (await db.getAll('chunks', chunkRange(owner, id))).map((c) => c.data);
}

/**
 * "Remove from this browser": deletes the chunks of file `id`, keeps its record (and hash
 * list) as nothing held, not wanted, so its message can fetch it again.
 */
export async function removeFileBytes(db: ParleyDb, owner: string, id: string): Promise<void> {
  const tx = db.transaction(['files', 'chunks'], 'readwrite');
  const files = tx.objectStore('files');
  const record = await files.get([owner, id]);
  await tx.objectStore('chunks').delete(chunkRange(owner, id));
  if (record) {
    const cleared = { ...record, held: 0, bytes: 0, complete: false, wanted: false };
    await files.put(withPending({ ...cleared, updated: Date.now() }));
  }
  await tx.done;
}

/** Unlinks messages `messageIds` from their files (see {@link releaseIn}), in a transaction. */
export async function releaseMessages(
  db: ParleyDb,
  owner: string,
  messageIds: readonly string[],
): Promise<void> {
  const tx = db.transaction(['files', 'chunks'], 'readwrite');
  await releaseIn(tx.objectStore('files'), tx.objectStore('chunks'), owner, messageIds);
  await tx.done;
}

/** Bytes of `owner`'s files held in this browser (chunks as stored). */
export async function fileBytes(db: ParleyDb, owner: string): Promise<number> {
  const range = IDBKeyRange.bound([owner, -Infinity], [owner, Infinity]);
  const records = await db.getAllFromIndex('files', 'by-updated', range);
  return records.reduce((sum, r) => sum + r.bytes, 0);
}

/**
 * Removes the bytes of `owner`'s files (as {@link removeFileBytes}: the records stay) until
 * at most `maxBytes` are held, in this order: first complete files we did not send, least
 * recently updated first; then partial copies nobody is fetching (not wanted), least recently
 * updated first. Files being fetched and files we sent are never trimmed (ours may be the
 * room's only copy). Resolves with the bytes held after, which may stay above the cap.
 */
export async function trimFiles(db: ParleyDb, owner: string, maxBytes: number): Promise<number> {
  const range = IDBKeyRange.bound([owner, -Infinity], [owner, Infinity]);
  const records = await db.getAllFromIndex('files', 'by-updated', range);
  let total = records.reduce((sum, r) => sum + r.bytes, 0);
  const held = records.filter((r) => r.bytes > 0 && !r.mine);
  const order = [
    ...held.filter((r) => r.complete),
    ...held.filter((r) => !r.complete && !r.wanted),
  ];
  for (const record of order) {
    if (total <= maxBytes) break;
    await removeFileBytes(db, owner, record.id);
    total -= record.bytes;
  }
  return total;
}
