/**
 * Members the server no longer lists but a direct link still reaches. Two cases, told apart on
 * purpose:
 *
 * - **Our** server is away (state `direct`): nobody can vouch for anyone, and an open data
 *   channel is the best evidence there is, so such members stay for as long as their channel
 *   does (heartbeats, or its closing, decide).
 * - Our server is up and says a member left (or did not list it when we came back): that is
 *   usually a member failing over to another node, back within seconds, so its link is kept
 *   for a grace period. If the server has not listed it again by then, it is gone: a member
 *   who disconnects from the server but keeps its channel open cannot stay a hidden listener.
 */
import type { PeerId } from './types.js';

/** How long a member the server stopped listing keeps its direct link, in ms. */
export const UNLISTED_GRACE_MS = 30_000;

/** The members kept only by their direct link, with a deadline where the server is up. */
export class Unlisted {
  private readonly deadlines = new Map<PeerId, ReturnType<typeof setTimeout> | undefined>();

  constructor(
    /** Called when a member's grace ran out without the server listing it again. */
    private readonly expired: (id: PeerId) => void,
    private readonly graceMs = UNLISTED_GRACE_MS,
  ) {}

  has(id: PeerId): boolean {
    return this.deadlines.has(id);
  }

  /** Keeps `id` for its link; with `grace`, only until the grace period ends. */
  add(id: PeerId, grace: boolean): void {
    clearTimeout(this.deadlines.get(id));
    const timer = grace
      ? setTimeout(() => {
          this.deadlines.delete(id);
          this.expired(id);
        }, this.graceMs)
      : undefined;
    this.deadlines.set(id, timer);
  }

  /** The server lists `id` again, or it is gone: no longer kept here. */
  delete(id: PeerId): void {
    clearTimeout(this.deadlines.get(id));
    this.deadlines.delete(id);
  }

  /** Our server went away: nobody's grace runs out while nobody can vouch for anyone. */
  holdAll(): void {
    for (const id of this.deadlines.keys()) this.add(id, false);
  }

  /** Forgets everyone (the transport closed). */
  clear(): void {
    for (const timer of this.deadlines.values()) clearTimeout(timer);
    this.deadlines.clear();
  }
}
