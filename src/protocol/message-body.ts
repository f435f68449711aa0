/**
 * What a message's body may be, and how a member reads one. The body is the protocol's
 * extension point: its author signs it whole, so whatever a newer version puts in it (a new
 * kind of message, an optional field) is covered by the signature, stored as received and
 * passed on unchanged in catch-up. A member reads what it knows and keeps the rest:
 * - `{ text }` (`kind` absent or `"text"`): a chat message; other fields are ignored;
 * - `{ enc: "aes-256-gcm/1", iv, ct }`: sealed under the room's key; it opens to a body;
 * - `{ kind: "<other>" , … }` or `{ enc: "<other scheme>", … }`: a kind this version does not
 *   know — kept, passed on, shown as one quiet line, never a reason to refuse anything else.
 */
import * as v from 'valibot';
import { IdSchema } from './fields.js';
import { MAX_TEXT } from './limits.js';
import { KID_LENGTH, open, SEALED, type SealedBody } from './room-key.js';
import { sealingHeader, type EnvelopeHeader } from './signed-envelope.js';

/** Longest kind name. */
export const MAX_KIND = 32;

/** The text of a chat message: 1–8,000 UTF-16 code units. */
export const TextSchema = v.pipe(
  v.string(),
  v.minLength(1, 'a message cannot be empty'),
  v.maxLength(MAX_TEXT, `a message has at most ${MAX_TEXT} characters`),
);

/** A chat message's body in the clear; fields this version does not know are kept. */
export const TextBodySchema = v.looseObject({
  kind: v.optional(v.literal('text')),
  text: TextSchema,
});

/**
 * A sealed body (AES-256-GCM, see `room-key.ts`); its size is bounded by the payload cap of
 * the frame that carries it, not here, so the longest legal text always fits (see limits.ts).
 */
export const SealedBodySchema = v.looseObject({
  enc: v.literal(SEALED),
  kid: v.optional(v.pipe(v.string(), v.length(KID_LENGTH), v.regex(/^[A-Za-z0-9_-]*$/))),
  iv: v.pipe(v.string(), v.length(16)),
  ct: v.pipe(v.string(), v.minLength(22), v.regex(/^[A-Za-z0-9_-]*$/)),
});

const KindSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_KIND));

/** A body of a kind this version does not know (a newer minor's), kept as it is. */
export const OtherKindBodySchema = v.looseObject({
  kind: v.pipe(
    KindSchema,
    v.check((k) => k !== 'text'),
  ),
});

/** A body sealed by a scheme this version does not know, kept as it is. */
export const OtherSealedBodySchema = v.looseObject({
  enc: v.pipe(
    KindSchema,
    v.check((e) => e !== SEALED),
  ),
});

/**
 * Any body a member keeps: a text, a sealed body, or a kind it does not know. A body that
 * claims to be a text or a sealed body of ours but breaks their rules is malformed.
 */
export const BodySchema = v.union([
  SealedBodySchema,
  OtherSealedBodySchema,
  OtherKindBodySchema,
  TextBodySchema,
]);

/** The body of a chat message we compose: exactly `{ text }`. */
export const ChatBodySchema = v.strictObject({ text: TextSchema });
/** The body of a chat message we compose. */
export type ChatBody = v.InferOutput<typeof ChatBodySchema>;

/** A body of a kind this version does not know, or with fields it does not know. */
export type OtherBody = { readonly [field: string]: unknown };

/** A body as it travels: a text, a sealed body, or one this version reads only as a kind. */
export type Body = ChatBody | SealedBody | OtherBody;

/** What a body is, to a member of this version. */
export type ReadBody =
  | { kind: 'text'; text: string }
  | { kind: 'sealed'; sealed: SealedBody }
  | { kind: 'unknown'; name: string };

