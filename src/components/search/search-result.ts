/**
 * One search result as `<parley-search>` lists it: a button with the author, the room (when
 * searching all rooms), the date and time, and the excerpt with each match in `<mark>`. Every
 * piece of the message is rendered as text (Lit text bindings), never parsed as markup.
 */
import { html, nothing } from 'lit';
import type { SearchHit } from '../../controllers/search/search-controller.js';
import { excerpt } from './search-excerpt.js';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const yearFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

/** When a message was written, as short as is clear: "14:05", "12 Mar, 14:05", "12 Mar 2024". */
export function shortWhen(ts: number, now = Date.now()): string {
  const at = new Date(ts);
  const today = new Date(now);
  if (at.toDateString() === today.toDateString()) return timeFormat.format(at);
  if (at.getFullYear() === today.getFullYear())
    return `${dayFormat.format(at)}, ${timeFormat.format(at)}`;
  return yearFormat.format(at);
}

/** What one result needs besides the hit. */
export interface ResultView {
  /** The room's title, shown in the all-rooms scope; undefined in one room. */
  where: string | undefined;
  /** The button's place in the keyboard's path (roving: one result is 0, the others -1). */
  tabIndex: number;
  index: number;
}

/** The result `hit` as a list item holding its button. */
export function searchResult(hit: SearchHit, v: ResultView) {
  // A message from the future (a skewed clock) or a broken time still shows something true.
  const valid = Number.isFinite(hit.ts) && Math.abs(hit.ts) < 8.64e15;
  return html`<li part="search-item">
    <button
      type="button"
      class="hit"
      part="search-result"
      tabindex=${v.tabIndex}
      data-index=${v.index}
    >
      <span class="meta">
        <span class="from" part="search-author">${hit.from.name}</span>
        ${
          v.where !== undefined
            ? html`<span class="where" part="search-room"
                ><span class="visually-hidden">in </span>#${v.where}</span
              >`
            : nothing
        }
        ${
          valid
            ? html`<time
                part="search-time"
                datetime=${new Date(hit.ts).toISOString()}
                title=${fullFormat.format(hit.ts)}
                >${shortWhen(hit.ts)}</time
              >`
            : nothing
        }
      </span>
      <span class="text" part="search-excerpt"
        >${excerpt(hit.text, hit.marks).map((r) =>
          r.mark ? html`<mark part="search-mark">${r.text}</mark>` : r.text,
        )}</span
      >
    </button>
  </li>`;
}
