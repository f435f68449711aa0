/**
 * Messages that arrive long after the time their author signed. A member may date its own
 * message as it likes (within the future bound the intake keeps): one dated half an hour ago
 * would sort in among what was said then, unseen, unless it says when it really came. So a
 * live message (`chat:message`) keeps when it arrived here, and one dated well before that
 * shows both times and counts as new by its arrival. What a catch-up we asked for brings is
 * old by nature (we were away) and carries no arrival. Honest messages can be late too (written
 * offline, sent once their author was back): the mark says what happened, not who is lying.
 */
import { noteLate } from '../../store/late-arrivals.js';
import type { ActiveRoom } from './room-context.js';

/** How much earlier than its arrival a live message may be dated before it shows so (ms). */
export const LATE_MS = 2 * 60_000;

/** What lateness is judged on: the signed time and, for a live message, its arrival. */
export interface Timed {
  ts: number;
  arrived?: number;
}

/** Whether `m` arrived live more than {@link LATE_MS} after the time it is dated. */
export function isLate(m: Timed): boolean {
  return m.arrived !== undefined && m.arrived - m.ts > LATE_MS;
}

/** When `m` became news: its arrival if it came late, else its signed time. */
export function newsTime(m: Timed): number {
  return isLate(m) ? m.arrived! : m.ts;
}

/**
 * Notes those of `envs` (live messages of `active`'s room, just stored, that arrived at
 * `arrived`) that came late, so the room list counts them unread until the room is seen (see
 * `store/late-arrivals.ts`).
 */
export async function noteLateArrivals(
  active: Pick<ActiveRoom, 'db' | 'owner' | 'room' | 'self'>,
  envs: readonly { id: string; ts: number; from: { id: string } }[],
  arrived: number,
): Promise<void> {
  const late = envs.filter((e) => e.from.id !== active.self.id && isLate({ ts: e.ts, arrived }));
  if (late.length === 0) return;
  await noteLate(
    active.db,
    active.owner,
    active.room,
    late.map((e) => e.id),
  );
}
