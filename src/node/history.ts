/**
 * What a bot holds of one room, in memory: every verified message (its envelope as signed, so
 * it can be passed on in catch-up and checked again by whoever receives it), in time order,
 * bounded. This is what it answers catch-up requests from and what tells a repeat from a new
 * message.
 */
import type { Envelope } from '../protocol/chat-events.js';

/** Most messages a room's history holds by default; the oldest go first. */
export const DEFAULT_MAX_HISTORY = 100_000;

/** Ids of dropped messages remembered (see `RoomHistory.wasDropped`). */
const MAX_DROPPED = 10_000;

/** Orders by time, then id (one author's ids sort in the order they were made). */
function before(a: Envelope, b: Envelope): boolean {
  return a.ts < b.ts || (a.ts === b.ts && a.id < b.id);
}

/** A room's verified messages, oldest first. */
export class RoomHistory {
  private readonly byId = new Map<string, Envelope>();
  private readonly ordered: Envelope[] = [];
  /**
   * Ids of messages reported once but no longer held (pushed out by newer ones, or older than
   * everything a full history holds), bounded: a replay of one is not new again.
   */
  private readonly dropped = new Set<string>();

  constructor(private readonly max = DEFAULT_MAX_HISTORY) {}

  /** How many messages are held. */
  get size(): number {
    return this.ordered.length;
  }

  /** The message with `id`, if held. */
  get(id: string): Envelope | undefined {
    return this.byId.get(id);
  }

  /** Every message held, oldest first. */
  all(): readonly Envelope[] {
    return this.ordered;
  }

  /** The newest message, if any. */
  newest(): Envelope | undefined {
    return this.ordered.at(-1);
  }

  /**
   * Adds `env` (already verified) in its place; false if its id was held already, or the
   * history is full and `env` is older than everything in it.
   */
  add(env: Envelope): boolean {
    if (this.byId.has(env.id)) return false;
    // Full, and older than all it holds: it would go at once (and be new again next time).
    if (this.ordered.length >= this.max && before(env, this.ordered[0]!)) return false;
    this.byId.set(env.id, env);
    let i = this.ordered.length;
    // Usually the newest: walk back from the end.
    while (i > 0 && before(env, this.ordered[i - 1]!)) i--;
    this.ordered.splice(i, 0, env);
    if (this.ordered.length > this.max) {
      const out = this.ordered.shift()!.id;
      this.byId.delete(out);
      this.noteDropped(out);
    }
    return true;
  }

  /** Whether `id` was reported once and is no longer held (see {@link noteDropped}). */
  wasDropped(id: string): boolean {
    return this.dropped.has(id);
  }

  /** `id` was reported but is not held: a replay of it is not new. */
  noteDropped(id: string): void {
    this.dropped.add(id);
    if (this.dropped.size > MAX_DROPPED) this.dropped.delete(this.dropped.values().next().value!);
  }

  /** The newest `limit` messages dated `since` or later, oldest first (a catch-up answer). */
  since(since: number, limit: number): Envelope[] {
    let start = this.ordered.length;
    while (start > 0 && this.ordered[start - 1]!.ts >= since) start--;
    return this.ordered.slice(Math.max(start, this.ordered.length - limit));
  }
}
