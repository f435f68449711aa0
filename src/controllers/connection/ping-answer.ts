/**
 * Answers other members' round-trip probes (`chat:ping` → `chat:pong` to the asker only), so
 * their Connection details can show how long a message takes to reach us and back. Always on,
 * whether or not our own panel is open — and bounded: a member's pings spend a small token
 * bucket of its own, and all pongs together a larger one, so a flood of pings (from one member
 * or many) never makes us send a flood of pongs.
 */
import type { Ping } from '../../protocol/chat-events.js';
import { TokenBucket } from '../../protocol/token-bucket.js';
import type { EventMeta, PeerId } from '../../transport/types.js';

/** Pongs one member gets from us per second at most, after a burst of {@link PONG_BURST}. */
export const PONG_RATE = 2;
/** Pongs one member gets at once before the rate applies. */
export const PONG_BURST = 4;
/**
 * Pongs to everyone together per second, after a burst of twice as many: each one costs a frame
 * of our own budget at the server, which our messages need more.
 */
export const PONG_TOTAL_RATE = 5;
/** Members whose buckets we keep; beyond it the oldest is forgotten (it starts full again). */
const MAX_ASKERS = 256;

/** What the answerer needs of the transport controller. */
export interface PingPort {
  /** The room we are in (pings of another room are not ours to answer). */
  room(): string | undefined;
  /** Sends to one member; false when it cannot. */
  pong(peer: PeerId, pong: Ping): boolean;
}

/** Answers `chat:ping`s under a per-member budget; see the module comment. */
export class PingAnswer {
  private readonly buckets = new Map<PeerId, TokenBucket>();
  private readonly total: TokenBucket;
  /** Pings left unanswered because their sender was over its budget (for tests and reports). */
  refused = 0;

  constructor(
    private readonly port: PingPort,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.total = new TokenBucket(PONG_TOTAL_RATE, 2 * PONG_TOTAL_RATE, now);
  }

  /** A `chat:ping` arrived: answer it if it is for our room and its sender has budget left. */
  readonly heard = (ping: Ping, meta: EventMeta): void => {
    if (ping.room !== this.port.room()) return;
    // The member's own budget first: one member's flood never spends the others' share.
    if (!this.bucket(meta.from).take() || !this.total.take()) {
      this.refused++;
      return;
    }
    this.port.pong(meta.from, { room: ping.room, n: ping.n });
  };

  private bucket(peer: PeerId): TokenBucket {
    let bucket = this.buckets.get(peer);
    if (bucket) return bucket;
    // Bounded: connection ids come and go; a forgotten member starts with a full bucket.
    if (this.buckets.size >= MAX_ASKERS) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    bucket = new TokenBucket(PONG_RATE, PONG_BURST, this.now);
    this.buckets.set(peer, bucket);
    return bucket;
  }
}
