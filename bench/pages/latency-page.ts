/**
 * Browser side of the Socket.IO latency benchmark (`bench/latency-socketio.ts`). Bundled with
 * esbuild and loaded into two headless Chromium pages; Node drives it through `window.bench`.
 *
 * Each page holds two links to the same Parley server, one per contender:
 * - `parley`: Parley's own `SocketIoTransport` (payload checks, emitter, peer table…);
 * - `raw`: a bare socket.io-client socket speaking the same relay frames by hand.
 * The measuring loop and the echo are shared code, so the only thing that differs between the
 * two contenders is the link itself, which is what the parley/raw ratio is meant to isolate.
 */
import { io, type Socket } from 'socket.io-client';
import type { ChatEvents, Envelope } from '../../src/protocol/chat-events.js';
import type { Signer } from '../../src/protocol/identity.js';
import { proveJoin } from '../../src/protocol/join-proof.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import type { RelayClientEvents, RelayServerEvents } from '../../src/protocol/relay-frames.js';
import { SocketIoTransport } from '../../src/transport/socketio.js';
import type { PeerProfile } from '../../src/transport/types.js';
import {
  measureRounds,
  pageSigner,
  speakingAs,
  type MeasurePlan,
  type TimedLink,
} from './round-trips.js';

/** Which implementation carries the messages. */
export type LinkKind = 'parley' | 'raw';

/** What Node may call on `window.bench`. */
export interface LatencyPageApi {
  /**
   * Opens the `kind` link, joins `room` as `me` and, with `echo`, sends every received message
   * straight back. Resolves with the number of other members the join reply listed.
   */
  join(kind: LinkKind, url: string, room: string, me: PeerProfile, echo: boolean): Promise<number>;
  /**
   * Times round trips over both links, alternating every round, one in flight at a time;
   * resolves with the counted round-trip times in ms, per link.
   */
  measure(plan: MeasurePlan): Promise<Record<LinkKind, number[]>>;
  /** Whether the page is cross-origin isolated, i.e. `performance.now()` has fine resolution. */
  isolated(): boolean;
  /** Closes every link. */
  closeAll(): void;
}

/** The little each contender must do; everything else is shared. */
interface Link extends TimedLink {
  close(): void;
}

/** How long a join may take before we give up (the whole benchmark fails then). */
const JOIN_TIMEOUT_MS = 10_000;

async function parleyLink(
  url: string,
  room: string,
  me: PeerProfile,
  signer: Signer,
): Promise<[Link, number]> {
  const t = new SocketIoTransport<ChatEvents>({ url, joinTimeout: JOIN_TIMEOUT_MS, signer });
  try {
    await t.connect(room, me);
  } catch (err) {
    t.close(); // stop its own retrying: a failed join fails the benchmark
    throw err;
  }
  const link: Link = {
    room,
    me: speakingAs(me, signer),
    send: (env) => t.emit('chat:message', env),
    onMessage: (fn) => t.on('chat:message', (env) => fn(env)),
    close: () => t.close(),
  };
  return [link, t.peers.size];
}

async function rawLink(
  url: string,
  room: string,
  me: PeerProfile,
  signer: Signer,
): Promise<[Link, number]> {
  // Same engine options as SocketIoTransport so both contenders ride a WebSocket from the
  // start; `forceNew` keeps this socket off the manager Parley's socket already opened.
  const socket: Socket<RelayServerEvents, RelayClientEvents> = io(url, {
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    forceNew: true,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) =>
        reject(new Error(`raw: cannot connect (${err.message})`)),
      );
    });
    // Proven like the transport's join: signed over this connection's id.
    const proven = await proveJoin(signer, socket.id!, room, me);
    const reply = await socket
      .timeout(JOIN_TIMEOUT_MS)
      .emitWithAck('relay:join', { room, ...proven, v: PROTOCOL_VERSION });
    if (!reply.ok) throw new Error(`raw: join refused (${reply.error.message})`);
    const link: Link = {
      room,
      me: speakingAs(me, signer),
      send: (env) => socket.emit('relay:emit', 'chat:message', [env]),
      onMessage: (fn) => {
        const listener = (_from: string, ev: string, args: unknown[]) => {
          if (ev === 'chat:message') fn(args[0] as Envelope);
        };
        socket.on('relay:event', listener);
        return () => socket.off('relay:event', listener);
      },
      close: () => socket.disconnect(),
    };
    return [link, reply.peers.length];
  } catch (err) {
    socket.disconnect();
    throw err;
  }
}

const links = new Map<LinkKind, Link>();

/**
 * Raw, parley, parley, raw, …: every round makes one trip per link, and each link goes first
 * as often as second.
 */
const PAIRS: LinkKind[][] = [
  ['raw', 'parley'],
  ['parley', 'raw'],
];

const api: LatencyPageApi = {
  async join(kind, url, room, me, echo) {
    if (links.has(kind)) throw new Error(`the ${kind} link is already open`);
    const signer = await pageSigner();
    const open = kind === 'parley' ? parleyLink : rawLink;
    const [link, peers] = await open(url, room, me, signer);
    links.set(kind, link);
    // The echo side answers at once, synchronously in its receive handler, for both links alike.
    if (echo) link.onMessage((env) => link.send(env));
    return peers;
  },
  measure: (plan) => measureRounds(links, PAIRS, plan),
  isolated: () => globalThis.crossOriginIsolated === true,
  closeAll() {
    for (const link of links.values()) link.close();
    links.clear();
  },
};

(globalThis as unknown as { bench: LatencyPageApi }).bench = api;
