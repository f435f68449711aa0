/**
 * The "3 new messages ↓" pill of `<parley-messages>`: shown while the reader is scrolled up
 * and messages from others arrive below; pressing it jumps to the newest. Its accessible name
 * is the count alone ("1 new message", "3 new messages"): the arrow is decoration.
 */
import { html, nothing } from 'lit';

/** The pill for `count` unseen messages (nothing for none); `jump` goes to the newest. */
export function newMessagesPill(count: number, jump: () => void) {
  if (count <= 0) return nothing;
  const words = count === 1 ? '1 new message' : `${count} new messages`;
  return html`<button class="pill primary" part="button new-pill" @click=${jump}>
    ${words}<span aria-hidden="true"> ↓</span>
  </button>`;
}
