/**
 * The timing core both latency pages share: one round trip in flight at a time, the clock
 * stopped by the matching echo and nothing else. Keeping it in one place means the contenders
 * of every latency benchmark are timed by exactly the same code.
 */
import type { Envelope } from '../../src/protocol/chat-events.js';

/** The text every timed message carries (~70 bytes, a typical chat line). */
export const TEXT = 'The quick brown fox jumps over the lazy dog, then asks how everyone is.';

/** What a link needs for a round trip: where it is, who we are, and how to send. */
export interface TimedLink {
  room: string;
  me: { userId: string; name: string };
  send(env: Envelope): void;
}

// Sequence numbers never repeat, so a late reply can never be taken for the current round.
let seq = 0;
/** The round in flight, if any: which echo it waits for and when it was sent. */
let waiting: { seq: number; started: number; done: (ms: number) => void } | undefined;

/** Reply handler of the measuring side, installed on every link for a whole measurement. */
export function onReply(env: Envelope): void {
  // Stop the clock first: the bookkeeping after it is not part of the trip.
  const now = performance.now();
  if (!waiting || env.seq !== waiting.seq) return; // a stray or late echo, not ours
  const { started, done } = waiting;
  waiting = undefined;
  done(now - started);
}

/** One round trip over `link`; resolves with its duration in ms. */
export function roundTrip(link: TimedLink): Promise<number> {
  const n = seq++;
  // The envelope is built before the clock starts: only the trip itself is timed.
  const env: Envelope = {
    id: `bench-${n}`,
    room: link.room,
    from: { id: link.me.userId, name: link.me.name },
    ts: Date.now(),
    seq: n,
    body: { text: TEXT },
  };
  return new Promise<number>((resolve) => {
    waiting = { seq: n, started: performance.now(), done: resolve };
    link.send(env); // a throw here rejects this promise, so the measurement fails
  });
}

/** Forgets the round in flight (a measurement ended or failed). */
export function resetRoundTrips(): void {
  waiting = undefined;
}
