/**
 * A guest's first message (`<parley-chat guest>`): the message box a visitor finds in place of
 * the login box — she writes and sends, no username, no password. It says who she will appear
 * as ("You appear as Visitor 4821 — give a name"), takes a name and, where the site asks for
 * one, an email for a reply. Loaded with the login box (see login-define.ts).
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { base } from '../shared/theme.styles.js';
import { guestStyles } from './guest.styles.js';

/** What `parley-guest-start` carries. */
export interface GuestStartDetail {
  text: string;
  /** The name she gave ('' for none: she appears as the visitor's name). */
  name: string;
  /** Her email for a reply ('' for none). */
  email: string;
}

/**
 * @summary A guest's message box: her question, and optionally a name and an email.
 * @fires parley-guest-start - `{ text, name, email }` when she sends (neither bubbling nor
 *   composed). Cancel it to refuse the send; the box keeps all she typed either way.
 * @fires parley-guest-login - "Log in": she has an account (neither bubbling nor composed).
 * @csspart guest-start - The form.
 * @csspart who - The line "You appear as Visitor 4821 — give a name".
 * @csspart label - Each field's label.
 * @csspart input - The name and email fields.
 * @csspart textarea - The question's box.
 * @csspart button - Every button.
 * @csspart send - The "Send" button.
 * @csspart error - A refused name or email, or why the account could not start.
 */
export class ParleyGuestStart extends LitElement {
  static override styles = [
    base,
    guestStyles,
    css`
      :host {
        display: block;
        border-top: 1px solid var(--_line);
        padding: 0.6rem var(--_space) 0.75rem;
      }
      .row {
        display: flex;
        gap: 0.5rem;
        align-items: flex-end;
      }
      textarea {
        flex: 1 1 auto;
        min-width: 0;
        resize: none;
      }
    `,
  ];

  /** The name she appears as unless she gives one ("Visitor 4821"). */
  @property() visitor = '';
  /** Ask for an email for a reply (the chat's `ask-email`). */
  @property({ type: Boolean, attribute: 'ask-email' }) askEmail = false;
  /** Her account is starting and the question going out. */
  @property({ type: Boolean }) busy = false;
  /** Why the send was refused, in words ('' when it was not). */
  @property() error = '';
  /** The field the error is about: `name`, `email`, or '' (the question's box). */
  @property() field = '';

  /** The name field is shown ("give a name" pressed, or a name was refused). */
  @state() private naming = false;

  @query('textarea') private textBox!: HTMLTextAreaElement;
  @query('input[name=name]') private nameInput!: HTMLInputElement | null;
  @query('input[name=email]') private emailInput!: HTMLInputElement | null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('field') && this.field === 'name') this.naming = true;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('error') || !this.error) return;
    // A refused field takes the focus, its text selected; the question stays as it is.
    const field =
      this.field === 'name' ? this.nameInput : this.field === 'email' ? this.emailInput : null;
    (field ?? this.textBox).focus();
    field?.select();
  }

  /** Moves the focus to the question's box. */
  override focus(): void {
    this.textBox?.focus();
  }

  private send(e?: Event): void {
    e?.preventDefault();
    const text = this.textBox.value;
    if (this.busy || !text.trim()) return;
    const detail: GuestStartDetail = {
      text,
      name: this.nameInput?.value ?? '',
      email: this.emailInput?.value ?? '',
    };
    this.dispatchEvent(new CustomEvent('parley-guest-start', { detail, cancelable: true }));
  }

  private keydown(e: KeyboardEvent): void {
    // Enter sends, Shift+Enter starts a new line (as in the message box); never mid-composition.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) this.send(e);
  }

  private async showName(): Promise<void> {
    this.naming = true;
    await this.updateComplete;
    this.nameInput?.focus();
  }

  private fieldError(field: string) {
    return this.error && this.field === field
      ? { invalid: 'true', describedBy: 'guest-error' }
      : { invalid: 'false', describedBy: nothing };
  }

  override render() {
    const name = this.fieldError('name');
    const email = this.fieldError('email');
    const text = this.fieldError('');
    return html`<form
      part="guest-start"
      @submit=${this.send}
      novalidate
      aria-busy=${this.busy ? 'true' : 'false'}
    >
      <p class="who" part="who" id="who">
        You appear as <strong>${this.visitor}</strong>${
          this.naming
            ? nothing
            : html` —
                <button type="button" class="link" part="button" @click=${this.showName}>
                  give a name
                </button>`
        }
      </p>
      ${
        this.naming || this.askEmail
          ? html`<div class="fields">
              ${
                this.naming
                  ? html`<label part="label"
                      >Your name
                      <input
                        part="input"
                        name="name"
                        autocomplete="name"
                        maxlength="32"
                        placeholder=${this.visitor}
                        aria-invalid=${name.invalid}
                        aria-describedby=${name.describedBy}
                      />
                    </label>`
                  : nothing
              }
              ${
                this.askEmail
                  ? html`<label part="label"
                      ><span>Email for a reply <span class="optional">(optional)</span></span>
                      <input
                        part="input"
                        name="email"
                        type="email"
                        autocomplete="email"
                        maxlength="254"
                        aria-invalid=${email.invalid}
                        aria-describedby=${email.describedBy}
                      />
                    </label>`
                  : nothing
              }
            </div>`
          : nothing
      }
      ${
        this.error
          ? html`<p class="error" part="error" id="guest-error" role="alert">${this.error}</p>`
          : nothing
      }
      <div class="row">
        <textarea
          part="textarea"
          aria-label="Your question"
          aria-describedby=${text.describedBy === nothing ? 'who' : 'who guest-error'}
          aria-invalid=${text.invalid}
          placeholder="Ask a question…"
          rows="2"
          maxlength="8000"
          ?readonly=${this.busy}
          @keydown=${this.keydown}
        ></textarea>
        <button type="submit" class="primary" part="button send" ?disabled=${this.busy}>
          Send
        </button>
      </div>
      <p class="hint">
        Have an account?
        <button
          type="button"
          class="link"
          part="button"
          ?disabled=${this.busy}
          @click=${() => this.dispatchEvent(new CustomEvent('parley-guest-login'))}
        >
          Log in
        </button>
      </p>
    </form>`;
  }
}
