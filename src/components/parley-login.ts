/**
 * The popup login box: a modal `<dialog>` (the browser traps focus inside it) to log in or to
 * create a local account. It cannot be dismissed while nobody is logged in.
 */
import { html, LitElement } from 'lit';
import { property, query } from 'lit/decorators.js';
import { fire } from './events.js';
import { loginStyles } from './parley-login.styles.js';
import { base, dialogBase } from './theme.styles.js';

/** The parts `<parley-login>` exposes, for a parent's `exportparts`. */
export const LOGIN_PARTS =
  'dialog, login-dialog, title, label, input, hint, error, button, primary, login-button, register-button';

/**
 * @summary Login / create-account popup.
 * @fires parley-login-submit - `{ name, password }` when "Log in" is chosen.
 * @fires parley-register-submit - `{ name, password }` when "Create account" is chosen.
 * @csspart dialog - The dialog box (also named `login-dialog`).
 * @csspart login-dialog - The dialog box (also named `dialog`).
 * @csspart title - The "Welcome to Parley" heading.
 * @csspart label - Each field's label (the field is inside it).
 * @csspart input - Each text field.
 * @csspart hint - The hint under the fields ("Checking…" while busy).
 * @csspart error - The failure message.
 * @csspart button - Every button.
 * @csspart primary - The "Log in" button.
 * @csspart login-button - The "Log in" button.
 * @csspart register-button - The "Create account" button.
 * @cssproperty --parley-accent - Colour of the primary button.
 * @cssproperty --parley-accent-fg - Text of the primary button.
 * @cssproperty --parley-bg - Background of the box and the fields.
 * @cssproperty --parley-fg - Text colour.
 * @cssproperty --parley-muted - The lead line and the hint.
 * @cssproperty --parley-danger - The failure message.
 * @cssproperty --parley-field-border - Borders of the fields and buttons.
 * @cssproperty --parley-radius - Corners of the box (1.6×).
 * @cssproperty --parley-control-radius - Corners of the fields and buttons.
 * @cssproperty --parley-spacing - Padding of the box.
 * @cssproperty --parley-focus - Focus ring.
 */
export class ParleyLogin extends LitElement {
  static override styles = [base, dialogBase, loginStyles];

  /** Whether the popup is shown. */
  @property({ type: Boolean, reflect: true }) open = false;
  /** A login or registration is being checked. */
  @property({ type: Boolean }) busy = false;
  /** Failure message to show (from `logfail`). */
  @property() error = '';

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('input[name=name]') private nameInput!: HTMLInputElement;
  @query('input[name=password]') private passwordInput!: HTMLInputElement;

  protected override updated(): void {
    if (this.open && !this.dialog.open) {
      this.dialog.showModal();
      this.nameInput.focus();
    } else if (!this.open && this.dialog.open) {
      this.dialog.close();
      this.passwordInput.value = '';
    }
    if (this.open && this.error && !this.busy) {
      // After a failure, put the cursor where the fix is most likely needed.
      this.passwordInput.select();
    }
  }

  private submit(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (!form.reportValidity()) return;
    const creating = (e.submitter as HTMLButtonElement | null)?.value === 'register';
    const detail = { name: this.nameInput.value.trim(), password: this.passwordInput.value };
    fire(this, creating ? 'parley-register-submit' : 'parley-login-submit', detail);
  }

  override render() {
    return html`
      <dialog
        part="dialog login-dialog"
        aria-labelledby="title"
        @cancel=${(e: Event) => e.preventDefault()}
        @close=${() => this.open && this.dialog.showModal()}
      >
        <form @submit=${this.submit} novalidate>
          <h2 id="title" part="title">Welcome to Parley</h2>
          <p class="lead">Your account and your messages stay in this browser.</p>
          <label part="label"
            >Username
            <input
              part="input"
              name="name"
              autocomplete="username"
              required
              minlength="2"
              maxlength="32"
              ?disabled=${this.busy}
            />
          </label>
          <label part="label"
            >Password
            <input
              part="input"
              name="password"
              type="password"
              autocomplete="current-password"
              required
              ?disabled=${this.busy}
            />
          </label>
          ${
            this.error
              ? html`<p class="error" part="error" role="alert">${this.error}</p>`
              : html`<p class="hint" part="hint" role="status">
                  ${
                    this.busy
                      ? 'Checking…'
                      : 'New here? Pick a name and a password of 8 or more characters, then "Create account".'
                  }
                </p>`
          }
          <div class="actions">
            <!-- "Log in" comes first in the DOM: Enter in a field submits with the first button. -->
            <button
              type="submit"
              value="login"
              class="primary"
              part="button primary login-button"
              ?disabled=${this.busy}
            >
              Log in
            </button>
            <button
              type="submit"
              value="register"
              part="button register-button"
              ?disabled=${this.busy}
            >
              Create account
            </button>
          </div>
        </form>
      </dialog>
    `;
  }
}
