/**
 * Client-side pacing under the relay's rate limit. The server announces its token bucket in
 * the join reply; we keep our own, a little slower, so an honest client is never slowed or
 * cut off by the server however fast the app emits (a pasted burst, a catch-up answer, a
 * WebRTC mesh dialling many peers). Frames wait in order; while the link is down, app frames
 * keep waiting for the next join, and transient ones (signals) are dropped. Frames that serve
 * others in bulk (catch-up answers) wait behind our own, so members asking for history again
 * and again cannot hold our messages and receipts back.
 */
import type { TokenBucket } from '../protocol/token-bucket.js';
// The same margins as on direct links: a little under the receiver's rate and burst.
import { senderBucket } from './direct-budget.js';

/** One frame to the relay; `transient` frames mean nothing after a reconnection. */
export interface PacedFrame {
  send(): void;
  transient?: boolean;
  /**
   * Frames with the same key are the same frame: while one waits, another is not queued (a
   * resend of a message still waiting would only lengthen the queue and cause more resends).
   */
  key?: string;
  /**
   * The frame serves others in bulk (a catch-up answer): it goes only when none of ours is
   * waiting, and is the first to go when too many wait (it can be asked for again).
   */
  later?: boolean;
}

/** Most frames kept waiting; past it the oldest go (the outbox resends what matters). */
const MAX_WAITING = 2000;

/** A queue in front of a token bucket. */
export class Pacer {
  /** Unknown until the server announces its limit: until then nothing waits for tokens. */
  private bucket: TokenBucket | undefined;
  /** Our own frames, in order. */
  private readonly waiting: PacedFrame[] = [];
  /** Frames that serve others ({@link PacedFrame.later}), in order, behind ours. */
  private readonly serving: PacedFrame[] = [];
  private readonly waitingKeys = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private open = false;

  /**
   * Adopts the server's announced limit (events per second, burst). Each join is on a new
   * connection, whose bucket on the server starts full, so ours starts full too.
   */
  configure(limits: { rate: number; burst: number } | undefined): void {
    if (!limits) return;
    this.bucket = senderBucket(limits);
  }

  /** Frames in the queue (for tests and status). */
  get pending(): number {
    return this.waiting.length + this.serving.length;
  }

  /** Sends `frame` now if a token is there and the link is up, else queues it. */
  push(frame: PacedFrame): void {
    if (this.open && !this.pending && this.take()) return frame.send();
    if (!this.open && frame.transient) return;
    if (frame.key !== undefined) {
      if (this.waitingKeys.has(frame.key)) return;
      this.waitingKeys.add(frame.key);
    }
    (frame.later ? this.serving : this.waiting).push(frame);
    if (this.pending > MAX_WAITING) {
      this.forget((this.serving.length ? this.serving : this.waiting).shift()!);
    }
    this.schedule();
  }

  /** The link is up (after a join): waiting frames go out at the paced rate. */
  resume(): void {
    this.open = true;
    this.drain();
  }

  /** The link is down: hold app frames, drop transient ones. */
  pause(): void {
    this.open = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const queue of [this.waiting, this.serving]) {
      for (let i = queue.length - 1; i >= 0; i--) {
        if (queue[i]!.transient) this.forget(queue.splice(i, 1)[0]!);
      }
    }
  }

  /** Drops everything (the transport closed). */
  stop(): void {
    this.pause();
    this.waiting.length = 0;
    this.serving.length = 0;
    this.waitingKeys.clear();
  }

  private forget(frame: PacedFrame): void {
    if (frame.key !== undefined) this.waitingKeys.delete(frame.key);
  }

  private next(): void {
    const frame = (this.waiting.length ? this.waiting : this.serving).shift()!;
    this.forget(frame);
    frame.send();
  }

  private take(): boolean {
    return this.bucket?.take() ?? true;
  }

  private drain = (): void => {
    this.timer = undefined;
    while (this.open && this.pending && this.take()) this.next();
    this.schedule();
  };

  private schedule(): void {
    if (!this.open || !this.pending || this.timer !== undefined) return;
    this.timer = setTimeout(this.drain, Math.max(1, this.bucket?.wait() ?? 0));
  }
}
