/**
 * When to try connecting again: exponential backoff with jitter, paused while the browser says
 * it is offline, and an immediate try when the network comes back (`online`), the tab becomes
 * visible again (`visibilitychange`) or the page returns from the back/forward cache
 * (`pageshow`); the `offline` event is reported at once. Used by the server-backed transports.
 */

/** Backoff settings, in ms. */
export interface BackoffOptions {
  /** First delay. */
  minMs?: number;
  /** Longest delay. */
  maxMs?: number;
}

/** Schedules reconnection attempts for one transport; `stop()` releases everything. */
export class Reconnector {
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waiting = false;
  private readonly minMs: number;
  private readonly maxMs: number;
  private readonly nudge = () => {
    if (this.waiting && document.visibilityState !== 'hidden' && navigator.onLine) this.now();
  };

  constructor(
    private readonly tryConnect: () => void,
    private readonly wentOffline: () => void = () => {},
    options: BackoffOptions = {},
  ) {
    this.minMs = options.minMs ?? 500;
    this.maxMs = options.maxMs ?? 10_000;
    if (typeof window !== 'undefined') {
      window.addEventListener('offline', this.wentOffline);
      window.addEventListener('online', this.nudge);
      window.addEventListener('pageshow', this.nudge);
      document.addEventListener('visibilitychange', this.nudge);
    }
  }

  /** Delay before attempt `n` (0-based): doubling from the minimum, capped, 50–100 % jitter. */
  delay(n: number): number {
    const ceiling = Math.min(this.maxMs, this.minMs * 2 ** n);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  /** The link is down: try again after the next delay (or once the browser is online). */
  schedule(): void {
    this.waiting = true;
    clearTimeout(this.timer);
    if (typeof navigator !== 'undefined' && !navigator.onLine) return; // `online` will nudge
    this.timer = setTimeout(() => this.now(), this.delay(this.attempt++));
  }

  /**
   * Try another server after a short random pause, without growing the backoff: failing over
   * should be quick, and the jitter keeps a crowd from arriving at the same instant.
   */
  soon(): void {
    this.waiting = true;
    clearTimeout(this.timer);
    if (typeof navigator !== 'undefined' && !navigator.onLine) return;
    this.timer = setTimeout(() => this.now(), 100 + Math.random() * 400);
  }

  /** The link is up: the next outage starts from the shortest delay again. */
  connected(): void {
    this.waiting = false;
    this.attempt = 0;
    clearTimeout(this.timer);
  }

  /** Tries at once. */
  now(): void {
    clearTimeout(this.timer);
    this.waiting = false;
    this.tryConnect();
  }

  /** Releases timers and listeners. */
  stop(): void {
    this.waiting = false;
    clearTimeout(this.timer);
    if (typeof window !== 'undefined') {
      window.removeEventListener('offline', this.wentOffline);
      window.removeEventListener('online', this.nudge);
      window.removeEventListener('pageshow', this.nudge);
      document.removeEventListener('visibilitychange', this.nudge);
    }
  }
}
