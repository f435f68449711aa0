/**
 * What a message row shows besides its text (issue 24): the quote of the message a reply
 * answers (a button that shows the original), the quiet "edited" mark, and the reactions'
 * chips (toggle buttons: emoji and count, who in their name and tooltip). Only rows that have
 * them pay for them: a plain row gets none of these nodes.
 */
import { html, nothing } from 'lit';
import type { ChatMessage, Reaction } from '../../controllers/room/message-list.js';
import { emit } from './row-events.js';

/** What a deleted message says instead of its text. */
export const DELETED = 'message deleted';
/** What a reply's quote says when the answered message is not loaded here. */
export const NOT_LOADED = 'Original message not loaded';
/** … when it is here but no key of ours opens it (yet). */
export const CANT_READ = "Can't read the original yet";
/** … when it is here but says nothing to quote (a kind this version cannot show). */
export const NO_TEXT = 'Original message has no text to quote';
/** Names listed in a chip's accessible name and tooltip before "and N more". */
const NAMES_SHOWN = 12;

/** "👍 2: Alice, Bob" ("You" for us; a long list ends "and 5 more"). */
export function reactionLabel(r: Reaction, self: string): string {
  const names = r.by.map((who) => (who.id === self ? 'You' : who.name));
  const shown = names.slice(0, NAMES_SHOWN).join(', ');
  const rest = names.length - NAMES_SHOWN;
  return `${r.emoji} ${r.by.length}: ${shown}${rest > 0 ? ` and ${rest} more` : ''}`;
}

/** The reactions' chips of a message; clicking one adds or takes back ours. */
export function reactionChips(row: ChatMessage, self: string) {
  const list = row.reactions?.filter((r) => r.by.length > 0) ?? [];
  if (list.length === 0 || row.deleted) return nothing;
  return list.map((r) => {
    const label = reactionLabel(r, self);
    const react = (e: Event) =>
      emit(e.currentTarget!, 'parley-react', { id: row.id, emoji: r.emoji, on: !r.mine });
    // prettier-ignore
    return html`<button class="chip" part="button reaction" type="button" aria-pressed=${r.mine} aria-label=${label} title=${label} @click=${react} .textContent=${`${r.emoji} ${r.by.length}`}></button>`;
  });
}

/**
 * The quote above a reply's text: who wrote the answered message and an excerpt of it, or
 * that it was deleted, or that it is not loaded here. A button: it asks to show the original.
 */
export function replyQuote(row: ChatMessage) {
  const to = row.replyTo;
  if (!to || row.deleted) return nothing;
  const missing = to.unreadable ? CANT_READ : to.name !== undefined ? NO_TEXT : NOT_LOADED;
  const words = to.deleted ? DELETED : (to.excerpt ?? missing);
  const quiet = to.deleted || to.excerpt === undefined ? ' quiet' : '';
  const jump = (e: Event) => emit(e.currentTarget!, 'parley-jump', { id: to.id });
  // prettier-ignore
  return html`<button class="quote${quiet}" part="quote" type="button" title="Show the message this reply answers" @click=${jump}>${to.name ? html`<span class="quote-name" .textContent=${to.name}></span> ` : nothing}<span class="quote-text" .textContent=${words}></span></button>`;
}

const editFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The quiet "edited" mark, its tooltip saying when. */
export function editedMark(row: ChatMessage) {
  if (row.edited === undefined || row.deleted) return nothing;
  const when = new Date(row.edited);
  const title = Number.isNaN(when.getTime()) ? 'Edited' : `Edited ${editFormat.format(when)}`;
  return html`<span class="edited" part="edited" title=${title}>edited</span>`;
}

/** Whether a row has anything to show under its text: reactions or the edited mark. */
export const hasFoot = (row: ChatMessage) =>
  !row.deleted && (row.edited !== undefined || (row.reactions?.some((r) => r.by.length) ?? false));

/** Reactions and the edited mark, in one line under the text. */
export function foot(row: ChatMessage, self: string) {
  return html`<div class="foot" part="reactions">
    ${reactionChips(row, self)}${editedMark(row)}
  </div>`;
}
