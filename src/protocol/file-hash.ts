/**
 * Hashing files into manifests and checking what arrives against them (browsers and Node 20).
 * A file is read one chunk at a time from its Blob, each chunk sealed when the room is
 * encrypted, hashed in the form it is stored and sent, and handed to the caller before the
 * next is read — memory holds one chunk whatever the file's size. The whole file's SHA-256 is
 * of its plaintext and is computed incrementally, which WebCrypto cannot do: @noble/hashes
 * does that part (a few hundred MB/s, see test/protocol/file-hash.test.ts), WebCrypto the rest.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import * as v from 'valibot';
import { fromBase64Url, toBase64Url } from './encoding.js';
import {
  CHUNK_BYTES,
  HASH_BYTES,
  MAX_FILE_CEILING,
  MAX_INLINE_PARTS,
  MIN_CHUNK_BYTES,
  ManifestSchema,
  MimeSchema,
  partsOf,
  safeFileName,
  type Manifest,
  type Thumb,
} from './file-manifest.js';
import { FILE_NONCE_BYTES, SEAL_OVERHEAD, sealChunk } from './file-seal.js';

/** The type a file gets when the one it came with is not a plain `type/subtype`. */
export const FALLBACK_MIME = 'application/octet-stream';

/** The SHA-256 of `bytes` (WebCrypto). */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** An incremental SHA-256: feed the file in pieces, read its digest once at the end. */
export class WholeHash {
  private readonly state = nobleSha256.create();

  /** Adds `bytes` to what is hashed. */
  update(bytes: Uint8Array): void {
    this.state.update(bytes);
  }

  /** The SHA-256 of everything fed, base64url (43 characters). Call once. */
  digest(): string {
    return toBase64Url(this.state.digest());
  }
}

/** A manifest just made, and its hash list (32 bytes per chunk, in part order). */
export interface MadeFile {
  manifest: Manifest;
  list: Uint8Array;
}

/** What {@link makeManifest} needs besides the Blob. */
export interface MakeOptions {
  /** The name the file came with (sanitised here). */
  name: string;
  /** The MIME type it came with (anything not a plain lower-case type becomes octet-stream). */
  type: string;
  /** Seals every chunk with this room key (an encrypted room). */
  seal?: { key: CryptoKey; kid: string };
  /** Bytes per chunk; {@link CHUNK_BYTES} by default. */
  chunk?: number;
  thumb?: Thumb;
  w?: number;
  h?: number;
  /** Takes each chunk as stored (sealed or not); the next is read once it resolves. */
  onChunk: (part: number, stored: Uint8Array) => Promise<void>;
}

/** `type` as a manifest carries it: lower case, no parameters, or {@link FALLBACK_MIME}. */
export function cleanMime(type: string): string {
  const bare = (type.split(';')[0] ?? '').trim().toLowerCase();
  return v.is(MimeSchema, bare) ? bare : FALLBACK_MIME;
}

/**
 * Reads `blob` chunk by chunk and makes its manifest (see the module comment). Rejects, with
 * a sentence a person can read, an empty file or one over {@link MAX_FILE_CEILING}; an
 * `onChunk` rejection stops it and rejects with that error.
 */
