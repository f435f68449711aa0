/**
 * Which app events may travel to one member only (`relay:to`). A message, a typing notice or a
 * file search is the room's: sent to one member, it would let a member show that member words
 * nobody else sees (a split view, a back-dated insertion into one person's history). Honest
 * clients direct only receipts, round-trip probes, catch-up requests and their answers, their
 * signed hello to a newcomer (1.4: it says only who is here, signed, to one who just came), and
 * file offers and requests; nothing else is carried to one member.
 */
import type { WireEvent } from '../src/protocol/wire-events.js';

/** The app events `relay:to` carries: every other goes to the whole room (`relay:emit`). */
export const DIRECTED_EVENTS: ReadonlySet<WireEvent> = new Set<WireEvent>([
  'chat:ack',
  'chat:here',
  'chat:ping',
  'chat:pong',
  'chat:sync-req',
  'chat:sync-res',
  'file:have',
  'file:want',
]);

/** Whether `event` (a relayed app event) may be sent to one member only. */
export function directed(event: WireEvent): boolean {
  return DIRECTED_EVENTS.has(event);
}
