/**
 * A whole room's stored history as the rows the message list shows — opened with the room's
 * keys, message events folded into the messages they name — for the readable export
 * (`export-html.ts`). It reads what the room controller reads, page by page, and opens each
 * message as `room-sealing.ts` does; a sealed one no key opens is one "can't read" row.
 */
import type { SealedBody } from '../../protocol/room-key.js';
import type { ParleyDb } from '../../store/db.js';
import type { RoomKeyEntry } from '../../store/room-keys.js';
import type { StoredMessage } from '../../store/schema.js';
import { storedPages } from './history-export.js';
import { MessageList, type ChatMessage } from './message-list.js';
import { textOf, type OpenedText } from './room-sealing.js';

/**
 * How a private room's control message shows: its quiet line, `null` for none (not shown), or
 * undefined when `body` is not a control message.
 */
export type ControlNote = (msg: ChatMessage, body: unknown) => Promise<string | null | undefined>;

/** `msg` as a row, or undefined when it is not shown (a malformed or refused event). */
async function rowOf(
  msg: StoredMessage,
  read: OpenedText | undefined,
  keys: readonly RoomKeyEntry[],
  note: ControlNote | undefined,
): Promise<ChatMessage | undefined> {
  const { unreadBy, ...stored } = msg;
  if (read === undefined) {
    const sealed = msg.body as Partial<SealedBody>;
    if (typeof sealed.enc !== 'string') return undefined;
    const kid = typeof sealed.kid === 'string' ? { kid: sealed.kid } : {};
    return { ...stored, text: '', unreadable: true, ...kid };
  }
  if (read.ignored) return undefined;
  const { body, ignored: _i, ...rest } = read;
  const row: ChatMessage = { ...stored, ...rest };
  if (unreadBy?.length) row.cantRead = unreadBy;
  if (!read.sealed && keys.length > 0) row.inClear = true;
  if (note) {
    const line = await note(row, body);
    if (line === null) return undefined;
    if (line !== undefined) {
      const { unknown: _u, ...plain } = row;
      return { ...plain, text: '', note: line };
    }
  }
  return row;
}

/**
 * Every stored message of `room` (for account `owner`; at most the export's cap, the newest)
 * as the list shows it, oldest first: opened with `keys`, events folded by a `MessageList`
 * whose `self` is our identity id `self`. `note` shows a private room's control messages.
 */
export async function collectRows(
  db: ParleyDb,
  owner: string,
  room: string,
  keys: RoomKeyEntry[],
  self: string,
  note?: ControlNote,
): Promise<ChatMessage[]> {
  // `self` marks our reactions as ours.
  const list = new MessageList(self);
  for await (const page of storedPages(db, owner, room)) {
    const opened = await Promise.all(page.map((m) => textOf(m, keys)));
    const rows: ChatMessage[] = [];
    // In order, one after another: a private room's control messages build on each other.
    for (const [i, msg] of page.entries()) {
      const row = await rowOf(msg, opened[i], keys, note);
      if (row) rows.push(row);
    }
    list.upsertMany(rows);
  }
  return [...list.items];
}
