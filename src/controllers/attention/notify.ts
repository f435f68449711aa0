/**
 * The browser notification for a new message while the page is hidden (the visitor allowed
 * it). In a chunk of its own: rare, so the first download does not carry it. It carries what
 * the message's row says about it — the author's fingerprint beside the name, and "Not
 * encrypted" or another key before the text — so a clear message from "Bank Security" in an
 * encrypted room never reads like the room's own.
 */
import type { MessageReport } from '../room/message-report.js';
import { markWords, type MarkedReport } from '../room/message-marks.js';

/** Longest text shown in a notification. */
const NOTE_TEXT = 120;

/**
 * Shows `last` as a notification, one per room (a newer one replaces the older: same tag);
 * clicking it brings the window and `host` into view.
 */
export function notify(host: HTMLElement, last: MessageReport & MarkedReport): void {
  const text = last.text.length > NOTE_TEXT ? `${last.text.slice(0, NOTE_TEXT - 1)}…` : last.text;
  const body = markWords(last) + text;
  const who = last.fingerprint ? `${last.from.name} (${last.fingerprint})` : last.from.name;
  const note = new Notification(`${who} in #${last.room}`, {
    body,
    tag: `parley-${last.room}`,
  });
  note.onclick = () => {
    window.focus();
    host.scrollIntoView({ block: 'nearest' });
    note.close();
  };
}
