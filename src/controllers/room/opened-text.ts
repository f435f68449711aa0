/**
 * What a stored message says once opened: its text, in the clear or opened with one of the
 * room's keys, an event or a file's manifest, or the quiet line for a kind this version does
 * not know — and which key opened it (a message's marks, see `message-marks.ts`, need that,
 * not the key its body names).
 */
import { readBody, readMessage, type MessageReading } from '../../protocol/message-body.js';
import type { Manifest } from '../../protocol/file-manifest.js';
import type { MessageEvent } from '../../protocol/message-events.js';
import type { RoomKeyEntry } from '../../store/room-keys.js';
import type { StoredMessage } from '../../store/schema.js';

/** What a stored message says, opened (see {@link textOf}). */
export interface OpenedText {
  text: string;
  sealed?: true;
  kid?: string;
  /** The kind this version does not know (`text` is then {@link UNKNOWN_KIND_TEXT}). */
  unknown?: string;
  body?: unknown;
  file?: Manifest;
  /** An edit, deletion or reaction (protocol 1.3), allowed for its sender. */
  event?: MessageEvent;
  /** The message a reply answers. */
  replyTo?: { id: string };
  /** An event its sender may not send (an edit of someone else's message): never shown. */
  ignored?: true;
}

/** The body kinds of message events (protocol 1.3; see `message-events.ts`). */
const EVENT_KINDS = new Set(['edit', 'delete', 'react']);

/** The body kind of a file message (protocol 1.2; its schema is loaded when one shows). */
const FILE_KIND = 'file';

/** What people see of a message of a kind this version does not know. */
export const UNKNOWN_KIND_TEXT = "A message this version of Parley can't show";

/**
 * What stored message `msg` says: its text, in the clear or opened with one of `keys` (then
 * `sealed`); for a kind this version does not know (in the clear or inside the seal), the quiet
 * line {@link UNKNOWN_KIND_TEXT} with `unknown` set to the kind; undefined when no key opens it
 * (or it opens to something that is not a body).
 */
export async function textOf(
  msg: StoredMessage,
  keys: readonly RoomKeyEntry[],
  opening?: { by?: RoomKeyEntry },
): Promise<OpenedText | undefined> {
  const read = await readWith(msg, keys, opening);
  if (!read) return undefined;
  const sealed = read.sealed ? { sealed: true as const } : {};
  const kid = read.kid ? { kid: read.kid } : {};
  if (read.text !== undefined) {
    const reply = read.reply === undefined ? {} : { replyTo: { id: read.reply } };
    return { text: read.text, ...sealed, ...kid, ...reply };
  }
  if (EVENT_KINDS.has(read.kind)) {
    // Checked here, once opened: in an encrypted room the target is inside the seal. Their
    // schemas come in a chunk of their own, with the first event a room shows.
    const { readEvent, eventAllowed } = await import('../../protocol/message-events.js');
    const event = readEvent(read.kind, read.body);
    if (event && eventAllowed(event, msg)) return { text: '', ...sealed, ...kid, event };
    return { text: '', ...sealed, ...kid, ignored: true };
  }
  if (read.kind === FILE_KIND) {
    // Checked in a chunk of its own, loaded with the first file a room shows.
    const { readFileBody } = await import('../../protocol/file-manifest.js');
    const file = readFileBody(read.body);
    if (file) return { text: file.text ?? '', ...sealed, ...kid, file: file.file };
  }
  return { text: UNKNOWN_KIND_TEXT, ...sealed, ...kid, unknown: read.kind, body: read.body };
}

/**
 * `msg` read with `keys`, and (in `opening.by`) the key that opened it when it was sealed: the
 * keys are tried one at a time, the one its body names first, as `readMessage` tries them.
 */
async function readWith(
  msg: StoredMessage,
  keys: readonly RoomKeyEntry[],
  opening?: { by?: RoomKeyEntry },
): Promise<MessageReading | undefined> {
  const body = readBody(msg.body);
  if (body?.kind !== 'sealed' || !opening) return readMessage(msg, keys);
  const kid = body.sealed.kid;
  const named = kid === undefined ? [] : keys.filter((k) => k.kid === kid);
  for (const entry of [...named, ...keys.filter((k) => !named.includes(k))]) {
    const read = await readMessage(msg, [entry]);
    if (read) {
      opening.by = entry;
      return read;
    }
  }
  return undefined;
}
