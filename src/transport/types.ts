/**
 * The transport contract: a typed emit/on interface in the spirit of Socket.IO.
 * `emit('x', a, b)` on one side arrives as `on('x', (a, b, meta) => …)` on every other
 * member of the room. Implementations (memory, socketio, …) live beside this file.
 */
import type { ChunkHead } from '../protocol/file-events.js';
import type { Signer } from '../protocol/identity.js';
import type { PeerHello, PeerId, PeerProfile } from '../protocol/peer.js';
import type { TransportError } from './errors.js';

export type { PeerHello, PeerId, PeerProfile };

/** Maps event names to listener signatures, like Socket.IO's `EventsMap`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventsMap = Record<string, (...args: any[]) => void>;

/** Names of the events in a map. */
export type EventNames<M extends EventsMap> = keyof M & string;

/** Argument tuple of one event. */
export type EventParams<M extends EventsMap, E extends EventNames<M>> = Parameters<M[E]>;

/** Which implementation moves the bytes. */
export const TransportKinds = ['socketio', 'webrtc', 'broadcast', 'memory'] as const;
/** Which implementation moves the bytes. */
export type TransportKind = (typeof TransportKinds)[number];

/**
 * Life cycle of a transport. `offline` means the link dropped (or never came up) and the
 * transport is retrying by itself; `direct` means the server is unreachable (and being
 * retried) but direct links to some members are still open: `emit` reaches exactly the
 * members in `peers`, and newcomers cannot join until the server is back; `closed` is final
 * and only reached through `close()`.
 */
export const TransportStates = {
  idle: 'idle',
  connecting: 'connecting',
  open: 'open',
  direct: 'direct',
  offline: 'offline',
  closed: 'closed',
} as const;
/** Life cycle of a transport; see {@link TransportStates}. */
export type TransportState = (typeof TransportStates)[keyof typeof TransportStates];

/** Whether a transport in `state` carries events (to everyone, or to its direct links only). */
export function canEmit(state: TransportState): boolean {
  return state === 'open' || state === 'direct';
}

/** How we reach one member: through the server, a direct data channel, a tab, or in-page. */
export type LinkKind = 'relay' | 'direct' | 'tab' | 'memory';

/** Facts the transport adds to every received app event, passed as the last argument. */
export interface EventMeta {
  /** Connection that sent the event, stamped by the transport or server, never by the sender's payload. */
  from: PeerId;
}

/** Events that only the transport itself emits; `emit()` refuses these names. */
export interface ReservedEvents {
  /** The link is up and the room joined (fires again after each reconnection). */
  open: () => void;
  /** The link is down; `reason` is human-readable. Final only after `close()`. */
  close: (reason: string) => void;
  /** Something went wrong that the user may need to know. */
  error: (err: TransportError) => void;
  /** Every state change, for status displays. */
  state: (state: TransportState) => void;
  /** A member joined the room (or was there when we joined). */
  'peer-join': (hello: PeerHello) => void;
  /** A member left the room, or we lost the link to it. */
  'peer-leave': (id: PeerId) => void;
  /** How we reach a member changed (e.g. relay → direct); see `linkOf`. */
  'peer-update': (id: PeerId) => void;
  /**
   * A binary chunk frame from a member (see `sendBytes`): its head checked against
   * `ChunkHeadSchema`, its bytes at most `MAX_CHUNK_FRAME`, within the member's byte budget.
   */
  bytes: (head: ChunkHead, bytes: Uint8Array, meta: EventMeta) => void;
}

/** Names the transport reserves for itself. */
export const ReservedNames: ReadonlySet<string> = new Set<keyof ReservedEvents>([
  'open',
  'close',
  'error',
  'state',
  'peer-join',
  'peer-leave',
  'peer-update',
  'bytes',
]);

/** A reserved event name. */
export type ReservedName = keyof ReservedEvents;

/** Listener of an app event: the emitted arguments, then the {@link EventMeta}. */
export type AppListener<F> = F extends (...args: infer A) => void
  ? (...args: [...A, EventMeta]) => void
  : never;

/** Listener type for any event name, app or reserved. */
export type ListenerOf<Listen extends EventsMap, E> = E extends ReservedName
  ? ReservedEvents[E]
  : E extends EventNames<Listen>
    ? AppListener<Listen[E]>
    : never;

/**
 * The contract every transport fulfils. One transport instance joins one room.
 * Network trouble never throws from `emit`; it surfaces as `error`/`close` events and a state
 * change. Misuse (reserved names, non-JSON or oversized payloads, emitting while not open)
 * throws a {@link TransportError} at once.
 */
