/**
 * A guest's account, as she sees it once her first message started it (`<parley-chat guest>`):
 * who she appears as, a name and an email for a reply, and what having no password means,
 * with "Protect with a password". Under the message box (`compact`, folded to one line) and
 * in Settings' *You* part. Loaded with the login box (see login-define.ts).
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { fireSecret } from '../shared/events.js';
import { base } from '../shared/theme.styles.js';
import { guestStyles } from './guest.styles.js';

/** A name Parley gave (not one she chose): the field starts empty rather than with it. */
const GIVEN = /^Visitor \d{4}$/;

/**
 * @summary A guest's name, email for a reply, and "Protect with a password".
 * @fires parley-guest-name - `{ name, email }`: "Save" (neither bubbling nor composed; `email`
 *   is undefined when no email is asked for).
 * @fires parley-guest-protect - `{ password }`: "Protect with a password". Neither bubbling
 *   nor composed, and `password` reads '' but to a listener on this element itself, while the
 *   event is dispatched (see `fireSecret`).
 * @fires parley-guest-close - The folded line's panel was closed ("Done").
 * @csspart guest-profile - The whole.
 * @csspart who - The line "You appear as Visitor 4821 — give a name".
 * @csspart label - Each field's label.
 * @csspart input - Each field.
 * @csspart button - Every button.
 * @csspart save - "Save".
 * @csspart protect - "Protect with a password".
 * @csspart hint - What having no password means.
 * @csspart error - A refused name, email or password.
 * @csspart done - What the last change did ("Saved.").
 */
export class ParleyGuestProfile extends LitElement {
  static override styles = [
    base,
    guestStyles,
    css`
      :host {
        display: block;
      }
      :host([compact]) {
        padding: 0 var(--_space) 0.5rem;
      }
      /* Opened under the message box, it never takes the conversation's whole height. */
      :host([compact]) [part='guest-profile'] {
        max-height: 45vh;
        overflow: auto;
      }
      [part='guest-profile'] {
        display: grid;
        gap: 0.6rem;
      }
    `,
  ];

  /** The account's name. */
  @property() name = '';
  /** Its email for a reply, if any. */
  @property() email = '';
  /** Offer an email field (the chat's `ask-email`, or an email kept already). */
  @property({ type: Boolean, attribute: 'ask-email' }) askEmail = false;
  /** The account has no password yet. */
  @property({ type: Boolean }) unprotected = false;
  /** Folded to its one line under the message box, until "give a name" opens it. */
  @property({ type: Boolean, reflect: true }) compact = false;
  /** A change is being saved. */
  @property({ type: Boolean }) busy = false;
  /** Why the last change was refused ('' when it was not). */
  @property() error = '';
  /** The field the error is about: `name`, `email`, `password`, or ''. */
  @property() field = '';
  /** What the last change did, in words. */
  @property() done = '';

  /** The folded line was opened. */
  @state() private opened = false;

  @query('input[name=name]') private nameInput!: HTMLInputElement | null;
  @query('input[name=email]') private emailInput!: HTMLInputElement | null;
  @query('input[name=password]') private passwordInput!: HTMLInputElement | null;

  private get open(): boolean {
    return !this.compact || this.opened;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('unprotected') && !this.unprotected && this.passwordInput)
      this.passwordInput.value = '';
    if (changed.has('done') && this.done && this.passwordInput) this.passwordInput.value = '';
    if (!changed.has('error') || !this.error) return;
    const field = {
      name: this.nameInput,
      email: this.emailInput,
      password: this.passwordInput,
    }[this.field];
    field?.focus();
    field?.select();
  }

  private async toggle(open: boolean): Promise<void> {
    this.opened = open;
    if (!open) this.dispatchEvent(new CustomEvent('parley-guest-close'));
    await this.updateComplete;
    if (open) this.nameInput?.focus();
    else this.renderRoot.querySelector<HTMLButtonElement>('button.link')?.focus();
  }

  private rename(e: SubmitEvent): void {
    e.preventDefault();
    if (this.busy) return;
    const detail = { name: this.nameInput?.value ?? '', email: this.emailInput?.value };
    this.dispatchEvent(new CustomEvent('parley-guest-name', { detail }));
  }

  private protect(e: SubmitEvent): void {
    e.preventDefault();
    if (this.busy || !this.passwordInput) return;
    fireSecret(this, 'parley-guest-protect', {}, 'password', this.passwordInput.value);
  }

  private fieldMark(field: string) {
    return this.error && this.field === field
      ? { invalid: 'true', describedBy: 'guest-error' }
      : { invalid: 'false', describedBy: nothing };
  }

  private renderWho() {
    const given = GIVEN.test(this.name);
    return html`<p class="who" part="who">
      You appear as <strong>${this.name}</strong>${
        this.compact && this.unprotected
          ? html` —
              <button
                type="button"
                class="link"
                part="button"
                aria-expanded=${this.opened ? 'true' : 'false'}
                @click=${() => void this.toggle(!this.opened)}
              >
                ${this.opened ? 'done' : given ? 'give a name' : 'change'}
              </button>`
          : nothing
      }
    </p>`;
  }

  private renderForms() {
    const name = this.fieldMark('name');
    const email = this.fieldMark('email');
    const password = this.fieldMark('password');
    return html`<form @submit=${this.rename} novalidate>
        <div class="fields">
          <label part="label"
            >Your name
            <input
              part="input"
              name="name"
              autocomplete="name"
              maxlength="32"
              .value=${GIVEN.test(this.name) ? '' : this.name}
              placeholder=${this.name}
              aria-invalid=${name.invalid}
              aria-describedby=${name.describedBy}
              ?disabled=${!this.unprotected}
            />
          </label>
          ${
            this.askEmail || this.email
              ? html`<label part="label"
                  ><span>Email for a reply <span class="optional">(optional)</span></span>
                  <input
                    part="input"
                    name="email"
                    type="email"
                    autocomplete="email"
                    maxlength="254"
                    .value=${this.email}
                    aria-invalid=${email.invalid}
                    aria-describedby=${email.describedBy}
                    ?disabled=${!this.unprotected}
                  />
                </label>`
              : nothing
          }
        </div>
        ${
          this.unprotected
            ? html`<div>
                <button type="submit" part="button save" ?disabled=${this.busy}>Save</button>
              </div>`
            : nothing
        }
      </form>
      ${
        this.unprotected
          ? html`<form @submit=${this.protect} novalidate>
              <p class="hint" part="hint" id="no-password">
                Your account has no password: anyone using this browser profile can continue as you
                and read your conversations. A password lets you log out and come back.
              </p>
              <div class="fields">
                <label part="label"
                  >Password
                  <input
                    part="input"
                    name="password"
                    type="password"
                    autocomplete="new-password"
                    minlength="8"
                    aria-invalid=${password.invalid}
                    aria-describedby=${
                      password.describedBy === nothing ? 'no-password' : 'no-password guest-error'
                    }
                  />
                </label>
              </div>
              <div>
                <button type="submit" class="primary" part="button protect" ?disabled=${this.busy}>
                  Protect with a password
                </button>
              </div>
            </form>`
          : html`<p class="hint" part="hint">Your account is protected with a password.</p>`
      }`;
  }

  override render() {
    return html`<div part="guest-profile">
      ${this.renderWho()} ${this.open ? this.renderForms() : nothing}
      ${
        this.error
          ? html`<p class="error" part="error" id="guest-error" role="alert">${this.error}</p>`
          : nothing
      }
      <p class="done" part="done" role="status">${this.busy ? 'Saving…' : this.done}</p>
    </div>`;
  }
}