/** What `body` (any value) is to this version; undefined when it is not a body at all. */
export function readBody(body: unknown): ReadBody | undefined {
  const parsed = v.safeParse(BodySchema, body);
  if (!parsed.success) return undefined;
  const b = parsed.output as Record<string, unknown>;
  if (b.enc === SEALED) return { kind: 'sealed', sealed: b as unknown as SealedBody };
  if (typeof b.enc === 'string') return { kind: 'unknown', name: `sealed:${b.enc}` };
  if (typeof b.kind === 'string' && b.kind !== 'text') return { kind: 'unknown', name: b.kind };
  return { kind: 'text', text: b.text as string };
}

/**
 * What the plaintext inside a sealed body is: a text or a kind this version does not know
 * (never another sealed body); undefined when it is neither.
 */
export function readOpened(inner: unknown): Exclude<ReadBody, { kind: 'sealed' }> | undefined {
  const read = readBody(inner);
  if (!read || read.kind === 'sealed') return undefined;
  return read.kind === 'unknown' && read.name.startsWith('sealed:') ? undefined : read;
}

/** What a message says, to a member of this version. */
export interface MessageReading {
  /** `text` for a chat message, else the name of a kind this version does not know. */
  kind: string;
  /** The text of a chat message. */
  text?: string;
  /** Whether it travelled sealed (and one of the keys opened it). */
  sealed: boolean;
  /** The identifier of the key that sealed it, when its author named it (protocol 1.1). */
  kid?: string;
  /** The body as read (opened, if it was sealed): what a kind other than text carries. */
  body?: OtherBody;
  /** The message a chat message answers, when its body names one (a reply, protocol 1.3). */
  reply?: string;
}

/** The id a chat message's body answers (`reply`, protocol 1.3), when it names a well-formed one. */
export function replyOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const reply = (body as { reply?: unknown }).reply;
  return v.is(IdSchema, reply) ? reply : undefined;
}

/** `{ reply }` when the body answers a message, else nothing. */
function replyField(body: unknown): { reply?: string } {
  const reply = replyOf(body);
  return reply === undefined ? {} : { reply };
}

/** A key to open sealed bodies with: a bare key (tried on every body) or one with its id. */
export type OpeningKey = CryptoKey | { key: CryptoKey; kid?: string };

/** The keys to try on a body sealed under `kid`: the one it names first, then the others. */
function keysFor(keys: readonly OpeningKey[], kid: string | undefined): CryptoKey[] {
  const named = (k: OpeningKey) => !(k instanceof CryptoKey) && k.kid === kid;
  const ordered =
    kid === undefined ? keys : [...keys.filter(named), ...keys.filter((k) => !named(k))];
  return ordered.map((k) => (k instanceof CryptoKey ? k : k.key));
}

/**
 * What message `env` says: its text, in the clear or opened with one of `keys` (then
 * `sealed`), or the name of a kind this version does not know (in the clear or inside the
 * seal); undefined when no key opens it, or it is not a body at all. A sealed body that names
 * its key is tried with that key first (a wrong key fails at once: AES-GCM's tag).
 * The browser and the Node client read messages with this one function.
 */
export async function readMessage(
  env: EnvelopeHeader & { body: unknown },
  keys: readonly OpeningKey[],
): Promise<MessageReading | undefined> {
  const read = readBody(env.body);
  if (!read) return undefined;
  if (read.kind === 'text')
    return { kind: 'text', text: read.text, sealed: false, ...replyField(env.body) };
  if (read.kind === 'unknown')
    return { kind: read.name, sealed: false, body: env.body as OtherBody };
  const header = sealingHeader(env);
  const kid = read.sealed.kid;
  const named = kid === undefined ? {} : { kid };
  for (const key of keysFor(keys, kid)) {
    const opened = await open(key, header, read.sealed);
    const inner = readOpened(opened);
    if (inner?.kind === 'text')
      return { kind: 'text', text: inner.text, sealed: true, ...named, ...replyField(opened) };
    if (inner) return { kind: inner.name, sealed: true, ...named, body: opened as OtherBody };
  }
  return undefined;
}
