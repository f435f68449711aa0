/**
 * The message list: author, time and text of each message, own messages on the right with
 * their delivery state, a separator per day. Text is rendered as text only, never as markup.
 * Keeps the newest message in view while the reader is at the bottom.
 */
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage } from '../controllers/message-list.js';
import { fire } from './events.js';
import { messagesStyles } from './parley-messages.styles.js';
import { base } from './theme.styles.js';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full' });
const STATUS_TEXT = { queued: 'queued', sent: 'sent', received: '' } as const;

/**
 * @summary Shows the conversation.
 * @fires parley-load-older - The reader asks for older messages.
 * @csspart message - One message; also `own` for ours.
 * @cssproperty --parley-own-bg - Background of our own messages.
 * @cssproperty --parley-surface - Background behind the messages.
 */
export class ParleyMessages extends LitElement {
  static override styles = [base, messagesStyles];

  /** Messages, oldest first. */
  @property({ attribute: false }) messages: readonly ChatMessage[] = [];
  /** Our account id, to tell our messages apart. */
  @property() self = '';
  /** Whether older messages can be loaded. */
  @property({ type: Boolean }) more = false;

  private stickToBottom = true;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('messages')) {
      // Decide before rendering: follow new messages only if the reader was at the bottom.
      this.stickToBottom = this.scrollHeight - this.scrollTop - this.clientHeight < 48;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    const old = changed.get('messages');
    const newestChanged = old !== undefined && old.at(-1)?.id !== this.messages.at(-1)?.id;
    if (
      changed.has('messages') &&
      (this.stickToBottom ||
        old === undefined ||
        old.length === 0 ||
        (newestChanged && this.messages.at(-1)?.from.id === this.self))
    ) {
      this.scrollTop = this.scrollHeight;
    }
  }

  private renderMessage(m: ChatMessage, showDay: boolean) {
    const own = m.from.id === this.self;
    const when = new Date(m.ts);
    return html`
      ${showDay ? html`<li class="day" role="separator">${dayFormat.format(when)}</li>` : nothing}
      <li class="msg ${own ? 'own' : ''}" part="message${own ? ' own' : ''}" data-id=${m.id}>
        <div class="head">
          <span class="author">${own ? 'You' : m.from.name}</span>
          <time datetime=${when.toISOString()} title=${when.toLocaleString()}
            >${timeFormat.format(when)}</time
          >
          ${
            own && STATUS_TEXT[m.status]
              ? html`<span class="status ${m.status}">${STATUS_TEXT[m.status]}</span>`
              : nothing
          }
        </div>
        <p class="text">${m.body.text}</p>
      </li>
    `;
  }

  override render() {
    let lastDay = '';
    return html`
      ${
        this.more
          ? html`<div class="older">
              <button @click=${() => fire(this, 'parley-load-older', {})}>
                Load earlier messages
              </button>
            </div>`
          : nothing
      }
      ${
        this.messages.length === 0
          ? html`<p class="empty">No messages yet. Say hello!</p>`
          : html`<ol aria-label="Messages" role="log" aria-live="polite">
              ${repeat(
                this.messages,
                (m) => m.id,
                (m) => {
                  const day = new Date(m.ts).toDateString();
                  const showDay = day !== lastDay;
                  lastDay = day;
                  return this.renderMessage(m, showDay);
                },
              )}
            </ol>`
      }
    `;
  }
}
