/**
 * Sending files: the limits said in words before anything is made or sent, then for each file
 * its thumbnail (previewable images), its manifest — read one chunk at a time, sealed in an
 * encrypted room, each chunk written to IndexedDB as it is made — and its message.
 *
 * A chunk's address needs the manifest, and the manifest needs every chunk: so chunks are
 * first written under a provisional record (its own random address, linked to a provisional
 * message id), then moved under the file's address once it is known (re-keyed, not read), and
 * the provisional record is released. Chunks are written in groups ({@link ChunkWriter}): memory
 * holds the group being written and the one gathering, whatever the file's size. A tab that
 * dies half-way leaves only a provisional record, released the next time the room is opened
 * ({@link releaseLeftovers}).
 */
import type { ActiveRoom } from './file-serve.js';
import { ChunkWriter } from './chunk-writer.js';
import { toBase64Url } from '../../protocol/encoding.js';
import { makeManifest } from '../../protocol/file-hash.js';
import {
  CHUNK_BYTES,
  PREVIEW_TYPES,
  type FileBody,
  type Manifest,
} from '../../protocol/file-manifest.js';
import {
  FileStoreFullError,
  filesOfRoom,
  markComplete,
  moveChunks,
  putChunks,
  putFile,
  releaseMessages,
  setList,
} from '../../store/files.js';

/** What sending needs from the files controller. */
export interface AttachConfig {
  /** Posts a file message; its id, or undefined when refused (the room reports why). */
  post: (body: FileBody) => string | undefined;
  /** The key to seal with in an encrypted room. */
  sealingKey: () => { key: CryptoKey; kid: string } | undefined;
}

/** Prefix of the message ids provisional records are linked to (never a real message id). */
export const PROVISIONAL = 'provisional:';

/** `bytes` as people read sizes: "812 bytes", "64 KB", "31.2 MB", "1.5 GB" (1 KB = 1024 bytes). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = value >= 100 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1);
  return `${String(text).replace(/\.0$/, '')} ${units[unit]}`;
}

/** Why `file` cannot be sent under a limit of `max` bytes, or undefined when it can. */
export function refusal(file: File, max: number): string | undefined {
  const name = file.name || 'This file';
  if (file.size === 0) return `${name} is empty — there is nothing to send`;
  if (file.size > max) {
    return `${name} is ${formatSize(file.size)} — files here can be at most ${formatSize(max)}`;
  }
  return undefined;
}

/**
 * Makes, stores and posts one file in `where`; resolves with the manifest posted, or
 * undefined when the room refused the message (it says why; nothing of the file stays).
 * Rejects with the store's {@link FileStoreFullError} when storage is full.
 */
export async function sendFile(
  config: AttachConfig,
  where: ActiveRoom,
  file: File,
): Promise<Manifest | undefined> {
  const { db, owner, room } = where;
  // The thumbnail maker loads with the first image sent (not with the chat).
  const preview = PREVIEW_TYPES.has(file.type)
    ? await import('./thumbnail.js').then(({ makeThumb }) => makeThumb(file, file.type))
    : undefined;
  const seal = config.sealingKey();
  const temp = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const tempMessage = PROVISIONAL + temp;
  const stand: Manifest = {
    name: 'provisional',
    size: file.size,
    type: 'application/octet-stream',
    sha256: temp,
    chunk: CHUNK_BYTES,
    list: temp,
  };
  await putFile(db, owner, room, stand, tempMessage, true);
  const writer = new ChunkWriter((entries) => putChunks(db, owner, temp, entries));
  let message: string | undefined;
  try {
    const made = await makeManifest(file, {
      name: file.name,
      type: file.type,
      ...(seal ? { seal } : {}),
      ...(preview ? { thumb: preview.thumb, w: preview.w, h: preview.h } : {}),
      // The next chunk is made while a group is written, unless the next group is full too.
      onChunk: (part, stored) => {
        writer.add(part, stored).catch(() => undefined); // seen by room() and flush()
        return writer.room();
      },
    });
    await writer.flush();
    const m = made.manifest;
    // Under its own address before anyone can ask for it, linked to the provisional message
    // until the real one exists.
    await putFile(db, owner, room, m, tempMessage, true);
    await setList(db, owner, m.list, made.list);
    await moveChunks(db, owner, temp, m.list);
    await markComplete(db, owner, m.list);
    message = config.post({ kind: 'file', file: m });
    if (message === undefined) return undefined;
    await putFile(db, owner, room, m, message, true);
    return m;
  } finally {
    writer.drop();
    // The provisional record goes with its chunks; so does the file itself when not posted.
    await releaseMessages(db, owner, [tempMessage]).catch(() => undefined);
  }
}

/** How long a provisional record may go untouched before it counts as left behind, in ms. */
export const LEFTOVER_MS = 60_000;

/**
 * Releases provisional records an earlier page left behind in `where`'s room (untouched for
 * {@link LEFTOVER_MS}: a file being made in another tab writes its record with every chunk).
 */
export async function releaseLeftovers(where: ActiveRoom): Promise<void> {
  const { db, owner, room } = where;
  const before = Date.now() - LEFTOVER_MS;
  const files = await filesOfRoom(db, owner, room);
  const stale = files
    .filter((f) => f.updated < before)
    .flatMap((f) => f.messages)
    .filter((id) => id.startsWith(PROVISIONAL));
  if (stale.length > 0) await releaseMessages(db, owner, stale);
}

export { FileStoreFullError };