export interface Transport<Listen extends EventsMap, Emit extends EventsMap = Listen> {
  /** Which implementation this is. */
  readonly kind: TransportKind;
  /** Current life-cycle state. */
  readonly state: TransportState;
  /** Our own peer id; empty until the first `open`. */
  readonly selfId: PeerId;
  /** Members currently in the room, excluding ourselves. */
  readonly peers: ReadonlyMap<PeerId, PeerHello>;
  /**
   * Joins `room` as `me`. Resolves on the first `open`; rejects with a TransportError if the
   * first attempt fails. A transport that can reconnect keeps trying after a rejection until
   * `close()`.
   */
  connect(room: string, me: PeerProfile): Promise<void>;
  /** Leaves the room and releases everything; final. */
  close(): void;
  /** Sends an event to every other member of the room. */
  emit<E extends EventNames<Emit>>(ev: E, ...args: EventParams<Emit, E>): void;
  /** Sends an event to one member. */
  emitTo<E extends EventNames<Emit>>(peer: PeerId, ev: E, ...args: EventParams<Emit, E>): void;
  /** How we reach `peer` right now. */
  linkOf(peer: PeerId): LinkKind;
  /** Received frames dropped so far, by reason (see {@link DropCounts}). */
  readonly dropped: Readonly<DropCounts>;
  /**
   * The largest payload (UTF-8 bytes of an event's JSON arguments) `emit` takes and a received
   * event may have: the option's, or the cap a server announced when we joined.
   */
  readonly payloadCap: number;
  /**
   * The binary lane (protocol 1.2): sends `bytes` (at most `MAX_CHUNK_FRAME`) with `head` to one
   * member as a binary frame — raw bytes on a data channel or a Socket.IO binary attachment,
   * structured clone between tabs — never base64 in JSON. Resolves once the frame is handed to
   * the wire under the link's byte budget and backpressure (so a sender that awaits each call
   * holds one chunk at a time, whatever the file's size), `true` if it went, `false` if it
   * could not (no such member, the link closed). Chat events overtake waiting chunks.
   */
  sendBytes(peer: PeerId, head: ChunkHead, bytes: Uint8Array): Promise<boolean>;
  /**
   * The byte budget chunk frames get on this link, per member and direction: what the server
   * announced for the relay (and both ends apply on direct links), or the tab budget.
   */
  readonly byteBudget: ByteBudget;
  /** The largest file the server lets its rooms carry (announced when we joined), if any. */
  readonly fileCap?: number;
  /** Subscribes to an app or reserved event; returns the unsubscribe function. */
  on<E extends EventNames<Listen> | ReservedName>(ev: E, fn: ListenerOf<Listen, E>): () => void;
  /**
   * The WebRTC statistics of the open direct link to `peer` (Connection details reads the
   * candidate pair in use and the bytes each way from it); undefined without one. Only
   * transports with direct links have it.
   */
  linkStats?(peer: PeerId): Promise<RTCStatsReport | undefined>;
  /**
   * The server in use, its measured round trip and the limits it announced (Connection
   * details); undefined when not connected to one. Only transports with a server have it.
   */
  serverInfo?(): Promise<ServerInfo | undefined>;
  /** Members whose direct-link offer failed its signature check, so far (WebRTC only). */
  readonly unverified?: number;
}

/** A token bucket in bytes: bytes per second, and most bytes at once. */
export interface ByteBudget {
  rate: number;
  burst: number;
}

/** The server a transport uses now (see `Transport.serverInfo`). */
export interface ServerInfo {
  url: string;
  /** Measured round trip in ms; undefined when it did not answer in time. */
  rttMs: number | undefined;
  /** What it announced when we joined: messages per second, burst, payload cap in bytes. */
  limits:
    | { rate: number; burst: number; maxPayload: number; bytes?: ByteBudget; maxFile?: number }
    | undefined;
}

/**
 * Received frames a transport dropped, counted for status and tests (frames that break the
 * payload rules otherwise, or that the app does not accept, are dropped without a count).
 */
export interface DropCounts {
  /** Over the payload cap (`maxPayload`), on every transport; refused before parsing if possible. */
  oversize: number;
  /**
   * Over a member's budget on a direct link (a data channel or another tab): a token bucket per
   * member, at the relay's rate, as the relay keeps one for what it carries. Our own direct
   * sends are paced under it, so an honest member never hits it.
   */
  rateLimited: number;
  /** Binary chunk frames dropped: a bad head, over `MAX_CHUNK_FRAME`, or over the byte budget. */
  chunks?: number;
}

/** Options every transport factory accepts. */
export interface TransportOptions {
  /** Largest payload (UTF-8 bytes of the JSON argument list) `emit` accepts. */
  maxPayload?: number;
  /**
   * Which received app events may reach listeners: the app knows its events and the shape of
   * each one's argument list, the transport does not. Without it, any event that passes the
   * payload rules is delivered — then a listener must not trust the argument count (a sender
   * can add arguments in front of the meta).
   */
  accept?: (ev: string, args: readonly unknown[]) => boolean;
  /**
   * Signs as the member's identity: a relay link proves its joins with it (a relay refuses a
   * join without a proof), the WebRTC transport signs its offers and answers. The profile a
   * transport announces then carries the signer's key and id.
   */
  signer?: Signer;
}
