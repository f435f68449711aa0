/**
 * `components/composer/` — the composer: where a message is written and sent.
 *
 * The message composer: a growing textarea and a Send button. Enter sends, Shift+Enter makes
 * a new line, and Enter while an input method is composing (e.g. Japanese) does neither. Each
 * room has its own draft: when `room` changes, the text written so far is handed back for the
 * old room and the new room's `draft` takes its place, so nothing follows you into the wrong
 * room. "Attach file" (or pasting an image into the field) hands files to the files API, which
 * sends each as a message of its own or says, in the note under the field, why it would not
 * (see composer-files.ts). It answers a message (`replying`) or edits one of ours (`editing`):
 * see composer-modes.ts, loaded right after the first render too.
 */
import { loadAfterSettled } from '../../internal/load-order.js';
import { html, LitElement, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { FileActions } from '../../controllers/files/file-state.js';
import { MAX_TEXT } from '../../protocol/limits.js';
import { fire } from '../shared/events.js';
import { composerStyles } from './parley-composer.styles.js';
import type { ComposerModes, Editing, Replying } from './composer-modes.js';
import { base } from '../shared/theme.styles.js';

/** The parts `<parley-composer>` exposes, for a parent's `exportparts`. */
export { COMPOSER_PARTS } from './composer-parts.js';

/**
 * @summary Writes and sends messages.
 * @fires parley-send - `{ text, reply?, edit? }` (`reply`: the id answered, `edit`: the id of
 *   ours edited); cancel the event to keep the text (e.g. when refused).
 * @fires parley-compose-end - `{}`: the reply or edit mode ended (sent, or cancelled).
 * @fires parley-edit-last - `{}`: ArrowUp in the empty field; the owner sets `editing`.
 * @fires parley-typing - `{ typing }` on every edit (true while text is there) and on send/blur.
 * @fires parley-draft - `{ room, text }` on every edit, on send, and for the room being left
 *   when `room` changes: the owner keeps it as that room's draft.
 * @csspart form - The row of the text field and the Send button.
 * @csspart textarea - The text field.
 * @csspart button - The Send button (as in the other elements, every button).
 * @csspart primary - The Send button (as in the other elements, the main action).
 * @csspart send - The Send button.
 * @csspart attach - The "Attach file" button (a paperclip).
 * @csspart meta - The line under the field: hints, characters left.
 * @csspart note - The note in that line, e.g. why the last send was refused, or a file was.
 * @csspart mode - The bar above the field while replying or editing.
 * @csspart cancel - Its "Cancel reply" / "Cancel edit" button.
 * @cssproperty --parley-accent - Colour of the Send button.
 * @cssproperty --parley-accent-fg - Text of the Send button.
 * @cssproperty --parley-bg - Background of the field.
 * @cssproperty --parley-field-border - Border of the field.
 * @cssproperty --parley-muted - The line under the field.
 * @cssproperty --parley-danger - "characters over the limit".
 * @cssproperty --parley-control-radius - Corners of the field and the button.
 * @cssproperty --parley-focus - Focus ring.
 */
export class ParleyComposer extends LitElement {
  static override styles = [base, composerStyles];

  /** Placeholder, e.g. "Message #lobby". */
  @property() placeholder = 'Message';
  /** Disables writing (e.g. before login). */
  @property({ type: Boolean }) disabled = false;
  /** Status line under the field, e.g. why the last send was refused. */
  @property() note = '';
  /** The room written to; changing it swaps the drafts (see `draft`). */
  @property() room = '';
  /**
   * The room's saved draft: shown when `room` changes, or when it arrives while the field is
   * still empty (drafts load after the chat).
   */
  @property() draft = '';
  /** The files API; while it loads, files chosen wait for it. */
  @property({ attribute: false }) files: FileActions | undefined;
  /** The message being answered: a bar says so; the send carries its id (`reply`). */
  @property({ attribute: false }) replying: Replying | undefined;
  /** One of ours being edited: the field holds its text; the send carries its id (`edit`). */
  @property({ attribute: false }) editing: Editing | undefined;
  private modes: ComposerModes | undefined;

  @state() private length = 0;
  @query('textarea') private field!: HTMLTextAreaElement;
  @query('input') private picker!: HTMLInputElement;
  /** Files waiting for the files API are told it came (see composer-files.ts). */
  filesCame: (() => void) | undefined;

  protected override firstUpdated(): void {
    // The picker's choice and pasted files, replies and edits are taken by chunks of their own,
    // once the room is live (see load-order.ts).
    void loadAfterSettled(() => import('./composer-files.js')).then((m) =>
      m.listen(this, this.field, this.picker),
    );
    void loadAfterSettled(() => import('./composer-modes.js')).then((m) => {
      this.modes = new m.ComposerModes(this, this.field, (text) => this.show(text));
      this.requestUpdate();
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const before = changed.get('room');
    // The field still holds the old room's text here: hand it back before it is replaced
    // (a reply or an edit ends first: the field gets back what was written).
    if (changed.has('room') && before) this.modes?.end();
    if (changed.has('room') && before && this.field)
      fire(this, 'parley-draft', { room: before, text: this.field.value });
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (this.files) this.filesCame?.();
    this.modes?.updated(changed);
    const switched = changed.has('room') && changed.get('room') !== undefined;
    if (switched || (changed.has('draft') && this.field.value === '')) this.show(this.draft);
  }

  /** Puts `text` in the field (a room's draft). */
  private show(text: string): void {
    if (this.field.value === text) return;
    this.field.value = text;
    this.length = text.length;
  }

  /** Moves the keyboard focus to the text field. */
  override focus(): void {
    this.field?.focus();
  }

  private send(): void {
    const text = this.field.value;
    if (this.modes?.before(text)) return;
    if (text.trim() === '' || text.length > MAX_TEXT || this.disabled) return;
    if (fire(this, 'parley-send', { text, ...this.modes?.detail() })) {
      const left = this.modes?.sent() ?? '';
      this.field.value = left;
      this.length = left.length;
      // The room's draft is emptied now: a draft handed back meanwhile would fill the field.
      fire(this, 'parley-draft', { room: this.room, text: left });
      this.stoppedTyping(left);
    }
    if (this.shadowRoot?.activeElement !== this.field) this.field.focus();
  }

  /**
   * Tells the owner that typing stopped, in a task after the send: the message is on the wire
   * by then (its signature and the wire follow the send within its task), where a "stopped
   * typing" notice sent first would go out ahead of it, and make its receivers draw before they
   * see it. Skipped when the field changed meanwhile (its input events told the owner).
   */
  private stoppedTyping(left: string): void {
    setTimeout(() => {
      if (this.field.value === left) fire(this, 'parley-typing', { typing: false });
    }, 0);
  }

  private keydown(e: KeyboardEvent): void {
    if (this.modes?.key(e)) return;
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.send();
    }
  }

  override render() {
    const over = this.length - MAX_TEXT;
    // The paperclip and its hidden picker; one line, so no white space ships with it.
    // prettier-ignore
    const attach = html`<button part="button attach" type="button" title="Attach file" ?disabled=${this.disabled} @click=${() => this.picker.click()}><svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true"><path d="M20 11l-8 8a5 5 0 01-7-7l8-8a3.3 3.3 0 015 5l-8 8a1.7 1.7 0 01-2.5-2.5L15 7"/></svg></button><input type="file" multiple hidden />`;
    return html`${this.modes?.bar()}
      <form
        part="form"
        @submit=${(e: Event) => {
          e.preventDefault();
          this.send();
        }}
      >
        ${attach}
        <textarea
          part="textarea"
          aria-label="Message"
          aria-describedby="mode meta"
          rows="1"
          placeholder=${this.placeholder}
          ?disabled=${this.disabled}
          @keydown=${this.keydown}
          @input=${() => {
            this.length = this.field.value.length;
            fire(this, 'parley-typing', { typing: this.length > 0 });
            // An edit's text is no draft: the draft waits for the edit to end.
            if (!this.editing)
              fire(this, 'parley-draft', { room: this.room, text: this.field.value });
          }}
          @blur=${() => fire(this, 'parley-typing', { typing: false })}
        ></textarea>
        <button
          part="button primary send"
          class="primary"
          type="submit"
          ?disabled=${this.disabled || this.length === 0 || over > 0}
        >
          Send
        </button>
      </form>
      <div class="meta" part="meta" id="meta">
        <span part="note" role="status">${this.modes?.hint || this.note}</span>
        ${
          over > 0
            ? html`<span class="over">${over} characters over the ${MAX_TEXT} limit</span>`
            : this.length > MAX_TEXT - 500
              ? html`<span>${MAX_TEXT - this.length} characters left</span>`
              : html`<span class="keys">Enter to send · Shift+Enter for a new line</span>`
        }
      </div> `;
  }
}
