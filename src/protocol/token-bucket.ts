/**
 * A token bucket: `rate` tokens per second, at most `burst` saved up. The server puts one in
 * front of every connection's frames; the browser paces its own frames with one a little
 * slower than the server's, so an honest client is never the one slowed down.
 */

/** A token bucket; `take()` says whether a token was there. Time is injectable for tests. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    /** Tokens per second. */
    readonly rate: number,
    /** Most tokens kept (the burst allowed at once); the bucket starts full. */
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
  }

  /** Takes one token if there is one. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Takes as many whole tokens as there are, up to `wanted`; returns how many. */
  takeUpTo(wanted: number): number {
    this.refill();
    const n = Math.max(0, Math.min(wanted, Math.floor(this.tokens)));
    this.tokens -= n;
    return n;
  }

  /** Milliseconds until the next token (0 if one is there). */
  wait(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }
}
