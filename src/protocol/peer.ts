/**
 * How members introduce themselves on every transport: the profile a member announces when
 * joining, and the hello the others receive (the profile plus the member's peer id and join
 * time). One schema checks a hello wherever it comes from — the relay, another tab, a test.
 */
import * as v from 'valibot';
import { IdSchema, PublicKeySchema, TimeSchema, UserNameSchema } from './fields.js';

/** An opaque id of one member's connection, assigned by the transport. */
export type PeerId = string;

/** Who we are, as announced to the room when joining. */
export interface PeerProfile {
  /**
   * Network id of the member's identity (a hash of `key`, see `identity.ts`): the same for
   * every connection of one account, and nobody else's.
   */
  userId: string;
  /** Display name. */
  name: string;
  /** Whether this member takes direct (WebRTC) links. */
  p2p?: boolean;
  /**
   * The identity's public key; `userId` is derived from it. The relay requires it (with a
   * proof of the private key, see `join-proof.ts`); what it signs is checked against it.
   */
  key?: string;
}

/** A member of the room as every transport announces it. */
export interface PeerHello extends PeerProfile {
  /**
   * The member's peer id: what `emitTo` takes and everything it sends is stamped with (derived
   * by the server from the client's handshake secret; never the Socket.IO session id).
   */
  id: PeerId;
  /** When the member joined (ms since epoch, the announcer's clock). */
  since: number;
  /** The protocol version the member's app speaks (`major.minor`, see `version.ts`). */
  v?: string;
  /**
   * The server says this is its keeper (1.5): a member that holds what it is sent for those
   * who are away. Its receipts make a message *kept*, not *delivered*.
   */
  keeper?: true;
}

/**
 * Who we are on the wire: account id, display name, key, whether we take direct links. Fields
 * this version does not know are dropped (a newer minor may add some).
 */
export const PeerProfileSchema = v.object({
  userId: IdSchema,
  name: UserNameSchema,
  p2p: v.optional(v.boolean()),
  key: v.optional(PublicKeySchema),
});

/**
 * A member's hello as received. Fields this version does not know are dropped rather than
 * refused, so an older client still understands a newer announcer.
 */
export const PeerHelloSchema = v.object({
  id: IdSchema,
  userId: IdSchema,
  name: UserNameSchema,
  since: TimeSchema,
  p2p: v.optional(v.boolean()),
  key: v.optional(PublicKeySchema),
  v: v.optional(v.pipe(v.string(), v.maxLength(16))),
  keeper: v.optional(v.literal(true)),
});

/** The hello in `value` (unknown fields dropped), or undefined when it is not one. */
export function parseHello(value: unknown): PeerHello | undefined {
  const parsed = v.safeParse(PeerHelloSchema, value);
  return parsed.success ? parsed.output : undefined;
}
