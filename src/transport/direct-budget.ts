/**
 * How many frames one member may send us over a direct link (a WebRTC data channel, another
 * tab), and how fast we send over ours. The relay's token bucket never sees these frames, so
 * the receiving end keeps one per member: frames over it are dropped (and counted, see
 * `Transport.dropped`) before they are even parsed. Our own direct sends are paced a little
 * under the same budget, so an honest member is never the one dropped.
 */
import { TokenBucket } from '../protocol/token-bucket.js';
import type { PeerId } from './types.js';

/** A token bucket's size: frames per second, and most frames at once. */
export interface FrameBudget {
  rate: number;
  burst: number;
}

/**
 * The relay's defaults (`DEFAULT_LIMITS` in `signaling/config.ts`), for when no relay has
 * announced its own in a join reply.
 */
export const RELAY_DEFAULTS: FrameBudget = { rate: 20, burst: 40 };

/**
 * A direct link's burst, in the relay's bursts: a member gets the relay's sustained rate, but
 * may send many frames at once (a few catch-up pages, an outbox flushed after a reconnection,
 * a paste): those cost only us, and refusing them would lose honest messages.
 */
export const DIRECT_BURST_FACTOR = 10;

/** The budget of one member on a direct data channel, from the relay's announced limits. */
export function directBudget(announced?: { rate: number; burst: number }): FrameBudget {
  const { rate, burst } = announced ?? RELAY_DEFAULTS;
  return { rate: Math.max(1, rate), burst: Math.max(1, burst) * DIRECT_BURST_FACTOR };
}

/**
 * The budget of one tab. There is no server to announce one; a tab is of our own origin, so it
 * could read our storage and keys anyway: this only keeps a runaway tab (a bug, a loop) from
 * freezing the others, and is more generous than a data channel's.
 */
export const TAB_BUDGET: FrameBudget = { rate: 100, burst: 1000 };

/**
 * The byte budget of one tab's chunk frames (files), checked on receipt as `TAB_BUDGET` is for
 * events: generous (a tab is of our own origin and structured clone costs little), it only
 * keeps a runaway tab from flooding the others' memory. The burst is large because frames from
 * a tab arrive in clumps whenever the receiving tab was busy for a moment.
 */
export const TAB_BYTE_BUDGET: { rate: number; burst: number } = {
  rate: 64 * 1024 * 1024,
  burst: 16 * 1024 * 1024,
};

/**
 * How a tab paces its own chunk frames: under `TAB_BYTE_BUDGET`'s rate, with a small burst — a
 * channel between tabs has no buffer to wait on, so this bucket is what holds a run of chunks
 * back for the chat events sent meanwhile to go first.
 */
export const TAB_BYTE_PACE: { rate: number; burst: number } = {
  rate: TAB_BYTE_BUDGET.rate,
  burst: 1024 * 1024,
};

/** Share of a budget's rate our own sender uses. */
const RATE_SHARE = 0.9;
/**
 * Share of a budget's burst our own sender leaves spare (at least 4 tokens). The receiver's
 * bucket starts when our first frame arrives, ours earlier — and ours refills while we are
 * still busy sending a burst (a long synchronous loop, a slow machine) — so without room to
 * spare a burst that took a while to send could arrive faster than the receiver's bucket
 * refills, and an honest sender's frames would be dropped (seen: 1,200 frames from one tab,
 * a few lost, under load).
 */
const BURST_SPARE = 0.1;

/** A bucket that paces our sends a little under `budget`, the receiver's (`now`: tests). */
export function senderBucket(budget: FrameBudget, now?: () => number): TokenBucket {
  const spare = Math.max(4, Math.ceil(budget.burst * BURST_SPARE));
  return new TokenBucket(
    Math.max(1, budget.rate * RATE_SHARE),
    Math.max(1, budget.burst - spare),
    now,
  );
}

/** One token bucket per member, made when its first frame comes. */
export class PeerBuckets {
  private readonly buckets = new Map<PeerId, TokenBucket>();

  constructor(private budget: FrameBudget) {}

  /** Changes the budget (a relay announced its own); members start again with a full bucket. */
  configure(budget: FrameBudget): void {
    if (budget.rate === this.budget.rate && budget.burst === this.budget.burst) return;
    this.budget = budget;
    this.buckets.clear();
  }

  /** Whether `peer` may have one more frame now. */
  take(peer: PeerId): boolean {
    let bucket = this.buckets.get(peer);
    if (!bucket) {
      bucket = new TokenBucket(this.budget.rate, this.budget.burst);
      this.buckets.set(peer, bucket);
    }
    return bucket.take();
  }

  /** The member is gone. */
  forget(peer: PeerId): void {
    this.buckets.delete(peer);
  }

  clear(): void {
    this.buckets.clear();
  }
}
