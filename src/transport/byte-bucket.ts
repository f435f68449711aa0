/**
 * Token buckets counted in bytes, for binary chunk frames (files): the relay keeps one per
 * connection, each end of a direct link one per member, and every sender one of its own a
 * little under the receiver's, so an honest sender's chunks are never the ones dropped. Apart
 * from the frame buckets (`token-bucket.ts`), so a file never costs a chat message its turn.
 * Pure (no DOM, no Node): the server uses it too.
 */
import type { ByteBudget } from './types.js';

/** The largest chunk frame a byte bucket must be able to pass at once (see MAX_CHUNK_FRAME). */
const FRAME_ROOM = 64 * 1024 + 1024;

/** A token bucket in bytes; `take(n)` takes `n` bytes or nothing. Time is injectable for tests. */
export class ByteBucket {
  private tokens: number;
  private last: number;
  /** Most bytes kept: the budget's burst, but never less than one whole chunk frame. */
  readonly burst: number;

  constructor(
    /** Bytes per second. */
    readonly rate: number,
    burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.burst = Math.max(burst, FRAME_ROOM);
    this.tokens = this.burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
  }

  /**
   * Takes `n` bytes if they are all there; else takes nothing. A frame larger than the burst
   * costs a full bucket (it could never pass otherwise).
   */
  take(n: number): boolean {
    this.refill();
    const cost = Math.min(n, this.burst);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Milliseconds until `n` bytes are there (0 if they are now). */
  wait(n: number): number {
    this.refill();
    const missing = Math.min(n, this.burst) - this.tokens;
    return missing <= 0 ? 0 : Math.ceil((missing / this.rate) * 1000);
  }
}

/** Share of the receiver's rate and burst our own sender uses. */
const SENDER_SHARE = 0.9;

/**
 * A bucket that paces our chunks a little under `budget`, the receiver's: 90% of its rate and
 * of its burst (the receiver's bucket starts when our first chunk arrives, ours earlier).
 */
export function senderByteBucket(budget: ByteBudget, now?: () => number): ByteBucket {
  return new ByteBucket(
    Math.max(1, budget.rate * SENDER_SHARE),
    Math.max(1, budget.burst * SENDER_SHARE),
    now,
  );
}

/**
 * One byte bucket per member, made at its first chunk (the receiving end of a direct link).
 * `now` is the buckets' clock, in ms (tests drive it, so a verdict never hangs on machine speed).
 */
export class PeerByteBuckets {
  private readonly buckets = new Map<string, ByteBucket>();

  constructor(
    private budget: ByteBudget,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Changes the budget (a relay announced its own); members start again with a full bucket. */
  configure(budget: ByteBudget): void {
    if (budget.rate === this.budget.rate && budget.burst === this.budget.burst) return;
    this.budget = budget;
    this.buckets.clear();
  }

  /** Whether `peer` may have `n` more bytes now (taken if so). */
  take(peer: string, n: number): boolean {
    let bucket = this.buckets.get(peer);
    if (!bucket) {
      bucket = new ByteBucket(this.budget.rate, this.budget.burst, this.now);
      this.buckets.set(peer, bucket);
    }
    return bucket.take(n);
  }

  /** The member is gone. */
  forget(peer: string): void {
    this.buckets.delete(peer);
  }

  /** Every member is gone (the link closed). */
  clear(): void {
    this.buckets.clear();
  }
}
