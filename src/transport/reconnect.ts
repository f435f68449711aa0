/**
 * When to try connecting again: exponential backoff with jitter, paused while the browser says
 * it is offline, and an immediate try when the network comes back (`online`), the tab becomes
 * visible again (`visibilitychange`) or the page returns from the back/forward cache
 * (`pageshow`); the `offline` event is reported at once. Used by the server-backed transports,
 * in a browser and in Node alike: only `navigator.onLine === false` means offline (Node 21+
 * has a global `navigator` without `onLine`, which must not read as offline for ever), and
 * the page events are listened to only where there is a page.
 */

/** Whether the host says it is offline: only a browser's explicit `false` counts. */
export function hostOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

/** Whether the page is hidden (never, where there is no document: Node). */
function pageHidden(): boolean {
  return typeof document !== 'undefined' && document.visibilityState === 'hidden';
}

/** The page's event targets, where there is a page (a window and its document). */
function pageTargets(): { win: Window; doc: Document } | undefined {
  return typeof window !== 'undefined' &&
    typeof window.addEventListener === 'function' &&
    typeof document !== 'undefined'
    ? { win: window, doc: document }
    : undefined;
}

/** Backoff settings, in ms. */
export interface BackoffOptions {
  /** First delay. */
  minMs?: number;
  /** Longest delay. */
  maxMs?: number;
}

/** Delay before attempt `n` (0-based): doubling from `minMs`, capped at `maxMs`, 50–100 % jitter. */
export function backoff(n: number, minMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** n);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Schedules reconnection attempts for one transport; `stop()` releases everything. */
export class Reconnector {
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waiting = false;
  private readonly minMs: number;
  private readonly maxMs: number;
  private readonly nudge = () => {
    if (this.waiting && !pageHidden() && !hostOffline()) this.now();
  };

  constructor(
    private readonly tryConnect: () => void,
    private readonly wentOffline: () => void = () => {},
    options: BackoffOptions = {},
  ) {
    this.minMs = options.minMs ?? 500;
    this.maxMs = options.maxMs ?? 10_000;
    const page = pageTargets();
    if (page) {
      page.win.addEventListener('offline', this.wentOffline);
      page.win.addEventListener('online', this.nudge);
      page.win.addEventListener('pageshow', this.nudge);
      page.doc.addEventListener('visibilitychange', this.nudge);
    }
  }

  /** Delay before attempt `n` (0-based), see {@link backoff}. */
  delay(n: number): number {
    return backoff(n, this.minMs, this.maxMs);
  }

  /** The link is down: try again after the next delay (or once the browser is online). */
  schedule(): void {
    this.waiting = true;
    clearTimeout(this.timer);
    if (hostOffline()) return; // `online` will nudge
    this.timer = setTimeout(() => this.now(), this.delay(this.attempt++));
  }

  /**
   * Try another server after a short random pause, without growing the backoff: failing over
   * should be quick, and the jitter keeps a crowd from arriving at the same instant.
   */
  soon(): void {
    this.waiting = true;
    clearTimeout(this.timer);
    if (hostOffline()) return;
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
    const page = pageTargets();
    if (page) {
      page.win.removeEventListener('offline', this.wentOffline);
      page.win.removeEventListener('online', this.nudge);
      page.win.removeEventListener('pageshow', this.nudge);
      page.doc.removeEventListener('visibilitychange', this.nudge);
    }
  }
}
