/**
 * The popup login box: a modal `<dialog>` (the browser traps focus inside it) to log in or to
 * create a local account. It cannot be dismissed while nobody is logged in.
 */
import { html, LitElement } from 'lit';
import { property, query } from 'lit/decorators.js';
import { fire } from './events.js';
import { loginStyles } from './parley-login.styles.js';
import { base, dialogBase } from './theme.styles.js';

/**
 * @summary Login / create-account popup.
 * @fires parley-login - `{ name, password }` when "Log in" is chosen.
 * @fires parley-register - `{ name, password }` when "Create account" is chosen.
 * @csspart dialog - The dialog box.
 * @csspart error - The failure message.
 * @cssproperty --parley-accent - Colour of the primary button.
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
    fire(this, creating ? 'parley-register' : 'parley-login', detail);
  }

  override render() {
    return html`
      <dialog
        part="dialog"
        aria-labelledby="title"
        @cancel=${(e: Event) => e.preventDefault()}
        @close=${() => this.open && this.dialog.showModal()}
      >
        <form @submit=${this.submit} novalidate>
          <h2 id="title">Welcome to Parley</h2>
          <p class="lead">Your account and your messages stay in this browser.</p>
          <label
            >Username
            <input
              name="name"
              autocomplete="username"
              required
              minlength="2"
              maxlength="32"
              ?disabled=${this.busy}
            />
          </label>
          <label
            >Password
            <input
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
              : html`<p class="hint" role="status">
                  ${
                    this.busy
                      ? 'Checking…'
                      : 'New here? Pick a name and a password of 8 or more characters, then "Create account".'
                  }
                </p>`
          }
          <div class="actions">
            <!-- "Log in" comes first in the DOM: Enter in a field submits with the first button. -->
            <button type="submit" value="login" class="primary" ?disabled=${this.busy}>
              Log in
            </button>
            <button type="submit" value="register" ?disabled=${this.busy}>Create account</button>
          </div>
        </form>
      </dialog>
    `;
  }
}
