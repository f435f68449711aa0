/**
 * A file in a room (protocol 1.2): a message whose body is `{ kind: "file", file, text? }`.
 * The body carries the file's **manifest** — its name, size and type, the SHA-256 of the whole
 * file, the size of its chunks and the SHA-256 of each chunk — and, for an image, a small
 * thumbnail. The author signs the body with the message (sealed in an encrypted room), so the
 * manifest cannot be changed on the way; the bytes themselves travel apart, as chunks any
 * member who holds them may serve (see `file-events.ts`), each checked against its hash.
 *
 * The file's **address** is `list`: the SHA-256 of its chunk hashes laid end to end (the "hash
 * list", 32 bytes per chunk). A short list travels in the manifest (`hashes`); a longer one is
 * part `-1` of the file, fetched like a chunk and checked against `list`. In an encrypted room
 * chunks are sealed before they are hashed (`sealed` names the key), so a member who holds a
 * copy but not the key can still serve it, and the relay sees ciphertext only. A sealed chunk
 * is its 12-byte IV then the AES-256-GCM ciphertext, with `parley-file/1|<nonce>|<part>` as
 * additional data (`nonce`: 16 random bytes of the file's own), so no chunk can stand in for
 * another part or another file.
 *
 * A 1.1 member reads this body as a kind it does not know: kept, passed on, one quiet line.
 */
import * as v from 'valibot';
import { KID_LENGTH } from './room-key.js';

/** The body kind of a file message. */
export const FILE_KIND = 'file';
/**
 * Bytes of file per chunk (the last one may be shorter): 64 KiB, the largest size every
 * browser's data channel takes in one message, and the fewest hashes, requests and IndexedDB
 * writes per megabyte (see `npm run bench -- files`).
 */
export const CHUNK_BYTES = 64 * 1024;
/** Smallest chunk size a manifest may name (a newer sender may choose another). */
export const MIN_CHUNK_BYTES = 16 * 1024;
/** Bytes one SHA-256 takes in the hash list. */
export const HASH_BYTES = 32;
/** Chunks whose hashes travel inside the manifest; a longer list is part -1 of the file. */
export const MAX_INLINE_PARTS = 64;
/**
 * The largest file this version makes or fetches: 128 MiB, so a hash list (2,048 hashes at
 * 64 KiB a chunk) is itself one chunk. A room's own limit is lower (see `DEFAULT_MAX_FILE`).
 */
export const MAX_FILE_CEILING = 128 * 1024 * 1024;
/** Default per-file limit of the chat element (`max-file-size`): 25 MiB. */
export const DEFAULT_MAX_FILE = 25 * 1024 * 1024;
/** Most bytes of a thumbnail (before base64url). */
export const MAX_THUMB_BYTES = 8 * 1024;
/** Longest file name kept, in characters (longer ones are cut, keeping the extension). */
export const MAX_FILE_NAME = 120;
/** Longest MIME type. */
export const MAX_MIME = 100;
/** The part number of the hash list. */
export const LIST_PART = -1;
/** Image types shown inline (decoded as images); every other type is offered as a download. */
export const PREVIEW_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
]);
/** Types a thumbnail may have. */
export const THUMB_TYPES = ['image/webp', 'image/jpeg'] as const;

const B64 = /^[A-Za-z0-9_-]*$/;
/** A SHA-256 as it travels: 43 base64url characters. */
export const HashSchema = v.pipe(v.string(), v.length(43), v.regex(B64));

/** A MIME type as a sender declares it: `type/subtype`, lower-case, no parameters. */
export const MimeSchema = v.pipe(
  v.string(),
  v.maxLength(MAX_MIME),
  v.regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/),
);

/** A thumbnail: a small WebP or JPEG, its bytes in base64url, and its size in pixels. */
export const ThumbSchema = v.object({
  type: v.picklist(THUMB_TYPES),
  data: v.pipe(
    v.string(),
    v.minLength(1),
    v.maxLength(Math.ceil((MAX_THUMB_BYTES * 4) / 3)),
    v.regex(B64),
  ),
  w: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(512)),
  h: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(512)),
});
/** A thumbnail. */
export type Thumb = v.InferOutput<typeof ThumbSchema>;

const Dimension = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000));

/** A file's manifest; see the module comment. Unknown fields are kept (a newer minor's). */
export const ManifestSchema = v.pipe(
  v.looseObject({
    name: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_FILE_NAME)),
    size: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_FILE_CEILING)),
    type: MimeSchema,
    sha256: HashSchema,
    chunk: v.pipe(v.number(), v.integer(), v.minValue(MIN_CHUNK_BYTES), v.maxValue(CHUNK_BYTES)),
    list: HashSchema,
    hashes: v.optional(
      v.pipe(
        v.string(),
        v.maxLength(Math.ceil((MAX_INLINE_PARTS * HASH_BYTES * 4) / 3)),
        v.regex(B64),
      ),
    ),
    sealed: v.optional(v.pipe(v.string(), v.length(KID_LENGTH), v.regex(B64))),
    nonce: v.optional(v.pipe(v.string(), v.length(22), v.regex(B64))),
    thumb: v.optional(ThumbSchema),
    w: v.optional(Dimension),
    h: v.optional(Dimension),
  }),
  v.check((m) => m.sealed === undefined || m.nonce !== undefined, 'a sealed file names its nonce'),
  v.check(
    (m) => partsOf(m) <= MAX_INLINE_PARTS || m.hashes === undefined,
    'a long hash list travels as part -1, not inline',
  ),
  v.check(
    (m) =>
      m.hashes === undefined || m.hashes.length === Math.ceil((partsOf(m) * HASH_BYTES * 4) / 3),
    'hashes: one SHA-256 per chunk',
  ),
);
/** A file's manifest. */
export type Manifest = v.InferOutput<typeof ManifestSchema>;

/** The body of a file message: the manifest, and an optional caption. */
export const FileBodySchema = v.looseObject({
  kind: v.literal(FILE_KIND),
  file: ManifestSchema,
  text: v.optional(v.pipe(v.string(), v.maxLength(2000))),
});
/** The body of a file message. */
export type FileBody = v.InferOutput<typeof FileBodySchema>;

/** How many chunks a file of `m.size` bytes has at `m.chunk` bytes a chunk. */
export function partsOf(m: { size: number; chunk: number }): number {
  return Math.ceil(m.size / m.chunk);
}

/** The file body in `body`, or undefined when it is not a well-formed one. */
export function readFileBody(body: unknown): FileBody | undefined {
  const parsed = v.safeParse(FileBodySchema, body);
  return parsed.success ? parsed.output : undefined;
}

/**
 * A file name safe to show and to save under: no path separators, control or bidirectional
 * characters, no leading dots, at most {@link MAX_FILE_NAME} characters (the extension kept).
 */
export function safeFileName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[/\\:*?"<>|]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  const base = cleaned || 'file';
  if (base.length <= MAX_FILE_NAME) return base;
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 && base.length - dot <= 16 ? base.slice(dot) : '';
  return base.slice(0, MAX_FILE_NAME - ext.length) + ext;
}
