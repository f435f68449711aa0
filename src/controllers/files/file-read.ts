/**
 * Reading a file this browser holds back out of IndexedDB, part by part in order, opened with
 * the room key when it was sealed: one chunk in memory at a time. The fetch's whole-file check
 * and handing a sealed file out both read it this way.
 */
import { partsOf, type Manifest } from '../../protocol/file-manifest.js';
import { openChunk } from '../../protocol/file-seal.js';
import { chunkBlobs } from '../../store/files.js';
import type { ActiveRoom } from './file-serve.js';

/** A held file's parts could not all be read back (missing, or not opening with the key). */
export class UnreadableFile extends Error {
  constructor() {
    super('a part of the file could not be read back');
    this.name = 'UnreadableFile';
  }
}

/**
 * The plaintext of file `m`'s parts as held in `where`, in order — opened with `key` when one
 * is given (a sealed file) — reading the stored Blobs one at a time. Throws
 * {@link UnreadableFile} when a part is missing or does not open.
 */
export async function* plainParts(
  where: ActiveRoom,
  m: Manifest,
  key?: CryptoKey,
): AsyncGenerator<Uint8Array> {
  const blobs = await chunkBlobs(where.db, where.owner, m.list);
  if (blobs.length !== partsOf(m)) throw new UnreadableFile();
  for (const [part, blob] of blobs.entries()) {
    const stored = new Uint8Array(await blob.arrayBuffer());
    const plain =
      key && m.nonce !== undefined ? await openChunk(key, m.nonce, part, stored) : stored;
    if (!plain) throw new UnreadableFile();
    yield plain;
  }
}
