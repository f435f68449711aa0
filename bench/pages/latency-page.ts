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
import type { ChatEvents, Envelope } from '../../src/transport/protocol.js';
import type { RelayClientEvents, RelayServerEvents } from '../../src/transport/relay-wire.js';
import { SocketIoTransport } from '../../src/transport/socketio.js';
import type { PeerProfile } from '../../src/transport/types.js';

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
   * Runs `warmup` uncounted, then `rounds` counted round trips over the `kind` link, one in
   * flight at a time; resolves with the counted round-trip times in ms.
   */
  measure(kind: LinkKind, warmup: number, rounds: number): Promise<number[]>;
  /** Whether the page is cross-origin isolated, i.e. `performance.now()` has fine resolution. */
  isolated(): boolean;
  /** Closes every link. */
  closeAll(): void;
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
/** A round with no reply for this long means a lost message: fail instead of hanging. */
const STALL_MS = 5_000;
/** A typical short chat line; small enough that framing, not copying, dominates. */
const TEXT = 'The quick brown fox jumps over the lazy dog, then asks how everyone is.';

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
// Sequence numbers keep growing across blocks so a late reply can never match a new round.
let seq = 0;

function linkOf(kind: LinkKind): Link {
  const link = links.get(kind);
  if (!link) throw new Error(`no ${kind} link: call join() first`);
  return link;
}

/** Runs `rounds` sequential round trips; returns their durations in ms. */
function roundTrips(link: Link, rounds: number): Promise<number[]> {
  const times: number[] = [];
  return new Promise<number[]>((resolve, reject) => {
    let expected = -1;
    let started = 0;
    let lastProgress = times.length;
    // One watchdog for the whole run rather than a timer per round, so timer bookkeeping
    // does not sit inside the measured interval.
    const watchdog = setInterval(() => {
      if (times.length !== lastProgress) lastProgress = times.length;
      else finish(new Error(`no echo for round ${times.length} within ${STALL_MS} ms`));
    }, STALL_MS);
    const off = link.onMessage((env) => {
      if (env.seq !== expected) return; // a stray or late echo, not ours
      times.push(performance.now() - started);
      if (times.length === rounds) finish();
      else next();
    });
    function finish(err?: Error): void {
      clearInterval(watchdog);
      off();
      expected = -1;
      if (err) reject(err);
      else resolve(times);
    }
    function next(): void {
      expected = seq++;
      // The envelope is built before the clock starts: only the trip itself is timed.
      const env: Envelope = {
        id: `bench-${expected}`,
        room: link.room,
        from: { id: link.me.userId, name: link.me.name },
        ts: Date.now(),
        seq: expected,
        body: { text: TEXT },
      };
      started = performance.now();
      try {
        link.send(env);
      } catch (err) {
        finish(err instanceof Error ? err : new Error(String(err)));
      }
    }
    if (rounds > 0) next();
    else finish();
  });
}

const api: LatencyPageApi = {
  async join(kind, url, room, me, echo) {
    if (links.has(kind)) throw new Error(`the ${kind} link is already open`);
    const [link, peers] = await (kind === 'parley' ? parleyLink : rawLink)(url, room, me);
    links.set(kind, link);
    // The echo side answers at once, synchronously in the receive handler, like A measures.
    if (echo) link.onMessage((env) => link.send(env));
    return peers;
  },
  async measure(kind, warmup, rounds) {
    const link = linkOf(kind);
    await roundTrips(link, warmup);
    return roundTrips(link, rounds);
  },
  isolated: () => globalThis.crossOriginIsolated === true,
  closeAll() {
    for (const link of links.values()) link.close();
    links.clear();
  },
};

(globalThis as unknown as { bench: LatencyPageApi }).bench = api;
