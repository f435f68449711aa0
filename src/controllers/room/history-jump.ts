/**
 * What a jump to a message not on screen reads (a reply's quote, a search result): the
 * stretch of history from a few messages before it up to the oldest one shown, so the list
 * stays unbroken and the reader can scroll on from there. Loaded with the first such jump.
 */
import { stretchOf, storedMessage, type PageCursor } from '../../store/history.js';
import type { StoredMessage } from '../../store/schema.js';
import type { ActiveRoom } from './room-context.js';

/** Older messages shown before a message jumped to, so it is seen in its context. */
export const JUMP_CONTEXT = 25;
/** Most messages a jump loads at once (between the message and the ones already shown). */
export const JUMP_MAX = 20_000;

/** Why a jump cannot be shown: not held here, too far back, or storage failed. */
export type JumpFailure = 'gone' | 'far' | 'storage';

/**
 * The stored messages from a little before message `id` up to `oldest` (the oldest shown;
 * none: up to the newest), oldest first; `more` when older ones are left and `oldest` when the
 * stretch reaches further back than what was shown (so "Load earlier" follows it).
 */
export async function loadUpTo(
  active: ActiveRoom,
  id: string,
  oldest: PageCursor | undefined,
): Promise<{ messages: StoredMessage[]; more: boolean; oldest: boolean } | JumpFailure> {
  try {
    const target = await storedMessage(active.db, active.owner, id);
    if (!target || target.room !== active.room) return 'gone';
    const { db, owner, room } = active;
    const page = await stretchOf(db, owner, room, target, oldest, JUMP_CONTEXT, JUMP_MAX);
    if (!page) return 'far';
    const reaches =
      !oldest || oldest.ts > target.ts || (oldest.ts === target.ts && oldest.id >= target.id);
    return { ...page, oldest: reaches };
  } catch {
    return 'storage';
  }
}
