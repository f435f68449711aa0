/**
 * `<parley-chat guest>`'s views, bound to the guest controller: a chunk of its own, loaded by
 * guest-door.ts only for a chat with `guest` (see there).
 */
import { html, nothing, type ReactiveControllerHost } from 'lit';
import { GuestController } from '../../controllers/session/guest-controller.js';
import type { GuestStartDetail } from '../login/guest-start.js';
import type { GuestDoorConfig } from './guest-door.js';
import '../login/guest-define.js';

/** The guest's way in and her account's line, for one chat. */
export class GuestParts {
  readonly control: GuestController;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: GuestDoorConfig,
  ) {
    this.control = new GuestController(host, config);
  }

  /** Guest mode and nobody in yet: the guest's message box stands in for the login box. */
  get waiting(): boolean {
    return this.control.waiting;
  }

  /** She chose "Log in" instead. */
  get loginShown(): boolean {
    return this.control.loginAsked;
  }

  /** The greeting over the guest's first message box. */
  renderIntro() {
    if (!this.waiting) return nothing;
    return html`<div class="guest-intro" part="guest-intro">
      <h2>${this.config.greeting() || 'Ask us a question'}</h2>
      <p>No account needed: write below and send. Your conversation stays in this browser.</p>
    </div>`;
  }

  /** The guest's first message box (in place of the message box), or nothing. */
  renderStart() {
    if (!this.waiting) return nothing;
    const { control } = this;
    const problem = control.problem;
    return html`<parley-guest-start
      part="guest-start"
      visitor=${control.visitor}
      ?ask-email=${this.config.askEmail()}
      ?busy=${control.sending}
      error=${problem?.message ?? ''}
      field=${problem?.field === 'text' ? '' : (problem?.field ?? '')}
      @parley-guest-login=${() => this.askLogin()}
      @parley-guest-start=${(e: CustomEvent<GuestStartDetail>) => {
        const { text, name, email } = e.detail;
        if (control.start(text, name, email)) this.config.toComposer();
        else e.preventDefault();
      }}
    ></parley-guest-start>`;
  }

  /** Shows the login box, its first field focused once drawn. */
  private askLogin(): void {
    this.control.askLogin();
    const host = this.host as ReactiveControllerHost & { renderRoot?: ParentNode };
    void host.updateComplete.then(async () => {
      const login = host.renderRoot?.querySelector<
        HTMLElement & { updateComplete?: Promise<unknown> }
      >('parley-login');
      await login?.updateComplete;
      login?.shadowRoot?.querySelector<HTMLInputElement>('input[name=name]')?.focus();
    });
  }

  /** The line under the message box for a guest without a password (and just after adding one). */
  renderBar() {
    return this.renderProfile(true);
  }

  /** The same for Settings' *You* part (`slot="identity"`), unfolded, or nothing. */
  renderSettings() {
    return this.renderProfile(false);
  }

  private renderProfile(compact: boolean) {
    const { control } = this;
    const profile = this.config.session.profile;
    if (!this.config.enabled() || !profile || (!control.guestShown && !control.done))
      return nothing;
    const problem = control.problem;
    return html`<parley-guest-profile
      part="guest-profile"
      slot=${compact ? nothing : 'identity'}
      ?compact=${compact}
      name=${profile.name}
      email=${profile.email ?? ''}
      ?ask-email=${this.config.askEmail()}
      ?unprotected=${profile.guest === true}
      ?busy=${control.busy}
      error=${problem?.message ?? ''}
      field=${problem?.field ?? ''}
      done=${control.done ?? ''}
      @parley-guest-name=${(e: CustomEvent<{ name: string; email?: string }>) =>
        void control.rename(e.detail.name, e.detail.email)}
      @parley-guest-protect=${(e: CustomEvent<{ password: string }>) =>
        void control.protect(e.detail.password)}
      @parley-guest-close=${() => control.dismiss()}
    ></parley-guest-profile>`;
  }
}
