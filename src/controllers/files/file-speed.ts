/**
 * Progress bookkeeping for files on the move: how fast bytes went over the last few seconds,
 * what we sent of each file we serve, and a throttle so a view is asked to render at most ~10
 * times a second however many chunks arrive.
 */

/** The window a speed is measured over, in ms. */
export const SPEED_WINDOW_MS = 3000;
/** Least time between two renders a transfer asks for, in ms. */
export const RENDER_EVERY_MS = 100;

/** Bytes per second over the last {@link SPEED_WINDOW_MS}. */
export class Speed {
  // [time, bytes] in arrival order; trimmed to the window on every add, so it stays small.
  private samples: Array<[number, number]> = [];
  private total = 0;

  /** Counts `bytes` that moved at `now` (ms). */
  add(bytes: number, now = performance.now()): void {
    this.samples.push([now, bytes]);
    this.total += bytes;
    this.trim(now);
  }

  /** Bytes per second over the window ending at `now`; 0 when nothing moved in it. */
  rate(now = performance.now()): number {
    this.trim(now);
    const first = this.samples[0];
    if (!first) return 0;
    // Over the time the samples span, but at least a second, so one chunk is not a burst of GB/s.
    const span = Math.max(1000, Math.min(SPEED_WINDOW_MS, now - first[0]));
    return Math.round((this.total * 1000) / span);
  }

  /** When bytes last moved (ms), or undefined if none did within the window. */
  get last(): number | undefined {
    return this.samples.at(-1)?.[0];
  }

  private trim(now: number): void {
    while (this.samples.length > 0 && this.samples[0]![0] < now - SPEED_WINDOW_MS) {
      this.total -= this.samples.shift()![1];
    }
  }
}

/**
 * Calls `fn` at most once per `ms`: at once when the last call is older than that, else once
 * at the end of the interval (never dropped, so the last state is always rendered).
 */
export class Throttle {
  private lastRun = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly fn: () => void,
    private readonly ms = RENDER_EVERY_MS,
  ) {}

  /** Asks for a call. */
  poke(): void {
    if (this.timer !== undefined) return;
    const wait = this.lastRun + this.ms - performance.now();
    if (wait <= 0) return this.run();
    this.timer = setTimeout(() => this.run(), wait);
  }

  /** Drops a pending call (the host is going away). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private run(): void {
    this.timer = undefined;
    this.lastRun = performance.now();
    this.fn();
  }
}

/**
 * Bytes sent of each file we serve, and how fast; a file nothing was sent of for
 * {@link SPEED_WINDOW_MS} is forgotten and `quiet` is called with its id.
 */
export class SendMeter {
  private readonly files = new Map<string, { speed: Speed; sent: number; idle?: number }>();

  constructor(private readonly quiet: (id: string) => void) {}

  /** Whether file `id` is being sent now. */
  has(id: string): boolean {
    return this.files.has(id);
  }

  /** Counts `bytes` of file `id` sent now; what was sent of it so far and how fast. */
  add(id: string, bytes: number): { sent: number; speed: number } {
    const now = performance.now();
    const s = this.files.get(id) ?? { speed: new Speed(), sent: 0 };
    this.files.set(id, s);
    s.sent += bytes;
    s.speed.add(bytes, now);
    clearTimeout(s.idle);
    s.idle = window.setTimeout(() => {
      if (this.files.get(id) !== s) return;
      this.files.delete(id);
      this.quiet(id);
    }, SPEED_WINDOW_MS);
    return { sent: s.sent, speed: s.speed.rate(now) };
  }

  /** Forgets file `id` (its sending was stopped). */
  stop(id: string): void {
    clearTimeout(this.files.get(id)?.idle);
    this.files.delete(id);
  }

  /** Forgets every file. */
  clear(): void {
    for (const id of [...this.files.keys()]) this.stop(id);
  }
}
