/**
 * `<parley-chat guest>`'s part: until a visitor's first message, a message box of her own in
 * place of the login box (`<parley-guest-start>`), with a greeting over it; once she is in,
 * the line under the message box that says who she appears as and opens her name, email and
 * "Protect with a password" (`<parley-guest-profile compact>`). A view helper: the I/O is the
 * guest controller's (controllers/session/guest-controller.ts).
 */
import { css, html, nothing, type ReactiveControllerHost } from 'lit';
import { GuestController } from '../../controllers/session/guest-controller.js';
import type { SessionController } from '../../controllers/session/session-controller.js';
import type { GuestStartDetail } from '../login/guest-start.js';

/** Styles of the greeting shown over a guest's first message box, in the chat's own root. */
export const guestDoorStyles = css`
  .guest-intro {
    margin: auto;
    max-width: 26rem;
    padding: var(--_space);
    text-align: center;
    color: var(--_muted);
  }
  .guest-intro h2 {
    color: var(--_fg);
    font-size: 1.15rem;
    margin: 0 0 0.4rem;
  }
  .guest-intro p {
    margin: 0;
    font-size: 0.9rem;
  }
`;

/** What the guest's part needs of its chat. */
export interface GuestDoorConfig {
  session: SessionController;
  /** Guest mode: the `guest` attribute, and no site names the visitor. */
  enabled: () => boolean;
  /** The site asks for an email for a reply (`ask-email`). */
  askEmail: () => boolean;
  /** The greeting attribute, if set. */
  greeting: () => string | undefined;
  /** Sends the first message (see `GuestConfig.send`). */
  send: (text: string) => boolean | undefined;
  /** Moves the focus to the message box once she is in. */
  toComposer: () => void;
}

/** The guest's way in and her account's line, for one chat. */
export class GuestDoor {
  readonly control: GuestController;

  constructor(
    host: ReactiveControllerHost,
    private readonly config: GuestDoorConfig,
  ) {
    this.control = new GuestController(host, config);
  }

  /** Guest mode and nobody in yet: the guest's message box stands in for the login box. */
  get waiting(): boolean {
    return this.control.waiting;
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
      @parley-guest-start=${(e: CustomEvent<GuestStartDetail>) => {
        const { text, name, email } = e.detail;
        if (control.start(text, name, email)) this.config.toComposer();
        else e.preventDefault();
      }}
    ></parley-guest-start>`;
  }

  /** The line under the message box for a guest without a password (and just after adding one). */
  renderBar() {
    const { control } = this;
    const profile = this.config.session.profile;
    if (!this.config.enabled() || !profile || (!control.guestShown && !control.done))
      return nothing;
    const problem = control.problem;
    return html`<parley-guest-profile
      part="guest-profile"
      compact
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
