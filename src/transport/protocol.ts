/**
 * Parley's wire protocol: the app events every transport carries, declared once with valibot
 * schemas. The browser validates every incoming payload with them; the server (signaling/)
 * imports the same schemas to validate what it relays.
 */
import * as v from 'valibot';

/** Longest message text, in UTF-16 code units; keeps any envelope well under 64 KiB. */
export const MAX_TEXT = 8000;
/** Longest display name. */
export const MAX_NAME = 32;
/** Longest room name. */
export const MAX_ROOM = 64;
/** Longest id (message, user, peer). */
export const MAX_ID = 64;

/** Room names: 1–64 letters, digits, `_`, `.` or `-`, starting with a letter or digit. */
export const RoomNameSchema = v.pipe(
  v.string('a room name must be text'),
  v.minLength(1, 'a room needs a name'),
  v.maxLength(MAX_ROOM, `a room name has at most ${MAX_ROOM} characters`),
  v.regex(
    /^[\p{L}\p{N}][\p{L}\p{N}_.-]*$/u,
    'a room name uses letters, digits, "_", "." or "-" and starts with a letter or digit',
  ),
);

/** User names: 2–32 letters, digits, spaces, `_`, `.` or `-`, no space at either end. */
export const UserNameSchema = v.pipe(
  v.string('a name must be text'),
  v.minLength(2, 'a name has at least 2 characters'),
  v.maxLength(MAX_NAME, `a name has at most ${MAX_NAME} characters`),
  v.regex(
    /^[\p{L}\p{N}_.-](?:[\p{L}\p{N} _.-]*[\p{L}\p{N}_.-])?$/u,
    'a name uses letters, digits, spaces, "_", "." or "-" (no space at either end)',
  ),
);

const IdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID));
const TimeSchema = v.pipe(v.number(), v.integer(), v.minValue(0));

/** Who we are on the wire: account id and display name. */
export const PeerProfileSchema = v.strictObject({
  userId: IdSchema,
  name: UserNameSchema,
  p2p: v.optional(v.boolean()),
});

const envelopeEntries = {
  id: IdSchema,
  room: RoomNameSchema,
  from: v.strictObject({ id: IdSchema, name: UserNameSchema }),
  ts: TimeSchema,
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
};

/**
 * The envelope as the relay checks it: everything but the body, which the server never reads
 * (later it is ciphertext); the size cap bounds it.
 */
export const WireEnvelopeSchema = v.strictObject({
  ...envelopeEntries,
  body: v.looseObject({}),
});

/** Body of a chat message. */
export const ChatBodySchema = v.strictObject({
  text: v.pipe(
    v.string(),
    v.minLength(1, 'a message cannot be empty'),
    v.maxLength(MAX_TEXT, `a message has at most ${MAX_TEXT} characters`),
  ),
});

/** A chat message as clients check it, body included. */
export const EnvelopeSchema = v.strictObject({ ...envelopeEntries, body: ChatBodySchema });

/** One chat message on the wire. */
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

/** First validation problem of a failed parse, as one readable line (`path: message`). */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0];
  if (!first) return 'invalid value';
  const path = v.getDotPath(first);
  return path ? `${path}: ${first.message}` : first.message;
}
