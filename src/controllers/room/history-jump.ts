/**
 * What a jump to a message not on screen reads (a reply's quote, a search result): the
 * stretch of history from a few messages before it up to the oldest one shown, so the list
 * stays unbroken and the reader can scroll on from there. Loaded with the first such jump.
 */
import type { PageCursor } from '../../store/history.js';
import { stretchOf, storedMessage } from '../../store/history-stretch.js';
import type { StoredMessage } from '../../store/schema.js';
import type { HistoryPort } from './history-port.js';
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

/** Why a jump failed, in words. */
const JUMP_WORDS: Record<JumpFailure, string> = {
  gone: 'That message is no longer in this browser.',
  far: 'That message is too far back to show here.',
  storage: "Could not read that message from this browser's storage.",
};

/**
 * Loads and shows the history up to message `id` of `active`'s room (see {@link loadUpTo});
 * resolves whether it is shown now (else the problem is said through `port`).
 */
export async function showUpTo(
  port: HistoryPort,
  active: ActiveRoom,
  id: string,
): Promise<boolean> {
  const page = await loadUpTo(active, id, port.list.items[0]);
  if (typeof page === 'string')
    return port.fail(page === 'storage' ? 'storage' : 'invalid-message', JUMP_WORDS[page]);
  const shown = await port.sealing.openAll(page.messages);
  if (!port.current(active)) return false;
  port.list.upsertMany(shown);
  if (page.oldest) port.older(page.more);
  return port.list.has(id) || port.fail('invalid-message', JUMP_WORDS.gone);
}
