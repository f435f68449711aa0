/**
 * The frames the Socket.IO relay speaks, shared by the browser (`src/transport/relay-link.ts`) and
 * the server (`signaling/relay.ts`) so both sides are typed from one declaration.
 */
import * as v from 'valibot';
import { IdSchema, RoomNameSchema, SignatureSchema, TimeSchema } from './fields.js';
import type { ChunkHead } from './file-events.js';
import { PeerHelloSchema, PeerProfileSchema, type PeerHello, type PeerProfile } from './peer.js';

/**
 * Random bytes in the secret a client sends in its handshake (`auth.key`, base64url); the
 * server derives the connection's peer id from it, see `signaling/peer-id.ts`.
 */
export const PEER_KEY_BYTES = 18;

/**
 * What each `relay:bytes` frame costs against the byte budget beyond its bytes (both the relay
 * and a pacing client count it): a flood of tiny chunks is not free.
 */
export const CHUNK_FRAME_COST = 512;

/** Why the relay refused something; sent to the offending client only. */
export const RelayErrorCodes = [
  'malformed',
  'unknown-event',
  'too-large',
  'not-joined',
  'wrong-room',
  'invalid-room',
  'unknown-peer',
  'too-many',
  'room-full',
  'unproven',
  'rate-limited',
  'shutting-down',
  'incompatible',
] as const;
/** One of {@link RelayErrorCodes}. */
export type RelayErrorCode = (typeof RelayErrorCodes)[number];

/** An error report from the relay. `event` names the frame it refers to. */
export interface RelayError {
  code: RelayErrorCode;
  message: string;
  event?: string;
}

/**
 * The join request: which room, who we are, the proof that we hold the identity key we
 * announce (see `join-proof.ts`; the relay refuses a join without one) and the protocol
 * version we speak (see `version.ts`; none means a client from before versioning). Fields this
 * version does not know are ignored (a newer minor may add some), within the frame's size cap.
 */
export const JoinRequestSchema = v.object({
  room: RoomNameSchema,
  me: PeerProfileSchema,
  proof: v.optional(SignatureSchema),
  v: v.optional(v.pipe(v.string(), v.maxLength(16))),
});

/**
 * Reply to a join: our peer id and the members already there, or an error; both name the
 * server's protocol version (`v`), so a client can tell an incompatible server apart.
 */
export type JoinReply =
  | {
      ok: true;
      /** The server's protocol version, `major.minor`. */
      v?: string;
      selfId: string;
      since: number;
      peers: PeerHello[];
      /** Set when we asked for direct links but the room's mesh is at its cap. */
      meshFull?: { cap: number };
      /**
       * The server's limits, so an honest client can pace itself under them: its frame rate
       * limit and payload cap, the byte budget of chunk frames (bytes per second, burst) and
       * the largest file its rooms carry.
       */
      limits?: {
        rate: number;
        burst: number;
        maxPayload: number;
        bytes?: { rate: number; burst: number };
        maxFile?: number;
      };
    }
  | { ok: false; v?: string; error: RelayError };

/** Why the relay refused something, as it travels. */
export const RelayErrorSchema = v.object({
  code: v.string(),
  message: v.pipe(v.string(), v.maxLength(1000)),
  event: v.optional(v.string()),
});

/** A byte budget a server announces, within reason: 1 KiB/s–1 GiB/s, a burst of 64 KiB–1 GiB. */
export const AnnouncedBytesSchema = v.object({
  rate: v.pipe(v.number(), v.integer(), v.minValue(1024), v.maxValue(2 ** 30)),
  burst: v.pipe(v.number(), v.integer(), v.minValue(64 * 1024), v.maxValue(2 ** 30)),
});

/**
 * The limits a server announces at join, within reason: a cap of 1 KiB–16 MiB, rates from 1;
 * a byte budget or file cap out of reason is ignored alone (a server before files names none).
 */
export const AnnouncedLimitsSchema = v.object({
  rate: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1e6)),
  burst: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1e6)),
  maxPayload: v.pipe(v.number(), v.integer(), v.minValue(1024), v.maxValue(16 * 1024 * 1024)),
  bytes: v.fallback(v.optional(AnnouncedBytesSchema), undefined),
  maxFile: v.fallback(
    v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(2 ** 40))),
    undefined,
  ),
});

/**
 * A join reply as a client reads it: the server's version first (`compatible` decides, before
 * anything else is looked at); the limits it announces, within reason (a cap from 1 KiB to
 * 16 MiB, rates from 1), else ignored; fields this version does not know are dropped.
 */
