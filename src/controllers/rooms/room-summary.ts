/**
 * What the room list says of one room: how many messages wait unread and the newest one (its
 * author, its text — opened with the room's keys — and time). Loaded with the rooms store by
 * the rooms controller once someone is logged in, so neither weighs on the first download.
 */
import { fileLine } from '../room/message-report.js';
import type { MessageEvent } from '../../protocol/message-events.js';
import { capText, lastMessage, touchRoom, unreadMessages } from '../../store/rooms.js';
import type { RoomRecord } from '../../store/rooms.js';
import type { ParleyDb } from '../../store/db.js';
import { lateUnread } from '../../store/late-arrivals.js';
import { roomKeysOf } from '../../store/room-keys.js';
import { textOf } from '../room/room-sealing.js';

export {
  capText,
  listRooms,
  MAX_ROOMS,
  putRoom,
  removeRoom,
  setDraft,
  setLastRead,
  UNREAD_CAP,
} from '../../store/rooms.js';
export { seenLate } from '../../store/late-arrivals.js';

/** What the list shows of a sealed message no key of ours opens. */
export const ENCRYPTED_PREVIEW = 'Encrypted message';
/**
 * What it shows of a clear message in a room we hold a key for: anyone who knows the room's
 * name can send one, under any name — never passed off as the room's own words.
 */
export const UNENCRYPTED_PREVIEW = 'Unencrypted message';
/**
 * What the list says of a private room's control message (see `protocol/room-roles.ts`), after
 * its author's name: never "a message this version can't show".
 */
const ROLE_PREVIEWS: Record<string, string> = {
  room: 'made this private room',
  member: 'joined the room',
  admin: 'made an admin',
  rekey: "changed the room's key",
  prior: "changed the room's key",
};

/** Longest preview of the newest message, in UTF-16 code units (the view ellipsizes). */
const PREVIEW_MAX = 200;

/** The newest message of a room, as the list mentions it. */
export interface LastMessage {
  author: string;
  /** The author's identity id (an inbox tells a visitor's words from an agent's by it). */
  by: string;
  /** It is someone's words (a text or a file), not a room notice, an edit or a reaction. */
  said?: true;
  text: string;
  ts: number;
}

/** How the room list previews an edit, a deletion or a reaction. */
function eventLine(event: MessageEvent): string {
  if (event.kind === 'edit') return `(edited) ${event.text}`;
  if (event.kind === 'delete') return 'deleted a message';
  return event.on ? `reacted ${event.emoji}` : 'took back a reaction';
}

/** A room's unread count and newest message, and its record (moved up if that is newer). */
export interface Summary {
  record: RoomRecord;
  unread: number;
  /**
   * Of `unread`, the late arrivals (dated before what was read, arrived since: see
   * `store/late-arrivals.ts`), which reading up to a date does not clear.
   */
  late?: number;
  last?: LastMessage;
}

/**
 * Counts what `self` (our identity id) has not read in `record`'s room and finds its newest
 * message; a newer message than the record knew moves the room up the list.
 */
export async function summarize(db: ParleyDb, record: RoomRecord, self: string): Promise<Summary> {
  const { owner, room } = record;
  const [waiting, late, newest, keys] = await Promise.all([
    unreadMessages(db, owner, room, self, record.lastRead),
    lateUnread(db, owner, room, self, record.lastRead),
    lastMessage(db, owner, room),
    roomKeysOf(db, owner, room),
  ]);
  // Only words someone can read are unread: not a sealed message no key of ours opens, not a
  // room notice (a kind this version shows as a quiet line).
  const words = async (msgs: typeof waiting) =>
    (await Promise.all(msgs.map((m) => textOf(m, keys)))).filter(
      (t) => t !== undefined && t.unknown === undefined && !t.event && !t.ignored,
    ).length;
  const [dated, arrived] = await Promise.all([words(waiting), words(late)]);
  const unread = dated + arrived;
  const counts = arrived > 0 ? { unread, late: arrived } : { unread };
  if (!newest) return { record, ...counts };
  const opened = await textOf(newest, keys);
  const text = !opened
    ? ENCRYPTED_PREVIEW
    : keys.length > 0 && !opened.sealed
      ? UNENCRYPTED_PREVIEW
      : (ROLE_PREVIEWS[opened.unknown ?? ''] ??
        capText(
          opened.event
            ? eventLine(opened.event)
            : opened.text || (opened.file ? fileLine(opened.file.name) : ''),
          PREVIEW_MAX,
        ));
  const said =
    opened && !opened.unknown && !opened.event && !opened.ignored ? { said: true as const } : {};
  const last = { author: newest.from.name, by: newest.from.id, text, ts: newest.ts, ...said };
  // A message dated ahead (within the clock skew allowed) must not pin the room to the top.
  const at = Math.min(newest.ts, Date.now());
  const moved = at > record.lastActivity && (await touchRoom(db, owner, room, at));
  return { record: moved || record, ...counts, last };
}
