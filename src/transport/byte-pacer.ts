/**
 * The sending side of a link's binary lane: chunk frames wait in order until the link's byte
 * bucket (a little under the receiver's budget, see `byte-bucket.ts`) and its buffer both let
 * them go — backpressure, so a 100 MB file never sits in memory nor overflows a data channel
 * or a WebSocket. Each `push` resolves once its frame is handed to the wire (`true`) or given
 * up (`false`: the link went down), so a sender that awaits each one holds one chunk at a time.
 * Separate from the JSON frames' pacer: a chat message never waits behind chunks.
 */
import type { ByteBudget } from './types.js';
import { senderByteBucket, type ByteBucket } from './byte-bucket.js';

/** How often a frame waiting for the buffer to drain looks again, in ms (without a `kick`). */
const POLL_MS = 5;
/** Most frames kept waiting: a caller that does not await its sends is told `false`. */
const MAX_WAITING = 64;

interface Waiting {
  size: number;
  /** Puts the frame on the wire; false when the link turned out to be gone. */
  go(): boolean;
  done(ok: boolean): void;
}

/** The pacer's time: a clock in ms and a timer (tests drive both, so no verdict hangs on speed). */
export interface PacerClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

/** The page's own time. */
const realClock: PacerClock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/** A queue of chunk frames in front of a byte bucket and a buffer. */
export class BytePacer {
  private bucket: ByteBucket;
  private readonly waiting: Waiting[] = [];
  private timer: unknown;

  constructor(
    budget: ByteBudget,
    /** Whether the wire's buffer has room for one more chunk now (and nothing goes first). */
    private readonly room: () => boolean = () => true,
    private readonly clock: PacerClock = realClock,
  ) {
    this.bucket = senderByteBucket(budget, () => clock.now());
  }

  /** Adopts a new budget (the server announced its own); a new connection starts full. */
  configure(budget: ByteBudget): void {
    this.bucket = senderByteBucket(budget, () => this.clock.now());
  }

  /** Frames waiting (for tests and status). */
  get pending(): number {
    return this.waiting.length;
  }

  /** Sends a frame of `size` bytes through `go` when it may go; see the module comment. */
  push(size: number, go: () => boolean): Promise<boolean> {
    if (this.waiting.length >= MAX_WAITING) return Promise.resolve(false);
    return new Promise<boolean>((done) => {
      this.waiting.push({ size, go, done });
      // A frame already waiting for its time goes first: this one queues behind it.
      if (this.timer === undefined) this.flush();
    });
  }

  /** The buffer drained (e.g. `bufferedamountlow`): look again now. */
  kick(): void {
    if (this.waiting.length === 0) return;
    this.stopTimer();
    this.flush();
  }

  /** The link is gone: every waiting frame is given up. */
  cancel(): void {
    this.stopTimer();
    for (const w of this.waiting.splice(0)) w.done(false);
  }

  private flush(): void {
    while (this.waiting.length > 0) {
      const head = this.waiting[0]!;
      if (!this.room()) return this.later(POLL_MS);
      const wait = this.bucket.wait(head.size);
      if (wait > 0 || !this.bucket.take(head.size)) return this.later(Math.max(1, wait));
      this.waiting.shift();
      let ok: boolean;
      try {
        ok = head.go();
      } catch {
        ok = false; // the wire refused it (a closed channel): the link is going
      }
      head.done(ok);
    }
  }

  private readonly due = (): void => {
    this.timer = undefined;
    this.flush();
  };

  private later(ms: number): void {
    this.timer ??= this.clock.setTimeout(this.due, ms);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