export async function makeManifest(blob: Blob, opts: MakeOptions): Promise<MadeFile> {
  const size = blob.size;
  if (size === 0) throw new Error('The file is empty: there is nothing to send.');
  if (size > MAX_FILE_CEILING) {
    const mib = MAX_FILE_CEILING / (1024 * 1024);
    throw new Error(`The file is larger than ${mib} MB, the most Parley can send.`);
  }
  const chunk = opts.chunk ?? CHUNK_BYTES;
  if (!Number.isInteger(chunk) || chunk < MIN_CHUNK_BYTES || chunk > CHUNK_BYTES) {
    throw new Error(`A chunk is ${MIN_CHUNK_BYTES} to ${CHUNK_BYTES} bytes, not ${chunk}.`);
  }
  const parts = partsOf({ size, chunk });
  const nonce = opts.seal
    ? toBase64Url(crypto.getRandomValues(new Uint8Array(FILE_NONCE_BYTES)))
    : undefined;
  const whole = new WholeHash();
  const list = new Uint8Array(parts * HASH_BYTES);
  for (let part = 0; part < parts; part++) {
    const start = part * chunk;
    const plain = new Uint8Array(
      await blob.slice(start, Math.min(size, start + chunk)).arrayBuffer(),
    );
    if (plain.length !== Math.min(chunk, size - start)) {
      throw new Error('The file changed or could not be read while it was being prepared.');
    }
    // WebCrypto seals and hashes off the main thread while the whole-file hash runs on it.
    const storing =
      opts.seal && nonce !== undefined
        ? sealChunk(opts.seal.key, nonce, part, plain)
        : Promise.resolve(plain);
    const hashing = storing.then(sha256);
    whole.update(plain);
    const [stored, digest] = await Promise.all([storing, hashing]);
    list.set(digest, part * HASH_BYTES);
    await opts.onChunk(part, stored);
  }
  const manifest: Manifest = {
    name: safeFileName(opts.name),
    size,
    type: cleanMime(opts.type),
    sha256: whole.digest(),
    chunk,
    list: toBase64Url(await sha256(list)),
    ...(parts <= MAX_INLINE_PARTS ? { hashes: toBase64Url(list) } : {}),
    ...(opts.seal ? { sealed: opts.seal.kid, nonce } : {}),
    ...(opts.thumb ? { thumb: opts.thumb } : {}),
    ...(opts.w !== undefined ? { w: opts.w } : {}),
    ...(opts.h !== undefined ? { h: opts.h } : {}),
  };
  // What we sign must be what every member accepts: a bad thumbnail or size fails here.
  const checked = v.safeParse(ManifestSchema, manifest);
  if (!checked.success)
    throw new Error(`Could not describe the file: ${checked.issues[0].message}`);
  return { manifest: checked.output, list };
}

/**
 * The hash list carried inline in `m.hashes`, when there is one and it hashes to `m.list`;
 * undefined otherwise (then it is part -1, fetched and checked with {@link checkList}).
 * Synchronous: the SHA-256 of at most 2 KiB is computed here, not by WebCrypto.
 */
export function inlineList(m: Manifest): Uint8Array | undefined {
  if (m.hashes === undefined) return undefined;
  const list = fromBase64Url(m.hashes);
  if (!list || list.length !== partsOf(m) * HASH_BYTES) return undefined;
  return toBase64Url(nobleSha256(list)) === m.list ? list : undefined;
}

/** Whether `list` is the hash list of `m`: one hash per chunk, hashing to `m.list`. */
export async function checkList(m: Manifest, list: Uint8Array): Promise<boolean> {
  if (list.length !== partsOf(m) * HASH_BYTES) return false;
  return toBase64Url(await sha256(list)) === m.list;
}

/** Bytes of plaintext in part `part` of `m` (every chunk `m.chunk`, the last the rest). */
export function plainBytesOf(m: Manifest, part: number): number {
  return Math.min(m.chunk, m.size - part * m.chunk);
}

/** Bytes part `part` of `m` has as stored and sent (plaintext, plus the seal when sealed). */
export function storedBytesOf(m: Manifest, part: number): number {
  return plainBytesOf(m, part) + (m.sealed !== undefined ? SEAL_OVERHEAD : 0);
}

/**
 * Whether `bytes` is part `part` of `m`, whose checked hash list is `list`: a part in range,
 * of the right length, whose SHA-256 is the list's entry for it.
 */
export async function checkChunk(
  m: Manifest,
  list: Uint8Array,
  part: number,
  bytes: Uint8Array,
): Promise<boolean> {
  const parts = partsOf(m);
  if (!Number.isInteger(part) || part < 0 || part >= parts) return false;
  if (list.length !== parts * HASH_BYTES || bytes.length !== storedBytesOf(m, part)) return false;
  const digest = await sha256(bytes);
  const want = list.subarray(part * HASH_BYTES, (part + 1) * HASH_BYTES);
  let diff = 0;
  for (let i = 0; i < HASH_BYTES; i++) diff |= digest[i]! ^ want[i]!;
  return diff === 0;
}
