/**
 * The browser notification for a new message while the page is hidden (the visitor allowed
 * it). In a chunk of its own: rare, so the first download does not carry it.
 */
import type { MessageReport } from '../room/message-report.js';

/** Longest text shown in a notification. */
const NOTE_TEXT = 120;

/**
 * Shows `last` as a notification, one per room (a newer one replaces the older: same tag);
 * clicking it brings the window and `host` into view.
 */
export function notify(host: HTMLElement, last: MessageReport): void {
  const body = last.text.length > NOTE_TEXT ? `${last.text.slice(0, NOTE_TEXT - 1)}…` : last.text;
  const note = new Notification(`${last.from.name} in #${last.room}`, {
    body,
    tag: `parley-${last.room}`,
  });
  note.onclick = () => {
    window.focus();
    host.scrollIntoView({ block: 'nearest' });
    note.close();
  };
}
