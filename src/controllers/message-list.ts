/**
 * The messages on screen, kept sorted by time (then id) and unique by id. Insertion is a
 * binary search, so merging history pages or late arrivals never re-sorts the whole list.
 */
import type { MessageStatus, StoredMessage } from '../store/schema.js';

/** A message as views show it (stored form: envelope, owner, delivery state). */
export type ChatMessage = StoredMessage;
/** Longest message text views let the user send. */
export { MAX_TEXT } from '../protocol/limits.js';

function before(a: StoredMessage, b: StoredMessage): boolean {
  return a.ts < b.ts || (a.ts === b.ts && a.id < b.id);
}

/** Sorted, de-duplicated list of messages. */
export class MessageList {
  private list: StoredMessage[] = [];
  private readonly byId = new Map<string, StoredMessage>();

  /** Messages, oldest first. A new array after every change, so views can compare. */
  get items(): readonly StoredMessage[] {
    return this.list;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The message with `id`, if shown. */
  get(id: string): StoredMessage | undefined {
    return this.byId.get(id);
  }

  /** Adds a message, or replaces the one with the same id. */
  upsert(msg: StoredMessage): void {
    const next = [...this.list];
    if (this.byId.has(msg.id)) {
      const i = next.findIndex((m) => m.id === msg.id);
      next[i] = msg;
    } else {
      let lo = 0;
      let hi = next.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (before(next[mid]!, msg)) lo = mid + 1;
        else hi = mid;
      }
      next.splice(lo, 0, msg);
    }
    this.byId.set(msg.id, msg);
    this.list = next;
  }

  /** Adds or replaces many messages at once: one sort, one new array (catch-up pages). */
  upsertMany(msgs: readonly StoredMessage[]): void {
    if (msgs.length < 8) return msgs.forEach((m) => this.upsert(m));
    for (const m of msgs) this.byId.set(m.id, m);
    this.list = [...this.byId.values()].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }

  /** Changes the delivery state of one message. */
  setStatus(id: string, status: MessageStatus): void {
    const msg = this.byId.get(id);
    if (msg && msg.status !== status) this.upsert({ ...msg, status });
  }

  clear(): void {
    this.list = [];
    this.byId.clear();
  }
}
