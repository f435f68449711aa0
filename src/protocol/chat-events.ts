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
import { BodySchema, type Body } from './message-body.js';
import type { FileHave, FileWant, FileWho } from './file-events.js';

export type { Body, ChatBody } from './message-body.js';
export { ChatBodySchema } from './message-body.js';

/**
 * Everything of a message but its body. `from.key` is the author's public key and `from.id`
 * its hash; `sig` is the author's signature over every field (see `signed-envelope.ts`), so an
 * envelope can be checked on its own, wherever it comes from. These fields are fixed in major
 * version 1: fields an envelope carries besides them are dropped unread (never signed, stored
 * or passed on) — whatever a newer minor adds to a message goes in its body (`message-body.ts`).
 */
const envelopeEntries = {
  id: IdSchema,
  room: RoomNameSchema,
  from: v.object({ id: IdSchema, name: UserNameSchema, key: PublicKeySchema }),
  ts: TimeSchema,
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
  sig: SignatureSchema,
};

/**
 * The envelope as the relay checks it: everything but the body, which the server never reads
 * (in an encrypted room it is ciphertext); the size cap bounds it.
 */
export const WireEnvelopeSchema = v.object({
  ...envelopeEntries,
  body: v.looseObject({}),
});

/**
 * A chat message as members check it, body included: a text, a sealed body, or a kind this
 * version does not know (see `message-body.ts`), which is kept like any other.
 */
export const EnvelopeSchema = v.object({
  ...envelopeEntries,
  body: BodySchema,
});

/** One chat message on the wire, signed by its author; its body clear, sealed or of another kind. */
export type Envelope = Omit<v.InferOutput<typeof EnvelopeSchema>, 'body'> & { body: Body };

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
export const SyncRequestSchema = v.object({
  room: RoomNameSchema,
  since: TimeSchema,
  limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_SYNC_LIMIT)),
});
/** A request for missed messages. */
export type SyncRequest = v.InferOutput<typeof SyncRequestSchema>;

/**
 * One page of an answer to a sync request, oldest first. The page is checked as a page only:
 * each message in it is checked on its own by whoever takes it in, so one message this version
 * cannot read never costs the others (see `controllers/room/intake.ts`).
 */
export const SyncResponseSchema = v.object({
  room: RoomNameSchema,
  messages: v.pipe(v.array(v.unknown()), v.maxLength(SYNC_PAGE)),
});
/** An answer to a sync request, as sent. */
export interface SyncResponse {
  room: string;
  messages: Envelope[];
}

/**
 * Receipt for messages stored by member `by` (an account id). Since 1.1, `unread` lists those
 * of `ids` that no key of the member opens: they reached it, but it cannot read them, and the
 * sender says so instead of "delivered". A 1.0 member sends no `unread` and ignores it.
 *
 * Since 1.4 a receipt is signed by `by` (`key` is its public key, `sig` the signature; see
 * `signed-notices.ts`): only a signed receipt makes a message *delivered*, so a relay that
 * swallowed a message cannot answer for the member it never reached. An unsigned one (an older
 * member's) only ends resends. A 1.3 member drops both fields unread.
 */
export const AckSchema = v.object({
  room: RoomNameSchema,
  by: IdSchema,
  ids: v.pipe(v.array(IdSchema), v.minLength(1), v.maxLength(MAX_ACK_IDS)),
  unread: v.optional(v.pipe(v.array(IdSchema), v.maxLength(MAX_ACK_IDS))),
  key: v.optional(PublicKeySchema),
  sig: v.optional(SignatureSchema),
});
/** A receipt. */
export type Ack = v.InferOutput<typeof AckSchema>;

/**
 * "I am (not) typing" in `room`. Since 1.4 signed by `userId` at `at` (its clock; see
 * `signed-notices.ts`): a notice is believed only when signed by a member whose own signed
 * hello says it is here, and newer than the last one heard from it.
 */
export const TypingSchema = v.object({
  room: RoomNameSchema,
  userId: IdSchema,
  name: UserNameSchema,
  typing: v.boolean(),
  at: v.optional(TimeSchema),
  sig: v.optional(SignatureSchema),
});
/** A typing notice. */
export type Typing = v.InferOutput<typeof TypingSchema>;

/**
 * 1.4: a member's own, signed word that connection `peer` is it and is in `room` at `at` (its
 * clock) — sent to the room when a link opens and every half minute, and to each member who
 * joins. A member counts as here only while such a hello is fresh: the relay may say someone
 * left, never that someone is here (see `signed-notices.ts`).
 */
export const HereSchema = v.object({
  room: RoomNameSchema,
  peer: IdSchema,
  userId: IdSchema,
  name: UserNameSchema,
  key: PublicKeySchema,
  at: TimeSchema,
  sig: SignatureSchema,
});
/** A signed hello or heartbeat. */
export type Here = v.InferOutput<typeof HereSchema>;

/**
 * A round-trip probe between two members (Connection details): `n` is the asker's number,
 * echoed in a `chat:pong` to the asker only.
 */
export const PingSchema = v.object({
  room: RoomNameSchema,
  n: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 31)),
});
/** A round-trip probe, or its answer. */
export type Ping = v.InferOutput<typeof PingSchema>;

const WireSyncResponseSchema = v.object({
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
  /** A member says, signed, that it is here (1.4): its hello and heartbeat. */
  'chat:here': (here: Here) => void;
  /** A member measures its round trip to us: answer with `chat:pong` to it only. */
  'chat:ping': (ping: Ping) => void;
  /** The answer to our `chat:ping`. */
  'chat:pong': (pong: Ping) => void;
  /** Who holds these files? (1.2; see `file-events.ts`) */
  'file:who': (who: FileWho) => void;
  /** Which parts of a file a member holds, to the asker (1.2). */
  'file:have': (have: FileHave) => void;
  /** Send me these parts of a file, to one holder (1.2); answered with binary chunk frames. */
  'file:want': (want: FileWant) => void;
};

/** The app event names the relay accepts, each with the schema of its argument list. */
export const relayedEventSchemas = {
  'chat:message': v.strictTuple([WireEnvelopeSchema]),
  'chat:sync-req': v.strictTuple([SyncRequestSchema]),
  'chat:sync-res': v.strictTuple([WireSyncResponseSchema]),
  'chat:ack': v.strictTuple([AckSchema]),
  'chat:typing': v.strictTuple([TypingSchema]),
  'chat:here': v.strictTuple([HereSchema]),
  'chat:ping': v.strictTuple([PingSchema]),
  'chat:pong': v.strictTuple([PingSchema]),
} as const;

/**
 * The file events (1.2), relayed like the others; their schemas are `fileEventSchemas` in
 * `file-events.ts`, loaded by the files controller (not with the first download). The relay
 * checks them with `wire-events.ts`, which joins both tables.
 */
export const FILE_EVENTS = ['file:who', 'file:have', 'file:want'] as const;
/** Names of the file events. */
export type FileEvent = (typeof FILE_EVENTS)[number];

/** Names of relayed chat events (the file events are {@link FileEvent}). */
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
