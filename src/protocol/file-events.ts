/**
 * How a file's bytes move (protocol 1.2). A member who wants a file asks the room who holds it
 * (`file:who`); holders answer the asker (`file:have`) with the parts they hold; the asker
 * requests parts from one holder at a time (`file:want`) and the holder sends each as a binary
 * chunk frame: a small head ({@link ChunkHead}) beside raw bytes — never base64 in JSON. Chunks
 * are content-addressed (checked against the signed manifest's hashes), so they are not signed
 * envelopes and do not count against an author's message budget; what a member may make us send
 * or hold is bounded by the byte budget of the link (see `Transport.byteBudget`).
 */
import * as v from 'valibot';
import { RoomNameSchema } from './fields.js';
import { HashSchema, LIST_PART, MAX_FILE_CEILING, MIN_CHUNK_BYTES } from './file-manifest.js';

/**
 * Default byte budget of binary chunk frames (files), per member and direction, when no server
 * announced its own: bytes per second and most bytes at once. Apart from the frame budget, so
 * a file never slows chat messages, receipts or typing notices. 32 MiB/s: a relay moving a
 * file at the default budget keeps at least half the pace raw Socket.IO reaches on one machine
 * (`bench/relay-bytes.ts`), while one connection stays a bounded share of a server's link; an
 * operator with less to spare sets `PARLEY_BYTES_RATE` and `PARLEY_BYTES_BURST`.
 */
export const DEFAULT_BYTE_BUDGET = { rate: 32 * 1024 * 1024, burst: 8 * 1024 * 1024 } as const;

/** Highest part number of any file this version fetches. */
export const MAX_PART = Math.ceil(MAX_FILE_CEILING / MIN_CHUNK_BYTES) - 1;
/** Most files one `file:who` names. */
export const MAX_WHO_FILES = 32;
/** Most parts one `file:want` asks for (the requester keeps this many in flight per holder). */
export const MAX_WANT_PARTS = 64;
/** Most ranges one `file:have` lists. */
export const MAX_HAVE_RANGES = 64;
/**
 * The largest chunk frame's bytes: a 64 KiB chunk sealed (a 12-byte IV and a 16-byte tag) with
 * room to spare, and a hash list of 2,048 hashes.
 */
export const MAX_CHUNK_FRAME = 64 * 1024 + 256;

const Part = v.pipe(v.number(), v.integer(), v.minValue(LIST_PART), v.maxValue(MAX_PART));

/** "Who holds these files?" — to everyone in the room. */
export const FileWhoSchema = v.object({
  room: RoomNameSchema,
  files: v.pipe(v.array(HashSchema), v.minLength(1), v.maxLength(MAX_WHO_FILES)),
});
/** A question for holders. */
export type FileWho = v.InferOutput<typeof FileWhoSchema>;

/**
 * "I hold these parts of `file`" — to the asker only (or to everyone, when a file was just
 * finished): `all`, or half-open ranges `[from, to)` of part numbers; `list` when the hash list
 * is held too (always, with `all`).
 */
export const FileHaveSchema = v.object({
  room: RoomNameSchema,
  file: HashSchema,
  all: v.optional(v.literal(true)),
  list: v.optional(v.literal(true)),
  ranges: v.optional(v.pipe(v.array(v.strictTuple([Part, Part])), v.maxLength(MAX_HAVE_RANGES))),
});
/** A holder's answer. */
export type FileHave = v.InferOutput<typeof FileHaveSchema>;

/** "Send me these parts of `file`" — to one holder. */
export const FileWantSchema = v.object({
  room: RoomNameSchema,
  file: HashSchema,
  parts: v.pipe(v.array(Part), v.minLength(1), v.maxLength(MAX_WANT_PARTS)),
});
/** A request for parts. */
export type FileWant = v.InferOutput<typeof FileWantSchema>;

/** The head of a binary chunk frame: which room, file and part the bytes beside it are. */
export const ChunkHeadSchema = v.strictObject({
  room: RoomNameSchema,
  file: HashSchema,
  part: Part,
});
/** The head of a binary chunk frame. */
export type ChunkHead = v.InferOutput<typeof ChunkHeadSchema>;

/** The head in `value` if it is a well-formed one. */
export function readChunkHead(value: unknown): ChunkHead | undefined {
  const parsed = v.safeParse(ChunkHeadSchema, value);
  return parsed.success ? parsed.output : undefined;
}

/** The file events with the schema of each one's argument list (see `chat-events.ts`). */
export const fileEventSchemas = {
  'file:who': v.strictTuple([FileWhoSchema]),
  'file:have': v.strictTuple([FileHaveSchema]),
  'file:want': v.strictTuple([FileWantSchema]),
} as const;

/** Whether `args` is a well-formed argument list of file event `ev`. */
export function isWellFormedFileEvent(ev: string, args: readonly unknown[]): boolean {
  return (
    Object.hasOwn(fileEventSchemas, ev) &&
    v.is(fileEventSchemas[ev as keyof typeof fileEventSchemas], args)
  );
}
