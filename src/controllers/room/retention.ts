/**
 * Keeps each room's history within its limit (`history-max`): a few seconds after new messages
 * are stored, the oldest beyond the limit are deleted in bounded transactions (see
 * `pruneRoom`), never one still in the outbox, each at a background turn (`history-turns.ts`:
 * after the page's own work, never while a catch-up answer is being read). Nothing waits for
 * it; the list on screen is left alone (it is paged).
 */
import { pruneRoom } from '../../store/prune.js';
import { backgroundTurn } from './history-turns.js';
import type { ActiveRoom } from './room-context.js';

/** Least time between two prunings, in ms: a flood costs one count and a few deletes per 2 s. */
const PRUNE_GAP_MS = 2000;

/** Prunes the room being shown, in the background. */
export class Retention {
  private room: ActiveRoom | undefined;
  /** Messages the room holds as far as we know; undefined until counted. */
  private held: number | undefined;
  /** Messages stored since the room was entered (to add those stored during a prune). */
  private added = 0;
  /** The next prune, waiting or running. */
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly limit: () => number) {}

  /** A room was entered: count and prune it once. */
  start(active: ActiveRoom): void {
    this.stop();
    this.room = active;
    this.soon();
  }

  /** `n` new messages were stored in `active`'s room. */
  stored(active: ActiveRoom, n: number): void {
    if (active !== this.room) return;
    this.added += n;
    if (this.held !== undefined) this.held += n;
    this.soon();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = this.room = this.held = undefined;
  }

  private soon(): void {
    const active = this.room;
    if (!active || this.timer !== undefined) return;
    if (this.held !== undefined && this.held <= this.limit()) return;
    this.timer = setTimeout(() => void this.prune(active), PRUNE_GAP_MS);
  }

  private async prune(active: ActiveRoom): Promise<void> {
    const before = this.added;
    try {
      // Counting a large room is work for IndexedDB too: it waits for a turn like the deletes.
      await backgroundTurn();
      if (this.room !== active) return;
      const left = await pruneRoom(active.db, active.owner, active.room, this.limit(), undefined, {
        between: backgroundTurn,
      });
      if (this.room === active) this.held = left + this.added - before;
    } catch {
      // Storage gone (logged out) or failing: the next message stored tries again.
    }
    if (this.room !== active) return;
    this.timer = undefined;
    this.soon();
  }
}