export const JoinReplySchema = v.variant('ok', [
  v.object({
    ok: v.literal(true),
    v: v.optional(v.string()),
    selfId: IdSchema,
    since: TimeSchema,
    peers: v.array(v.unknown()),
    meshFull: v.optional(v.object({ cap: v.pipe(v.number(), v.integer(), v.minValue(0)) })),
    // Limits out of reason are ignored (the defaults stay), not a reason to refuse the reply.
    limits: v.fallback(v.optional(AnnouncedLimitsSchema), undefined),
  }),
  v.object({ ok: v.literal(false), v: v.optional(v.string()), error: RelayErrorSchema }),
]);

/**
 * What a WebRTC signal may be: an SDP offer or answer (with its sender's signature, see
 * `src/transport/signed-signal.ts`), or one ICE candidate. Renegotiation and transceiver
 * requests are not signals of this protocol: Parley opens one data channel per pair and never
 * adds tracks, and neither the server nor the clients carry or apply them.
 */
export const SignalSchema = v.union([
  v.strictObject({
    type: v.picklist(['offer', 'answer', 'pranswer', 'rollback']),
    sdp: v.optional(v.string()),
    sig: v.optional(v.pipe(v.string(), v.maxLength(256))),
  }),
  v.strictObject({
    type: v.literal('candidate'),
    candidate: v.looseObject({ candidate: v.string() }),
  }),
]);

/**
 * One change in a room's membership: a member joined (its hello), or a member left — `since`
 * is the time of the join it ends, so a late leave cannot remove the same member's newer join.
 */
export type PresenceChange = { join: PeerHello } | { leave: string; since: number };

/** At most this many changes travel in one `relay:presence` frame. */
export const PRESENCE_MAX_CHANGES = 256;

/** One membership change as it travels (see {@link PresenceChange}). */
export const PresenceChangeSchema = v.union([
  v.strictObject({ join: PeerHelloSchema }),
  v.strictObject({ leave: IdSchema, since: TimeSchema }),
]);

/**
 * The well-formed changes of a `relay:presence` frame, in order (a malformed entry is skipped,
 * not the frame; a frame that is not a list, or longer than the server ever sends, is nothing).
 */
export function parsePresence(changes: unknown): PresenceChange[] {
  if (!Array.isArray(changes) || changes.length > PRESENCE_MAX_CHANGES) return [];
  const valid: PresenceChange[] = [];
  for (const change of changes) {
    const parsed = v.safeParse(PresenceChangeSchema, change);
    if (parsed.success) valid.push(parsed.output);
  }
  return valid;
}

/** Frames from browser to relay. */
export interface RelayClientEvents {
  /**
   * Join a room (a connection may be in a few at once; joining one again refreshes how we are
   * introduced there); answered through the ack.
   */
  'relay:join': (
    req: { room: string; me: PeerProfile; proof?: string; v?: string },
    ack: (reply: JoinReply) => void,
  ) => void;
  /** Leave a room. */
  'relay:leave': (room: string) => void;
  /**
   * Broadcast an app event to the other members of the room its payload names (`args[0].room`),
   * except those listed.
   */
  'relay:emit': (event: string, args: unknown[], except?: string[]) => void;
  /** Send an app event to one member of the room its payload names. */
  'relay:to': (to: string, event: string, args: unknown[]) => void;
  /** WebRTC signaling (offer/answer/ICE) for one member of our room. */
  'signal:to': (to: string, data: unknown) => void;
  /** Asks the server for an immediate answer (its clock), to measure the round trip. */
  'relay:ping': (ack: (reply: { t: number }) => void) => void;
  /**
   * A binary chunk frame for one member of `head.room` (protocol 1.2): raw bytes as a
   * Socket.IO binary attachment, under the connection's byte budget, never the frame budget.
   */
  'relay:bytes': (to: string, head: ChunkHead, bytes: Uint8Array) => void;
}

/** Frames from relay to browser. */
export interface RelayServerEvents {
  /** An app event from another member; `from` is stamped by the server. */
  'relay:event': (from: string, event: string, args: unknown[]) => void;
  /**
   * Who joined and left `room` lately, in order: the server gathers a room's changes for a
   * moment and sends them as one frame (see `signaling/presence.ts`), so however fast members
   * come and go, the others get a bounded number of frames.
   */
  'relay:presence': (room: string, changes: PresenceChange[]) => void;
  /**
   * The members of `room` as of server time `at` (sent after a server node vanished, whose
   * members never said goodbye): anyone else who joined before `at` is gone.
   */
  'relay:members': (room: string, ids: string[], at: number) => void;
  'relay:error': (err: RelayError) => void;
  /** WebRTC signaling from another member; `from` is stamped by the server. */
  'signal:data': (from: string, data: unknown) => void;
  /** A binary chunk frame from another member; `from` is stamped by the server. */
  'relay:bytes': (from: string, head: ChunkHead, bytes: ArrayBuffer | Uint8Array) => void;
}
