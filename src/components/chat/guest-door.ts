/**
 * `<parley-chat guest>`'s part: until a visitor's first message, a message box of her own in
 * place of the login box (`<parley-guest-start>`), with a greeting over it; once she is in,
 * the line under the message box that says who she appears as and opens her name, email and
 * "Protect with a password" (`<parley-guest-profile compact>`). Only a chat with `guest`
 * loads those views and their controller (guest-parts.ts, a chunk of its own): the others
 * fetch none of it. A view helper: the I/O is the guest controller's.
 */
import { css, nothing, type ReactiveControllerHost } from 'lit';
import {
  SessionStatus,
  type SessionController,
} from '../../controllers/session/session-controller.js';
import type { GuestParts } from './guest-parts.js';

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

/** The guest's part of one chat: nothing until `guest` is set, then its chunk. */
export class GuestDoor {
  private parts: GuestParts | undefined;
  private loading = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: GuestDoorConfig,
  ) {}

  /** Guest mode and nobody in yet: the guest's message box stands in for the login box. */
  get waiting(): boolean {
    if (!this.config.enabled()) return false;
    this.load();
    return this.parts?.waiting ?? this.config.session.status === SessionStatus.anonymous;
  }

  /** She chose "Log in" instead of asking as a guest: the login box shows. */
  get loginShown(): boolean {
    return this.config.enabled() && (this.parts?.loginShown ?? false);
  }

  /** The greeting over the guest's first message box. */
  renderIntro() {
    return this.waiting ? (this.parts?.renderIntro() ?? nothing) : nothing;
  }

  /** The guest's first message box (in place of the message box), or nothing. */
  renderStart() {
    return this.waiting ? (this.parts?.renderStart() ?? nothing) : nothing;
  }

  /** The line under the message box for a guest without a password (and just after adding one). */
  renderBar() {
    if (!this.config.enabled()) return nothing;
    this.load();
    return this.parts?.renderBar() ?? nothing;
  }

  /**
   * For Settings' *You* part: the guest's name, email and "Protect with a password", unfolded,
   * with `slot="identity"` (put it beside the Settings panel's other slotted parts), or nothing.
   */
  renderSettings() {
    if (!this.config.enabled()) return nothing;
    this.load();
    return this.parts?.renderSettings() ?? nothing;
  }

  private load(): void {
    if (this.loading) return;
    this.loading = true;
    void import('./guest-parts.js').then(
      ({ GuestParts }) => {
        this.parts = new GuestParts(this.host, this.config);
        this.host.requestUpdate();
      },
      () => {
        // The server went away: the next render asks again.
        this.loading = false;
      },
    );
  }
}
