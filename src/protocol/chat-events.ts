/**
 * Parley's wire protocol: the app events every transport carries, declared once with valibot
 * schemas. The browser validates every incoming payload with them; the server (signaling/)
 * imports the same schemas to validate what it relays.
 */
import * as v from 'valibot';
import {
  IdSchema,
  PublicKeySchema,
  RoomNameSchema,
  SignatureSchema,
  TimeSchema,
  UserNameSchema,
} from './fields.js';
import { MAX_TEXT } from './limits.js';
import { SEALED } from './room-key.js';

/**
 * Everything of a message but its body. `from.key` is the author's public key and `from.id`
 * its hash; `sig` is the author's signature over every field (see `signed-envelope.ts`), so an
 * envelope can be checked on its own, wherever it comes from.
 */
const envelopeEntries = {
  id: IdSchema,
  room: RoomNameSchema,
  from: v.strictObject({ id: IdSchema, name: UserNameSchema, key: PublicKeySchema }),
  ts: TimeSchema,
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
  sig: SignatureSchema,
};

/**
 * The envelope as the relay checks it: everything but the body, which the server never reads
 * (in an encrypted room it is ciphertext); the size cap bounds it.
 */
export const WireEnvelopeSchema = v.strictObject({
  ...envelopeEntries,
  body: v.looseObject({}),
});

/** Body of a chat message, in the clear. */
export const ChatBodySchema = v.strictObject({
  text: v.pipe(
    v.string(),
    v.minLength(1, 'a message cannot be empty'),
    v.maxLength(MAX_TEXT, `a message has at most ${MAX_TEXT} characters`),
  ),
});
/** Body of a chat message, in the clear. */
export type ChatBody = v.InferOutput<typeof ChatBodySchema>;

/**
 * Body of a message in an encrypted room: AES-256-GCM of the clear body (see `room-key.ts`).
 * The ciphertext of the longest text (8,000 characters of 3 UTF-8 bytes) is about 32,100
 * characters of base64url.
 */
export const SealedBodySchema = v.strictObject({
  enc: v.literal(SEALED),
  iv: v.pipe(v.string(), v.length(16)),
  ct: v.pipe(v.string(), v.minLength(22), v.maxLength(33_000)),
});

/** A chat message as clients check it, body included (clear or sealed). */
export const EnvelopeSchema = v.strictObject({
  ...envelopeEntries,
  body: v.union([ChatBodySchema, SealedBodySchema]),
});

/** One chat message on the wire, signed by its author; its body clear or sealed. */
export type Envelope = v.InferOutput<typeof EnvelopeSchema>;

/** Most messages one sync answer frame carries. */
export const SYNC_PAGE = 200;
/** Most messages one sync request may ask for (a newcomer asks for the recent history). */
export const MAX_SYNC_LIMIT = 2000;
/** Most ids one acknowledgement carries. */
export const MAX_ACK_IDS = 200;

/**
 * "Send me the newest `limit` messages of `room` from `since` on" (ms; the asker's newest
 * message minus some slack, or 0 for a newcomer).
 */
export const SyncRequestSchema = v.strictObject({
  room: RoomNameSchema,
  since: TimeSchema,
  limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_SYNC_LIMIT)),
});
/** A request for missed messages. */
export type SyncRequest = v.InferOutput<typeof SyncRequestSchema>;

/** One page of an answer to a sync request, oldest first. */
export const SyncResponseSchema = v.strictObject({
  room: RoomNameSchema,
  messages: v.pipe(v.array(EnvelopeSchema), v.maxLength(SYNC_PAGE)),
});
/** An answer to a sync request. */
export type SyncResponse = v.InferOutput<typeof SyncResponseSchema>;

/** Receipt for messages stored by member `by` (an account id). */
export const AckSchema = v.strictObject({
  room: RoomNameSchema,
  by: IdSchema,
  ids: v.pipe(v.array(IdSchema), v.minLength(1), v.maxLength(MAX_ACK_IDS)),
});
/** A receipt. */
export type Ack = v.InferOutput<typeof AckSchema>;

/** "I am (not) typing" in `room`. */
export const TypingSchema = v.strictObject({
  room: RoomNameSchema,
  userId: IdSchema,
  name: UserNameSchema,
  typing: v.boolean(),
});
/** A typing notice. */
export type Typing = v.InferOutput<typeof TypingSchema>;

const WireSyncResponseSchema = v.strictObject({
  room: RoomNameSchema,
  messages: v.pipe(v.array(WireEnvelopeSchema), v.maxLength(SYNC_PAGE)),
});

/** The app events, as listener signatures (the transport adds an `EventMeta` when delivering). */
// A type alias (not an interface) so it satisfies `EventsMap`'s index signature.
export type ChatEvents = {
  /** A new message for the room. */
  'chat:message': (env: Envelope) => void;
  /** Ask the others for messages we may have missed (after a join or a switch). */
  'chat:sync-req': (req: SyncRequest) => void;
  /** Answer to a sync request, sent to the asker only. */
  'chat:sync-res': (res: SyncResponse) => void;
  /** Receipt for messages, sent to their sender only. */
  'chat:ack': (ack: Ack) => void;
  /** Someone started or stopped typing. */
  'chat:typing': (typing: Typing) => void;
};

/** The app event names the relay accepts, each with the schema of its argument list. */
export const relayedEventSchemas = {
  'chat:message': v.strictTuple([WireEnvelopeSchema]),
  'chat:sync-req': v.strictTuple([SyncRequestSchema]),
  'chat:sync-res': v.strictTuple([WireSyncResponseSchema]),
  'chat:ack': v.strictTuple([AckSchema]),
  'chat:typing': v.strictTuple([TypingSchema]),
} as const;

/** Names of relayed app events. */
export type RelayedEvent = keyof typeof relayedEventSchemas;

/** Whether `name` is an app event the relay carries. */
export function isRelayedEvent(name: unknown): name is RelayedEvent {
  return typeof name === 'string' && Object.hasOwn(relayedEventSchemas, name);
}

/**
 * Whether `args` is a well-formed argument list of app event `ev`, as the relay checks it:
 * exactly the arguments the event takes (so none can pose as the meta a transport appends),
 * each of the right shape. What a client accepts from any transport (`TransportOptions.accept`).
 */
export function isWellFormed(ev: string, args: readonly unknown[]): boolean {
  return isRelayedEvent(ev) && v.is(relayedEventSchemas[ev], args);
}
