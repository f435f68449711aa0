/**
 * Receipts for messages we stored (`chat:ack`), batched per sending connection: the room
 * controller and the background room watch both acknowledge what they take in, so an honest
 * sender stops resending it. Batching keeps receipts a few frames a second per sender, well
 * under the relay's rate limit.
 */
import { MAX_ACK_IDS, type Ack } from '../../protocol/chat-events.js';
import type { Signer } from '../../protocol/identity.js';
import { signAck } from '../../protocol/signed-notices.js';
import type { PeerId } from '../../transport/types.js';

/**
 * Delays before each automatic resend of a message nobody has acknowledged yet, in ms — the
 * other side of receipts: the browser's delivery and the Node client's outbox both use these.
 */
export const RETRY_DELAYS_MS: readonly number[] = [3_000, 6_000, 12_000, 24_000, 48_000];

/** How long acknowledgements wait to be batched, in ms. */
const ACK_BATCH_MS = 250;

/** Collects the ids to acknowledge to each connection and sends them in batches. */
export class Receipts {
  private readonly acks = new Map<PeerId, Set<string>>();
  /** Of those, the ids no key of ours opens, per connection (said in the receipt's `unread`). */
  private readonly unread = new Map<PeerId, Set<string>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Who signs the batch being gathered (the room's identity). */
  private signer: Signer | undefined;

  /** `send` hands one receipt to the connection `peer` (to it only). */
  constructor(private readonly send: (peer: PeerId, ack: Ack) => void) {}

  /**
   * Acknowledges message `id` to connection `from`, in `room`, as identity `by` (which signs
   * the receipt); `unread` when no key of ours opens it (the receipt says so, and its sender
   * does not show *delivered*).
   */
  add(from: PeerId, id: string, room: string, by: Signer, unread = false): void {
    this.signer = by;
    let ids = this.acks.get(from);
    if (!ids) this.acks.set(from, (ids = new Set()));
    ids.add(id);
    if (unread) {
      let locked = this.unread.get(from);
      if (!locked) this.unread.set(from, (locked = new Set()));
      locked.add(id);
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const signer = this.signer!;
      const generation = this.generation;
      for (const [peer, set] of this.acks) {
        const all = [...set];
        const locked = this.unread.get(peer);
        for (let i = 0; i < all.length; i += MAX_ACK_IDS) {
          const ids = all.slice(i, i + MAX_ACK_IDS);
          const unread = locked ? ids.filter((x) => locked.has(x)) : [];
          const ack = { room, ids, ...(unread.length ? { unread } : {}) };
          void signAck(signer, ack).then((signed) => {
            // Signed after the room was left: that receipt is not ours to send any more.
            if (generation === this.generation) this.send(peer, signed);
          });
        }
      }
      this.acks.clear();
      this.unread.clear();
    }, ACK_BATCH_MS);
  }

  private generation = 0;

  /** Drops what waits to be sent (the room was left), signed or not. */
  stop(): void {
    this.generation += 1;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.acks.clear();
    this.unread.clear();
  }
}
