/**
 * What we send on one data channel, in order: a frame goes at once while the channel's buffer
 * has room and the link's pace allows, else it waits in a queue until both do — backpressure
 * (Chromium never says "send queue is full") and the member's budget for us (it never drops
 * our frames; see `direct-budget.ts`). Split from the WebRTC transport, which owns one per link.
 */
import type { TokenBucket } from '../protocol/token-bucket.js';

/** Bytes the data channel may hold before we queue instead of sending. */
const HIGH_WATER = 256 * 1024;
/** How often a queue waiting for the channel to drain is looked at, in ms. */
const DRAIN_POLL_MS = 5;

/** The part of a simple-peer connection the writer uses. */
export interface Channel {
  readonly bufferSize: number;
  send(frame: string): void;
}

/** The ordered, paced sending side of one data channel. */
export class ChannelWriter {
  /** Frames waiting for the buffer to drain or the pace to allow, oldest first. */
  private readonly queue: string[] = [];
  private drain: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly channel: Channel,
    /** Paces our app frames under the member's budget for us. */
    private readonly pace: TokenBucket,
    /** Frames that cost no budget (heartbeats). */
    private readonly free: (frame: string) => boolean,
    /** The channel threw on send: the link is gone. */
    private readonly failed: () => void,
    /** The queue emptied after waiting: chunk frames held back for it may go. */
    private readonly drained: () => void = () => {},
  ) {}

  /** Sends `frame` now if it may go, else after those waiting. */
  write(frame: string): void {
    if (this.queue.length === 0 && this.ready(frame)) {
      try {
        this.channel.send(frame);
      } catch {
        this.failed();
      }
      return;
    }
    this.queue.push(frame);
    this.drain ??= setTimeout(() => this.flush(), DRAIN_POLL_MS);
  }

  /** Frames waiting to go (chunk frames wait until none does). */
  get waiting(): number {
    return this.queue.length;
  }

  /** Forgets what waits (the link is closing). */
  stop(): void {
    clearTimeout(this.drain);
    this.drain = undefined;
  }

  private ready(frame: string): boolean {
    return this.channel.bufferSize < HIGH_WATER && (this.free(frame) || this.pace.take());
  }

  private flush(): void {
    this.drain = undefined;
    try {
      while (this.queue.length > 0 && this.ready(this.queue[0]!)) {
        this.channel.send(this.queue.shift()!);
      }
    } catch {
      return this.failed();
    }
    if (this.queue.length > 0)
      this.drain = setTimeout(() => this.flush(), Math.max(DRAIN_POLL_MS, this.pace.wait()));
    else this.drained();
  }
}
