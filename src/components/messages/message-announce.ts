/**
 * What screen readers hear when messages from others arrive: lines added to a visually hidden
 * polite live region of `<parley-messages>`, never the list itself.
 */
import type { ChatMessage } from '../../controllers/room/message-list.js';

/** Up to this many new messages at once are announced one by one; more are summed up. */
const ANNOUNCE_EACH_MAX = 3;
/** Announced text is cut to about this many characters. */
const ANNOUNCE_TEXT_MAX = 200;
/** Announcements kept in the live region (older ones are removed, silently). */
const ANNOUNCE_KEEP = 3;

const clip = (text: string) =>
  text.length > ANNOUNCE_TEXT_MAX ? `${text.slice(0, ANNOUNCE_TEXT_MAX)}…` : text;

/** What screen readers hear for messages that just arrived (one line each). */
function announcements(news: readonly ChatMessage[]): string[] {
  if (news.length <= ANNOUNCE_EACH_MAX) {
    return news.map((m) => `New message from ${m.from.name}: ${clip(m.text)}`);
  }
  const last = news.at(-1)!;
  return [`${news.length} new messages. The latest, from ${last.from.name}: ${clip(last.text)}`];
}

/** Adds the announcements of the messages that just arrived to the live region `live`. */
export function announce(live: HTMLElement | null, news: readonly ChatMessage[]): void {
  if (!live || news.length === 0) return;
  for (const line of announcements(news)) {
    const p = document.createElement('p');
    p.textContent = line; // text, never markup
    live.append(p);
  }
  while (live.childElementCount > ANNOUNCE_KEEP) live.firstElementChild!.remove();
}
