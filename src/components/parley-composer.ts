/**
 * The message composer: a growing textarea and a Send button. Enter sends, Shift+Enter makes
 * a new line, and Enter while an input method is composing (e.g. Japanese) does neither.
 */
import { html, LitElement } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { MAX_TEXT } from '../controllers/message-list.js';
import { fire } from './events.js';
import { composerStyles } from './parley-composer.styles.js';
import { base } from './theme.styles.js';

/**
 * @summary Writes and sends messages.
 * @fires parley-send - `{ text }`; cancel the event to keep the text (e.g. when refused).
 * @fires parley-typing - `{ typing }` on every edit (true while text is there) and on send/blur.
 * @csspart textarea - The text field.
 * @csspart send - The Send button.
 * @cssproperty --parley-accent - Colour of the Send button.
 */
export class ParleyComposer extends LitElement {
  static override styles = [base, composerStyles];

  /** Placeholder, e.g. "Message #lobby". */
  @property() placeholder = 'Message';
  /** Disables writing (e.g. before login). */
  @property({ type: Boolean }) disabled = false;
  /** Status line under the field, e.g. why the last send was refused. */
  @property() note = '';

  @state() private length = 0;
  @query('textarea') private field!: HTMLTextAreaElement;

  /** Moves the keyboard focus to the text field. */
  override focus(): void {
    this.field?.focus();
  }

  private send(): void {
    const text = this.field.value;
    if (text.trim() === '' || text.length > MAX_TEXT || this.disabled) return;
    if (fire(this, 'parley-send', { text })) {
      this.field.value = '';
      this.length = 0;
      fire(this, 'parley-typing', { typing: false });
    }
    this.field.focus();
  }

  private keydown(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.send();
    }
  }

  override render() {
    const over = this.length - MAX_TEXT;
    return html`
      <form
        @submit=${(e: Event) => {
          e.preventDefault();
          this.send();
        }}
      >
        <textarea
          part="textarea"
          aria-label="Message"
          aria-describedby="meta"
          rows="1"
          placeholder=${this.placeholder}
          ?disabled=${this.disabled}
          @keydown=${this.keydown}
          @input=${() => {
            this.length = this.field.value.length;
            fire(this, 'parley-typing', { typing: this.length > 0 });
          }}
          @blur=${() => fire(this, 'parley-typing', { typing: false })}
        ></textarea>
        <button
          part="send"
          class="primary"
          type="submit"
          ?disabled=${this.disabled || this.length === 0 || over > 0}
        >
          Send
        </button>
      </form>
      <div class="meta" id="meta">
        <span role="status">${this.note}</span>
        ${
          over > 0
            ? html`<span class="over">${over} characters over the ${MAX_TEXT} limit</span>`
            : this.length > MAX_TEXT - 500
              ? html`<span>${MAX_TEXT - this.length} characters left</span>`
              : html`<span>Enter to send · Shift+Enter for a new line</span>`
        }
      </div>
    `;
  }
}
