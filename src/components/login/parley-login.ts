/**
 * `components/login/` — the login box: the element, its styles, its parts and its lazy registration.
 *
 * The login box: log in or create a local account. On a page of its own (`<parley-chat
 * login="modal">`) it is a modal `<dialog>` that cannot be dismissed while nobody is logged in;
 * embedded (`inline`) it is a panel inside the chat's own box, so the host page around it
 * stays usable and it never takes the focus the visitor did not give it.
 */
import { fireSecret } from '../shared/events.js';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { loginStyles } from './parley-login.styles.js';
import { base, dialogBase } from '../shared/theme.styles.js';

export { LOGIN_PARTS } from './login-parts.js';

/** Which field a failure (`logfail` reason) is about: its error sits there and selects it. */
const FIELD_OF: Record<string, 'name' | 'password' | undefined> = {
  'invalid-name': 'name',
  'unknown-user': 'name',
  'name-taken': 'name',
  'weak-password': 'password',
  'wrong-password': 'password',
};

/**
 * @summary Login / create-account box (a modal popup, or a panel inside an embedded chat).
 * @fires parley-login-submit - `{ name, password }` when "Log in" is chosen. Neither bubbling nor
 *   composed, and `password` reads '' but to a listener on this element itself, while the event
 *   is dispatched (see `fireSecret` in `shared/events.ts`): no script on the page sees the password.
 * @fires parley-register-submit - `{ name, password }` when "Create account" (or "Create it") is
 *   chosen; kept to this element like the login.
 * @csspart dialog - The box (also named `login-dialog`).
 * @csspart login-dialog - The box (also named `dialog`).
 * @csspart title - The heading: `greeting`, by default "Welcome to Parley".
 * @csspart label - Each field's label (the field is inside it).
 * @csspart input - Each text field.
 * @csspart hint - The hint under the fields ("Checking…" while busy).
 * @csspart error - The failure message.
 * @csspart button - Every button.
 * @csspart primary - The "Log in" button.
 * @csspart login-button - The "Log in" button.
 * @csspart register-button - The "Create account" button.
 * @csspart create-button - "Create an account called …", offered when no account has the name.
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

  /** Whether the box is shown. */
  @property({ type: Boolean, reflect: true }) open = false;
  /** A panel inside its host's box (embedded) rather than a page-wide modal popup. */
  @property({ type: Boolean, reflect: true }) inline = false;
  /** A login or registration is being checked. */
  @property({ type: Boolean }) busy = false;
  /** Failure message to show (from `logfail`). */
  @property() error = '';
  /** Why it failed (`logfail` reason): which field the message is about, what to offer. */
  @property() reason = '';
  /** The box's heading, the site's own words; empty: "Welcome to Parley". */
  @property() greeting = '';

  /** The visitor changed the field the error is about: the error no longer applies. */
  @state() private cleared = false;
  /** The visitor submitted here, so the answer may move the focus (it never does unasked). */
  private engaged = false;

  @query('dialog') private dialog!: HTMLDialogElement | null;
  @query('input[name=name]') private nameInput!: HTMLInputElement;
  @query('input[name=password]') private passwordInput!: HTMLInputElement;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('error') || changed.has('busy')) this.cleared = false;
    if (changed.has('open') && !this.open) this.engaged = false;
  }

  protected override updated(changed: PropertyValues<this>): void {
    const dialog = this.inline ? null : this.dialog;
    if (dialog && this.open && !dialog.open) {
      dialog.showModal();
      this.nameInput.focus();
    } else if (dialog && !this.open && dialog.open) {
      dialog.close();
    }
    if (changed.has('open') && !this.open) this.passwordInput.value = '';
    const answered = changed.has('busy') || changed.has('error');
    if (answered && this.open && this.error && !this.busy && (this.engaged || dialog)) {
      // After a failure, put the cursor in the field the message is about.
      const field = FIELD_OF[this.reason] === 'name' ? this.nameInput : this.passwordInput;
      field.focus();
      field.select();
    }
  }

  private submit(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (!form.reportValidity()) return;
    const creating = (e.submitter as HTMLButtonElement | null)?.value === 'register';
    this.send(creating ? 'parley-register-submit' : 'parley-login-submit');
  }

  private send(type: 'parley-login-submit' | 'parley-register-submit'): void {
    this.engaged = true;
    // Never a composed event: a listener on the page's window would read the password.
    const name = this.nameInput.value.trim();
    fireSecret(this, type, { name }, 'password', this.passwordInput.value);
  }

  /** Typing in the field an error is about clears that error. */
  private edited(field: 'name' | 'password'): void {
    if (this.error && FIELD_OF[this.reason] === field) this.cleared = true;
  }

  private renderMessage() {
    const shown = this.error && !this.cleared ? this.error : '';
    if (!shown) {
      const hint = this.busy
        ? 'Checking…'
        : 'New here? Pick a username and a password of 8 or more characters, then choose "Create account".';
      return html`<p class="hint ${this.busy ? '' : 'long'}" part="hint" role="status">${hint}</p>`;
    }
    const name = this.nameInput?.value.trim() ?? '';
    return html`<div class="error" part="error" id="error" role="alert">
      <p>${shown}</p>
      ${
        this.reason === 'unknown-user' && name
          ? html`<button
              type="button"
              part="button create-button"
              ?disabled=${this.busy}
              @click=${() => this.send('parley-register-submit')}
            >
              Create an account called "${name}"
            </button>`
          : nothing
      }
    </div>`;
  }

  private renderForm() {
    const bad = this.error && !this.cleared ? FIELD_OF[this.reason] : undefined;
    const field = (name: 'name' | 'password') => ({
      invalid: bad === name ? 'true' : 'false',
      describedBy: bad === name ? 'error' : nothing,
    });
    return html`<form @submit=${this.submit} novalidate>
      <h2 id="title" part="title">${this.greeting || 'Welcome to Parley'}</h2>
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
          aria-invalid=${field('name').invalid}
          aria-describedby=${field('name').describedBy}
          ?disabled=${this.busy}
          @input=${() => this.edited('name')}
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
          aria-invalid=${field('password').invalid}
          aria-describedby=${field('password').describedBy}
          ?disabled=${this.busy}
          @input=${() => this.edited('password')}
        />
      </label>
      ${this.renderMessage()}
      <div class="actions">
        <!-- "Log in" comes first, on screen and in the DOM: Enter in a field logs in. -->
        <button
          type="submit"
          value="login"
          class="primary"
          part="button primary login-button"
          ?disabled=${this.busy}
        >
          Log in
        </button>
        <button type="submit" value="register" part="button register-button" ?disabled=${this.busy}>
          Create account
        </button>
      </div>
    </form>`;
  }

  override render() {
    if (this.inline) {
      // Not modal, and opened by its attribute (not `show()`, which would take the focus):
      // the page around an embedded chat stays usable while it waits for a login.
      return html`<dialog
        class="panel"
        part="dialog login-dialog"
        aria-labelledby="title"
        ?open=${this.open}
      >
        ${this.renderForm()}
      </dialog>`;
    }
    return html`
      <dialog
        part="dialog login-dialog"
        aria-labelledby="title"
        @cancel=${(e: Event) => e.preventDefault()}
        @close=${() => this.open && this.dialog?.showModal()}
      >
        ${this.renderForm()}
      </dialog>
    `;
  }
}
