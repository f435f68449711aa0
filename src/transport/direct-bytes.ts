/**
 * The binary lane of a direct link (a WebRTC data channel): our chunk frames to one member, and
 * the member's to us. Ours go as binary messages (see `chunk-codec.ts`) once the link's JSON
 * frames have all gone (chat overtakes chunks), the channel's buffer is low (backpressure: we
 * wait for `bufferedamountlow`, so a file of any size never grows memory nor fills the send
 * queue) and a byte bucket a little under the member's budget lets them. Theirs are checked
 * against a byte bucket per member at the budget the relay announced (both ends apply it):
 * over it, oversized or malformed, a frame is dropped and counted, and the link stays.
 */
import type { ChunkHead } from '../protocol/file-events.js';
import { PeerByteBuckets } from './byte-bucket.js';
import { BytePacer } from './byte-pacer.js';
import { decodeChunk, encodeChunk, MAX_WIRE_FRAME } from './chunk-codec.js';
import type { ByteBudget, PeerId } from './types.js';

/**
 * Bytes the channel may hold before our next chunk waits. Enough to keep the SCTP pipe full
 * between two wake-ups; a chat frame waits behind at most this much (~20 ms of a fast link).
 */
export const CHUNK_HIGH_WATER = 512 * 1024;
/**
 * Where the channel's `bufferedamountlow` fires (its threshold): waiting chunks are woken while
 * half the high water is still queued, so the link never runs dry between two batches (the
 * default threshold, 0, would wake them only once the buffer is empty).
 */
export const CHUNK_LOW_WATER = 256 * 1024;

/** What the lane needs of a simple-peer connection. */
export interface BinaryPeer {
  send(data: Uint8Array): void;
}

/** The data channel simple-peer keeps (`_channel`), once it exists. */
type Channel = Pick<
  RTCDataChannel,
  'bufferedAmount' | 'bufferedAmountLowThreshold' | 'addEventListener' | 'removeEventListener'
>;

/** The sending side of one link's binary lane. */
export class DirectLane {
  private readonly pacer: BytePacer;
  private channel: Channel | undefined;
  private readonly kick = () => this.pacer.kick();

  constructor(
    private readonly peer: BinaryPeer,
    budget: ByteBudget,
    /** Whether JSON frames are waiting to go on this link (they go first). */
    private readonly jsonWaiting: () => boolean,
  ) {
    this.pacer = new BytePacer(budget, () => this.room());
  }

  private room(): boolean {
    this.channel ??= (this.peer as { _channel?: Channel })._channel;
    if (!this.channel) return false;
    return this.channel.bufferedAmount < CHUNK_HIGH_WATER && !this.jsonWaiting();
  }

  /** The channel opened: its `bufferedamountlow` wakes waiting chunks. */
  opened(): void {
    this.channel = (this.peer as { _channel?: Channel })._channel;
    if (this.channel) this.channel.bufferedAmountLowThreshold = CHUNK_LOW_WATER;
    this.channel?.addEventListener('bufferedamountlow', this.kick);
  }

  /** JSON frames went out: chunks may follow. */
  nudge(): void {
    this.pacer.kick();
  }

  /** Sends one chunk frame when it may go; see `Transport.sendBytes`. */
  send(head: ChunkHead, bytes: Uint8Array): Promise<boolean> {
    return this.pacer.push(bytes.byteLength, () => {
      this.peer.send(encodeChunk(head, bytes));
      return true;
    });
  }

  /** The link closed: waiting chunks are given up. */
  stop(): void {
    this.channel?.removeEventListener('bufferedamountlow', this.kick);
    this.pacer.cancel();
  }
}

/** What a received chunk frame comes to: a head and bytes for the door, or why it was dropped. */
export type Inbound =
  { head: unknown; bytes: Uint8Array } | { dropped: 'size' | 'budget' | 'form' };

/** The receiving side of every direct link: one byte bucket per member (`now`: their clock, tests). */
export class DirectIntake {
  private readonly buckets: PeerByteBuckets;

  constructor(budget: ByteBudget, now?: () => number) {
    this.buckets = new PeerByteBuckets(budget, now);
  }

  /** Adopts the budget the relay announced. */
  configure(budget: ByteBudget): void {
    this.buckets.configure(budget);
  }

  /**
   * Checks a chunk frame from `from`: one far over the cap is not even decoded, nor is one over
   * the member's budget (a flood costs a comparison per frame).
   */
  take(from: PeerId, data: Uint8Array): Inbound {
    if (data.byteLength > MAX_WIRE_FRAME) return { dropped: 'size' };
    if (!this.buckets.take(from, data.byteLength)) return { dropped: 'budget' };
    return decodeChunk(data) ?? { dropped: 'form' };
  }

  /** The member is gone. */
  forget(peer: PeerId): void {
    this.buckets.forget(peer);
  }
}
