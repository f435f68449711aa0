/**
 * The timing core every latency page shares: one round trip in flight at a time, the clock
 * stopped by the matching echo and nothing else, rounds that take the links in turns, and a
 * watchdog that fails a measurement whose echo got lost. Keeping it in one place means the
 * contenders of every latency benchmark are timed by exactly the same code.
 */
import type { Envelope } from '../../src/protocol/chat-events.js';
import { createIdentity, signerOf, type Signer } from '../../src/protocol/identity.js';
import type { PeerProfile } from '../../src/protocol/peer.js';

/** The text every timed message carries (~70 bytes, a typical chat line). */
export const TEXT = 'The quick brown fox jumps over the lazy dog, then asks how everyone is.';

/**
 * Stands in for each timed envelope's signature: as long as an Ed25519 one, so frames are the
 * size of real ones. Neither the relay nor a transport verifies signatures (the room
 * controller does, and no contender here has one), so signing would only add to the timing.
 */
const SIG = 'S'.repeat(86);

let signer: Promise<Signer> | undefined;
/**
 * This page's identity, made once: the relay refuses joins that do not prove a key, so every
 * link of the page joins as it. Callers await it before any clock starts (an account has its
 * identity long before it joins).
 */
export function pageSigner(): Promise<Signer> {
  return (signer ??= createIdentity().then(signerOf));
}

/** `me` as the holder of `signer` announces itself: its id and key (what a proven join says). */
export function speakingAs(me: PeerProfile, signer: Signer): PeerProfile & { key: string } {
  return { ...me, userId: signer.id, key: signer.publicKey };
}

/** No echo for this long (checked this often) means a lost message: fail, don't hang. */
const STALL_MS = 5_000;

/** What a link needs to be timed: where it is, who we are, how to send, and its echoes. */
export interface TimedLink {
  readonly room: string;
  /** Who we are; the key is the one the join proved (envelopes name it). */
  readonly me: { userId: string; name: string; key: string };
  send(env: Envelope): void;
  /** Subscribes to received chat messages; returns the unsubscribe function. */
  onMessage(fn: (env: Envelope) => void): () => void;
}

/** How many round trips a measurement makes. */
export interface MeasurePlan {
  /** Uncounted round trips per link first (JIT, socket buffers, caches). */
  warmup: number;
  /** Counted round trips per link. */
  rounds: number;
}

// Sequence numbers never repeat, so a late reply can never be taken for the current round.
let seq = 0;
/** The round in flight, if any: which echo it waits for and when it was sent. */
let waiting: { seq: number; started: number; done: (ms: number) => void } | undefined;
/** Whether a measurement is running; the reply slot above is shared, so one at a time. */
let measuring = false;

/** Reply handler of the measuring side, installed on every link for a whole measurement. */
function onReply(env: Envelope): void {
  // Stop the clock first: the bookkeeping after it is not part of the trip.
  const now = performance.now();
  if (!waiting || env.seq !== waiting.seq) return; // a stray or late echo, not ours
  const { started, done } = waiting;
  waiting = undefined;
  done(now - started);
}

/** One round trip over `link`; resolves with its duration in ms. */
function roundTrip(link: TimedLink): Promise<number> {
  const n = seq++;
  // The envelope is built before the clock starts: only the trip itself is timed.
  const env: Envelope = {
    id: `bench-${n}`,
    room: link.room,
    from: { id: link.me.userId, name: link.me.name, key: link.me.key },
    ts: Date.now(),
    seq: n,
    body: { text: TEXT },
    sig: SIG,
  };
  return new Promise<number>((resolve) => {
    waiting = { seq: n, started: performance.now(), done: resolve };
    link.send(env); // a throw here rejects this promise, so the measurement fails
  });
}

/**
 * Times round trips over `links`: `warmup` uncounted rounds, then `rounds` counted ones; round
 * `i` makes one trip per link in the order `orders[i % orders.length]`. Taking turns every
 * round (not in long blocks) means a hiccup of the machine lands on every link alike instead
 * of on whichever block happened to be running. Resolves with the counted times in ms, per
 * link; fails when a link named in `orders` is not open, or when no echo comes for 5 s.
 */
export async function measureRounds<K extends string>(
  links: ReadonlyMap<K, TimedLink>,
  orders: readonly (readonly K[])[],
  { warmup, rounds }: MeasurePlan,
): Promise<Record<K, number[]>> {
  if (measuring) throw new Error('a measurement is already running');
  const times = {} as Record<K, number[]>;
  for (const kind of orders.flat()) {
    if (!links.has(kind)) throw new Error(`no ${kind} link: call join() first`);
    times[kind] = [];
  }
  measuring = true;
  const offs = [...links.values()].map((link) => link.onMessage(onReply));
  // One watchdog for the whole run, not a timer per round: no timer bookkeeping near the
  // timed interval. A lost echo fails the run instead of hanging it.
  let done = 0;
  let watchdog: ReturnType<typeof setInterval> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    let seen = -1;
    watchdog = setInterval(() => {
      if (done === seen) reject(new Error(`no echo for ${STALL_MS} ms`));
      seen = done;
    }, STALL_MS);
  });
  const run = async () => {
    for (let i = 0; i < warmup + rounds; i++) {
      for (const kind of orders[i % orders.length]!) {
        const ms = await roundTrip(links.get(kind)!);
        if (i >= warmup) times[kind].push(ms);
        done++;
      }
    }
    return times;
  };
  try {
    return await Promise.race([run(), stalled]);
  } finally {
    clearInterval(watchdog);
    for (const off of offs) off();
    waiting = undefined;
    measuring = false;
  }
}
