/**
 * What a message's row says about how it came, carried outside the list too: into the
 * `parley-message` event and the browser notification, where a clear message from "Bank
 * Security" in an encrypted room once read like any other. Two marks: it came in the clear to
 * a room we hold a key for ("Not encrypted"), or it was opened with a key other than the
 * room's own — an invite link's key added behind the room's (anyone can send such a link),
 * which once made an outsider's messages pass for the room's. And the author's fingerprint.
 */
import type { RoomKeyEntry } from '../../store/room-keys.js';
import type { ChatMessage } from './message-list.js';
import { report, type MessageReport } from './message-report.js';

/** A report (`parley-message`, notifications) with the marks of its row. */
export interface MarkedReport extends MessageReport {
  /** It travelled end-to-end encrypted (and one of our keys opened it). */
  encrypted?: boolean;
  /** It came in the clear to a room we hold a key for: not encrypted, unlike the others. */
  inClear?: true;
  /** Opened with a key other than the room's (see `ChatMessage.otherKey`). */
  otherKey?: true;
  /** The author's short fingerprint, as the rows show it beside the name. */
  fingerprint?: string;
}

/**
 * Whether `by`, the key that opened a message, is another than the room's: not `keys[0]` (what
 * we seal with) and not a passphrase's key. A private room's keys come through its signed
 * chain of roles, so there every key we hold is the room's.
 */
export function isOtherKey(
  by: RoomKeyEntry,
  keys: readonly RoomKeyEntry[],
  privateRoom: boolean,
): boolean {
  return !privateRoom && by !== keys[0] && by.source !== 'passphrase';
}

/** The report of row `m`, with its marks. */
export function markedReport(m: ChatMessage, direction: 'in' | 'out'): MarkedReport {
  const out: MarkedReport = { ...report(m, direction), encrypted: m.sealed === true };
  if (m.inClear) out.inClear = true;
  if (m.otherKey) out.otherKey = true;
  if (m.fingerprint !== undefined) out.fingerprint = m.fingerprint;
  return out;
}

/** What a notification or a preview says before the text: the marks, in words (or ''). */
export function markWords(r: MarkedReport): string {
  if (r.inClear) return 'Not encrypted: ';
  if (r.otherKey) return "Sealed with an invite link's key, not this room's: ";
  return '';
}
