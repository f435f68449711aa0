/**
 * The sealed messages of the room on screen that no key of ours opens, as the room holds them
 * aside: their ids and headers only, never their bodies (those stay in IndexedDB, read again
 * when a key comes). Anyone with a throwaway identity can send sealed bodies nobody can open
 * (up to the relay's payload cap, about 33 KB each): held with their bodies, 5,000 of them
 * took the page's heap from 3 to about 200 MB. So what arrives is also held to byte budgets:
 * per author and per room, and far smaller in a room where we hold no key (there, nothing
 * sealed can be ours to read until a passphrase or link comes). A message past a budget is
 * refused: never stored, shown or acknowledged (an honest sender tries again later, when the
 * room may have the key).
 *
 * The byte budgets count what arrives live only. History we asked for (a catch-up answer) is
 * bounded by the asking — how much, from whom — and a newcomer who has not typed the passphrase
 * yet must keep all of it, to read it once they do; history read back from storage was
 * admitted once already. Both count against the overall number held.
 */
import type { StoredMessage } from '../../store/schema.js';

/** What is held of a sealed message no key opens: enough to list it, compare a copy, find it again. */
export interface HeldSealed {
  id: string;
  from: { id: string; name: string };
  /** The key it names (its "can't read" row says which). */
  kid?: string;
  /** Its signature: a copy with the same id and signature is a repeat (verified, it says the same). */
  sig: string;
  /** The size of its body as it came (JSON characters), counted against the budgets. */
  bytes: number;
}

/** The budgets of what a room holds sealed and unopened. */
export interface HeldBudget {
  /** Most bytes of one author's unopened sealed bodies. */
  authorBytes: number;
  /** Most bytes of unopened sealed bodies in the room, while we hold a key of it. */
  roomBytes: number;
  /** Most held, while we hold a key. */
  count: number;
  /** Most bytes in a room where we hold no key (nothing sealed there is ours to read yet). */
  keylessBytes: number;
  /** Most held in a room where we hold no key. */
  keylessCount: number;
}

/**
 * The default budgets: an author's 256 KB is hundreds of ordinary sealed messages (a text is a
 * few hundred bytes) but 7 of the largest; a room's 4 MB bounds what throwaway identities
 * together make us store and list; without a key, 128 KB and 100 messages.
 */
export const HELD_BUDGET: HeldBudget = {
  authorBytes: 256 * 1024,
  roomBytes: 4 * 1024 * 1024,
  count: 5000,
  keylessBytes: 128 * 1024,
  keylessCount: 100,
};

/** The size of `body` as it travels (JSON characters): what it costs to store and hold. */
export function bodyBytes(body: unknown): number {
  try {
    return JSON.stringify(body)?.length ?? 0;
  } catch {
    return Number.MAX_SAFE_INTEGER;
  }
}

/**
 * How a sealed message came to be held: `live` (a `chat:message`: every budget), `asked` (in
 * a catch-up answer we asked for) or `stored` (read back from storage): only the overall count.
 */
export type HeldHow = 'live' | 'asked' | 'stored';

/** The held sealed messages of one room, by id, with their byte totals. */
export class HeldLedger {
  private readonly held = new Map<string, HeldSealed>();
  /**
   * The few just arrived and not yet stored (within the budgets, until their write commits):
   * a key that comes meanwhile must still find their bodies.
   */
  private readonly unstored = new Map<string, StoredMessage>();
  private readonly byAuthor = new Map<string, number>();
  private total = 0;
  /** Of those, what came live: the bytes each counts against the budgets, per author and all. */
  private readonly live = new Map<string, number>();
  private readonly liveByAuthor = new Map<string, number>();
  private liveTotal = 0;

  constructor(private readonly budget: HeldBudget = HELD_BUDGET) {}

  /** How many are held. */
  get size(): number {
    return this.held.size;
  }

  /** Bytes of the bodies held aside (in storage, not in memory). */
  get bytes(): number {
    return this.total;
  }

  /** The held message `id`, if any. */
  get(id: string): HeldSealed | undefined {
    return this.held.get(id);
  }

  has(id: string): boolean {
    return this.held.has(id);
  }

  /** The body of held message `id` while its write has not committed, if so. */
  unstoredOne(id: string): StoredMessage | undefined {
    return this.unstored.get(id);
  }

  /** The writes of `ids` are over (committed or failed): their bodies are storage's now. */
  settle(ids: readonly string[]): void {
    for (const id of ids) this.unstored.delete(id);
  }

  /** Every held message, oldest taken first. */
  values(): IterableIterator<HeldSealed> {
    return this.held.values();
  }

  /**
   * Holds `msg` aside; false when a budget refuses it. One that came live must fit every
   * budget; one in a catch-up answer we asked for, or read back from storage, only the overall
   * count (see {@link HeldHow}).
   */
  hold(msg: StoredMessage, keyed: boolean, how: HeldHow): boolean {
    if (this.held.has(msg.id)) return true;
    const b = this.budget;
    const bytes = bodyBytes(msg.body);
    const author = this.byAuthor.get(msg.from.id) ?? 0;
    if (this.held.size >= b.count) return false;
    if (how === 'live') {
      const liveAuthor = this.liveByAuthor.get(msg.from.id) ?? 0;
      if (!keyed && this.live.size >= b.keylessCount) return false;
      const roomBytes = keyed ? b.roomBytes : b.keylessBytes;
      if (this.liveTotal + bytes > roomBytes || liveAuthor + bytes > b.authorBytes) return false;
      this.live.set(msg.id, bytes);
      this.liveByAuthor.set(msg.from.id, liveAuthor + bytes);
      this.liveTotal += bytes;
    }
    const body = msg.body as { kid?: unknown };
    this.held.set(msg.id, {
      id: msg.id,
      from: { id: msg.from.id, name: msg.from.name },
      ...(typeof body.kid === 'string' ? { kid: body.kid } : {}),
      sig: msg.sig,
      bytes,
    });
    this.byAuthor.set(msg.from.id, author + bytes);
    this.total += bytes;
    if (how !== 'stored') this.unstored.set(msg.id, msg);
    return true;
  }

  /** Lets `id` go (a key opened it); its bytes leave the budgets. */
  delete(id: string): void {
    const found = this.held.get(id);
    if (!found) return;
    this.held.delete(id);
    this.unstored.delete(id);
    this.total -= found.bytes;
    less(this.byAuthor, found.from.id, found.bytes);
    const live = this.live.get(id);
    if (live !== undefined) {
      this.live.delete(id);
      this.liveTotal -= live;
      less(this.liveByAuthor, found.from.id, live);
    }
  }

  clear(): void {
    this.held.clear();
    this.unstored.clear();
    this.byAuthor.clear();
    this.total = 0;
    this.live.clear();
    this.liveByAuthor.clear();
    this.liveTotal = 0;
  }
}

/** Takes `bytes` off `key`'s total in `totals` (gone at 0). */
function less(totals: Map<string, number>, key: string, bytes: number): void {
  const left = (totals.get(key) ?? 0) - bytes;
  if (left > 0) totals.set(key, left);
  else totals.delete(key);
}
