/**
 * A room's history as a JSON file that can be checked and taken in again: every stored
 * envelope (messages and message events), exactly as its author signed it — sealed bodies stay
 * sealed — so whoever imports it verifies each line on its own (`history-import.ts`).
 *
 * The document is valid JSON with one envelope per line, so a reader can take it line by line
 * and one damaged line never costs the others:
 *
 *     {"format":"parley-history","version":1,"protocol":"1.3","room":"general","exported":…,"count":2,"messages":[
 *     {"id":…},
 *     {"id":…}
 *     ]}
 */
import type { Envelope } from '../../protocol/chat-events.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import type { ParleyDb } from '../../store/db.js';
import { DEFAULT_HISTORY_MAX, envelopeOf } from '../../store/history.js';
import type { StoredMessage } from '../../store/schema.js';

/** The `format` of an export's header. */
export const EXPORT_FORMAT = 'parley-history';
/** The version of the export format this code writes and reads. */
export const EXPORT_VERSION = 1;
/** Most envelopes one export holds (and one import takes): a room kept at its default size. */
export const MAX_EXPORT = DEFAULT_HISTORY_MAX;
/** Envelopes read per IndexedDB transaction: a page, so no transaction runs for long. */
const EXPORT_PAGE = 500;

/** An export's first line, without its `messages`. */
export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  /** The protocol version of the exporting code (for whoever reads the file later). */
  protocol: string;
  room: string;
  /** When it was exported (ms). */
  exported: number;
  /** How many envelopes follow. */
  count: number;
}

/**
 * The stored messages of `room`, oldest first, read page by page from the room-and-time
 * index; at most `max` of them (the newest are kept when there are more).
 */
export async function* storedPages(
  db: ParleyDb,
  owner: string,
  room: string,
  max: number = MAX_EXPORT,
): AsyncGenerator<StoredMessage[]> {
  const upper: [string, string, number, string] = [owner, room, Infinity, '\uffff'];
  const index = () => db.transaction('messages').store.index('by-room-time');
  const total = await index().count(IDBKeyRange.bound([owner, room, -Infinity, ''], upper));
  let skip = Math.max(0, total - max);
  let after: [string, string, number, string] = [owner, room, -Infinity, ''];
  let open = false; // the lower bound is exclusive once a page has been read
  let left = Math.min(total, max);
  while (left > 0) {
    const page: StoredMessage[] = [];
    let cursor = await index().openCursor(IDBKeyRange.bound(after, upper, open, false));
    if (cursor && skip > 0) {
      // Past the oldest ones the cap leaves out, in one jump.
      cursor = await cursor.advance(skip);
      skip = 0;
    }
    while (cursor && page.length < Math.min(EXPORT_PAGE, left)) {
      page.push(cursor.value);
      cursor = await cursor.continue();
    }
    if (page.length === 0) return;
    left -= page.length;
    const last = page[page.length - 1]!;
    after = [owner, room, last.ts, last.id];
    open = true;
    yield page;
  }
}

/**
 * Whether `msg` may leave this browser in a file: one written while only this browser's tabs
 * were used never leaves it through anything (an import elsewhere would pass it on).
 */
function exportable(msg: StoredMessage): boolean {
  return msg.local === undefined;
}

/**
 * Every stored envelope of `room` (for account `owner`), oldest first, as an export document
 * (see the file's head): the newest {@link MAX_EXPORT} at most.
 */
export async function exportJson(db: ParleyDb, owner: string, room: string): Promise<Blob> {
  const lines: string[] = [];
  for await (const page of storedPages(db, owner, room)) {
    for (const msg of page) {
      if (exportable(msg)) lines.push(envelopeLine(envelopeOf(msg)));
    }
  }
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    protocol: PROTOCOL_VERSION,
    room,
    exported: Date.now(),
    count: lines.length,
  };
  const head = JSON.stringify(header).slice(0, -1) + ',"messages":[\n';
  // A comma ends every line but the last, so each line is one envelope and nothing else.
  const parts = lines.map((line, i) => (i < lines.length - 1 ? `${line},\n` : `${line}\n`));
  return new Blob([head, ...parts, ']}\n'], { type: 'application/json' });
}

/** One envelope as one line (JSON escapes every line break inside a string). */
function envelopeLine(env: Envelope): string {
  return JSON.stringify(env);
}
