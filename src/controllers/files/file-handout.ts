/**
 * Handing files out of IndexedDB: the whole file as a Blob of a safe type (only the image types
 * we preview keep theirs; everything else is `application/octet-stream`, so nothing is ever
 * opened as HTML or script), saving it through a download link of its own under its sanitised
 * name, and thumbnails as Blob URLs of their own image types only.
 */
import type { ActiveRoom } from './file-serve.js';
import { fromBase64Url } from '../../protocol/encoding.js';
import {
  PREVIEW_TYPES,
  THUMB_TYPES,
  safeFileName,
  type Manifest,
} from '../../protocol/file-manifest.js';
import { chunkBlobs, getFile } from '../../store/files.js';
import { plainParts } from './file-read.js';

/** The type a file is handed out as when it is not an image we preview. */
export const SAFE_TYPE = 'application/octet-stream';
/** How long a download's Blob URL lives after the click, in ms. */
export const REVOKE_AFTER_MS = 60_000;
/** Most thumbnail URLs kept (the oldest are revoked beyond). */
export const MAX_THUMBS = 500;

/**
 * File `m` as held in `where`, once complete: a Blob of its parts in order, opened with `key`
 * when sealed (undefined without it); undefined when not complete here.
 */
export async function fileBlob(
  where: ActiveRoom,
  m: Manifest,
  keyOf: (kid: string) => CryptoKey | undefined,
): Promise<Blob | undefined> {
  const rec = await getFile(where.db, where.owner, m.list);
  if (!rec?.complete) return undefined;
  const type = PREVIEW_TYPES.has(m.type) ? m.type : SAFE_TYPE;
  if (m.sealed === undefined) {
    // The stored Blobs themselves, never read into memory.
    const stored = await chunkBlobs(where.db, where.owner, m.list);
    return stored.length === rec.parts ? new Blob(stored, { type }) : undefined;
  }
  const key = keyOf(m.sealed);
  if (!key || m.nonce === undefined) return undefined;
  // One chunk in JS memory at a time: each opened part becomes a Blob of its own.
  const plain: Blob[] = [];
  try {
    for await (const part of plainParts(where, m, key)) {
      plain.push(new Blob([part as Uint8Array<ArrayBuffer>]));
    }
  } catch {
    return undefined;
  }
  return new Blob(plain, { type });
}

/** Saves `blob` as `name` (sanitised) through a link that is never put in the page. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.download = safeFileName(name);
  a.href = url;
  a.rel = 'noopener';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

/** Blob URLs of thumbnails, one per file, made once and revoked with {@link clear}. */
export class ThumbUrls {
  private readonly urls = new Map<string, string>();

  /** A Blob URL of `m`'s thumbnail, or undefined (none, or not a thumbnail type). */
  of(m: Manifest): string | undefined {
    const thumb = m.thumb;
    if (!thumb || !(THUMB_TYPES as readonly string[]).includes(thumb.type)) return undefined;
    const cached = this.urls.get(m.list);
    if (cached) return cached;
    const bytes = fromBase64Url(thumb.data);
    if (!bytes) return undefined;
    const url = URL.createObjectURL(new Blob([bytes], { type: thumb.type }));
    this.urls.set(m.list, url);
    if (this.urls.size > MAX_THUMBS) {
      const [oldest, old] = this.urls.entries().next().value!;
      URL.revokeObjectURL(old);
      this.urls.delete(oldest);
    }
    return url;
  }

  /** Revokes every URL (the host went away). */
  clear(): void {
    this.urls.forEach((url) => URL.revokeObjectURL(url));
    this.urls.clear();
  }
}
