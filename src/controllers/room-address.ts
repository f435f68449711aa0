/**
 * The room in the page address: `#room=<name>`, so a link can be shared. Only this file reads
 * or writes `location.hash`.
 */
import * as v from 'valibot';
import { describeIssues, RoomNameSchema } from '../protocol/fields.js';

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

/** Writes `room` into the address, keeping other hash parameters. */
export function writeRoomToHash(room: string): void {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  params.set('room', room);
  location.hash = params.toString();
}
