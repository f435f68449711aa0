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
import type { RelayClientEvents, RelayServerEvents } from '../../src/protocol/relay-frames.js';
import { SocketIoTransport } from '../../src/transport/socketio.js';
import type { PeerProfile } from '../../src/transport/types.js';
import { onReply, resetRoundTrips, roundTrip } from './round-trips.js';

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

/** How many round trips a measurement makes. */
export interface MeasurePlan {
  /** Uncounted round trips per link first (JIT, socket buffers, caches). */
  warmup: number;
  /** Counted round trips per link. */
  rounds: number;
}

/** The little each contender must do; everything else is shared. */
interface Link {
  readonly room: string;
  readonly me: PeerProfile;
  send(env: Envelope): void;
  /** Subscribes to received chat messages; returns the unsubscribe function. */
  onMessage(fn: (env: Envelope) => void): () => void;
  close(): void;
}

/** How long a join may take before we give up (the whole benchmark fails then). */
const JOIN_TIMEOUT_MS = 10_000;
/** No echo for this long (checked this often) means a lost message: fail, don't hang. */
const STALL_MS = 5_000;
/** A typical short chat line; small enough that framing, not copying, dominates. */

async function parleyLink(url: string, room: string, me: PeerProfile): Promise<[Link, number]> {
  const t = new SocketIoTransport<ChatEvents>({ url, joinTimeout: JOIN_TIMEOUT_MS });
  try {
    await t.connect(room, me);
  } catch (err) {
    t.close(); // stop its own retrying: a failed join fails the benchmark
    throw err;
  }
  const link: Link = {
    room,
    me,
    send: (env) => t.emit('chat:message', env),
    onMessage: (fn) => t.on('chat:message', (env) => fn(env)),
    close: () => t.close(),
  };
  return [link, t.peers.size];
}

async function rawLink(url: string, room: string, me: PeerProfile): Promise<[Link, number]> {
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
    const reply = await socket.timeout(JOIN_TIMEOUT_MS).emitWithAck('relay:join', { room, me });
    if (!reply.ok) throw new Error(`raw: join refused (${reply.error.message})`);
    const link: Link = {
      room,
      me,
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
/** Whether `measure()` is running; the reply slot below is shared, so one at a time. */
let measuring = false;

function linkOf(kind: LinkKind): Link {
  const link = links.get(kind);
  if (!link) throw new Error(`no ${kind} link: call join() first`);
  return link;
}

/**
 * Runs the measurement: `warmup` uncounted pairs, then `rounds` counted pairs of round trips,
 * one per link, alternating raw, parley, parley, raw, … so each link goes first as often as
 * second. Alternating every round (not in long blocks) means a hiccup of the machine lands on
 * both links alike instead of on whichever block happened to be running.
 */
async function alternate(warmup: number, rounds: number, progress: { done: number }) {
  const times: Record<LinkKind, number[]> = { parley: [], raw: [] };
  const pairs: LinkKind[][] = [
    ['raw', 'parley'],
    ['parley', 'raw'],
  ];
  for (let i = 0; i < warmup + rounds; i++) {
    for (const kind of pairs[i % 2]!) {
      const ms = await roundTrip(linkOf(kind));
      if (i >= warmup) times[kind].push(ms);
      progress.done++;
    }
  }
  return times;
}

const api: LatencyPageApi = {
  async join(kind, url, room, me, echo) {
    if (links.has(kind)) throw new Error(`the ${kind} link is already open`);
    const [link, peers] = await (kind === 'parley' ? parleyLink : rawLink)(url, room, me);
    links.set(kind, link);
    // The echo side answers at once, synchronously in its receive handler, for both links alike.
    if (echo) link.onMessage((env) => link.send(env));
    return peers;
  },
  async measure({ warmup, rounds }) {
    if (measuring) throw new Error('a measurement is already running');
    measuring = true;
    const offs = [linkOf('parley').onMessage(onReply), linkOf('raw').onMessage(onReply)];
    // One watchdog for the whole run, not a timer per round: no timer bookkeeping near the
    // timed interval. A lost echo fails the run instead of hanging it.
    const progress = { done: 0 };
    let watchdog: ReturnType<typeof setInterval> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      let seen = -1;
      watchdog = setInterval(() => {
        if (progress.done === seen) reject(new Error(`no echo for ${STALL_MS} ms`));
        seen = progress.done;
      }, STALL_MS);
    });
    try {
      return await Promise.race([alternate(warmup, rounds, progress), stalled]);
    } finally {
      clearInterval(watchdog);
      for (const off of offs) off();
      resetRoundTrips();
      measuring = false;
    }
  },
  isolated: () => globalThis.crossOriginIsolated === true,
  closeAll() {
    for (const link of links.values()) link.close();
    links.clear();
  },
};

(globalThis as unknown as { bench: LatencyPageApi }).bench = api;
