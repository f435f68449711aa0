/**
 * The room in the page address: `#room=<name>`, so a link can be shared. Only this file reads
 * or writes `location.hash`.
 */
import * as v from 'valibot';
import { describeIssues, RoomNameSchema } from '../../protocol/fields.js';

/** Room used when the address names none. */
export const DEFAULT_ROOM = 'lobby';

/** Checks a room name; returns a readable problem, or undefined when it is fine. */
export function roomProblem(name: string): string | undefined {
  const parsed = v.safeParse(RoomNameSchema, name);
  return parsed.success ? undefined : describeIssues(parsed.issues);
}

/** The room named in the current address (undefined if none). */
export function roomFromHash(hash: string = location.hash): string | undefined {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get('room');
  return value === null ? undefined : value.trim();
}

/**
 * The room key an invite link carries (`#room=…&key=…`), if any. Read once, then taken out of
 * the address ({@link dropKeyFromHash}) so it does not linger in the address bar or history.
 */
export function keyFromHash(hash: string = location.hash): string | undefined {
  return new URLSearchParams(hash.replace(/^#/, '')).get('key') ?? undefined;
}

/** The title a private room's invite link carries (`&title=`), if any. */
export function titleFromHash(hash: string = location.hash): string | undefined {
  return new URLSearchParams(hash.replace(/^#/, '')).get('title') ?? undefined;
}

/** Takes the key (and title) out of the address without a navigation (the room stays). */
export function dropKeyFromHash(): void {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  if (!params.has('key') && !params.has('title')) return;
  params.delete('key');
  params.delete('title');
  history.replaceState(history.state, '', `#${params.toString()}`);
}

/** Writes `room` into the address, keeping other hash parameters. */
export function writeRoomToHash(room: string): void {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  params.set('room', room);
  location.hash = params.toString();
}
