/**
 * The current room's end-to-end encryption, for Settings: whether what we send here is
 * encrypted, the "Room passphrase" field, "Copy invite link" (a link whose fragment carries a
 * random room key), and what this browser refused to believe in the room (diagnostics). The
 * view only renders and tells its parent what was asked; the room controller does the work.
 */
import { css, html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { lockedWords } from '../chat/chat-banners.js';
import { fire } from '../shared/events.js';
import { base } from '../shared/theme.styles.js';

/** What was refused in the room, by reason (see the room controller's `refused`). */
export interface RefusedCounts {
  forged: number;
  conflicts: number;
  malformed: number;
  /** New messages beyond their author's budget. */
  overBudget?: number;
}

export { ROOM_LOCK_PARTS } from './settings-parts.js';

/**
 * @summary The room's encryption: its state, "Room passphrase", "Copy invite link", diagnostics.
 * @fires parley-room-passphrase - The visitor submitted a passphrase (`detail.passphrase`).
 * @fires parley-copy-invite - The visitor asked for the invite link.
 * @csspart room-lock - The section.
 * @csspart room-lock-heading - Its heading.
 * @csspart room-lock-state - "Encrypted" / "Not encrypted" line.
 * @csspart passphrase - The "Room passphrase" input.
 * @csspart button - The buttons.
 * @csspart invite-link - The invite link, once made (read-only, to copy by hand too).
 * @csspart diagnostics - What was refused in this room.
 * @cssproperty --parley-fg - Text.
 * @cssproperty --parley-muted - Hints.
 * @cssproperty --parley-line - Input borders.
 */
export class ParleyRoomLock extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        min-width: 0;
      }
      section {
        display: grid;
        gap: 0.5rem;
      }
      h3 {
        margin: 0;
        font-size: 0.95rem;
      }
      p {
        margin: 0;
        font-size: 0.85rem;
        line-height: 1.4;
      }
      .muted {
        color: var(--_muted);
      }
      form,
      .invite {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        align-items: end;
      }
      label {
        display: grid;
        gap: 0.2rem;
        flex: 1 1 12rem;
        font-size: 0.85rem;
      }
      input {
        min-width: 0;
        font: inherit;
        padding: 0.4rem 0.5rem;
        border: 1px solid var(--_line);
        border-radius: var(--_control-radius);
        background: transparent;
        color: inherit;
      }
      .invite input {
        flex: 1 1 14rem;
        font-size: 0.8rem;
      }
      .error {
        color: var(--_danger);
      }
    `,
  ];

  /** The room this is about. */
  @property() room = '';
  /** The room's title as people typed it ("Design Team" for `design-team`), shown if given. */
  @property({ attribute: 'room-title' }) roomTitle = '';
  /** Whether what we send in the room is end-to-end encrypted. */
  @property({ type: Boolean }) encrypted = false;
  /** A key is being derived (600,000 PBKDF2 iterations take a moment). */
  @property({ type: Boolean }) busy = false;
  /** Why the last passphrase was refused. */
  @property() error = '';
  /** The invite link, once made. */
  @property() invite = '';
  /** Whether the invite link reached the clipboard (else it is shown to copy by hand). */
  @property({ type: Boolean }) copied = false;
  /** Messages held that no key of ours opens. */
  @property({ type: Number }) locked = 0;
  /** What was refused in the room. */
  @property({ attribute: false }) refused: RefusedCounts = {
    forged: 0,
    conflicts: 0,
    malformed: 0,
  };

  @state() private passphrase = '';

  override render() {
    const { forged, conflicts, malformed, overBudget = 0 } = this.refused;
    return html`<section part="room-lock" aria-labelledby="room-lock-heading">
      <h3 id="room-lock-heading" part="room-lock-heading">
        Encryption of #${this.roomTitle || this.room}
      </h3>
      <p part="room-lock-state" role="status">
        ${
          this.encrypted
            ? 'What you send here is end-to-end encrypted: the server sees ciphertext only.'
            : 'Not encrypted: whoever runs the server can read this room. Set a passphrase or share an invite link to encrypt it.'
        }
      </p>
      <form @submit=${this.submit}>
        <label
          >Room passphrase
          <input
            part="passphrase"
            type="password"
            autocomplete="off"
            minlength="8"
            .value=${this.passphrase}
            ?disabled=${this.busy}
            aria-invalid=${this.error ? 'true' : 'false'}
            aria-describedby="passphrase-hint"
            @input=${(e: Event) => (this.passphrase = (e.target as HTMLInputElement).value)}
        /></label>
        <button part="button" type="submit" ?disabled=${this.busy || this.passphrase.length === 0}>
          ${this.busy ? 'Deriving key…' : 'Use passphrase'}
        </button>
      </form>
      <p
        id="passphrase-hint"
        class=${this.error ? 'error' : 'muted'}
        role=${this.error ? 'alert' : nothing}
      >
        ${this.error || 'Everyone who enters the same passphrase for this room reads it. It stays in this browser.'}
      </p>
      ${this.locked > 0 ? html`<p class="muted">${lockedWords(this.locked)}</p>` : nothing}
      <div class="invite">
        <button part="button" type="button" @click=${() => fire(this, 'parley-copy-invite', {})}>
          Copy invite link
        </button>
        ${
          this.invite
            ? html`<input
                part="invite-link"
                readonly
                aria-label="Invite link"
                .value=${this.invite}
                @focus=${(e: Event) => (e.target as HTMLInputElement).select()}
              />`
            : nothing
        }
      </div>
      ${
        this.invite
          ? html`<p class="muted" role="status">
              ${this.copied ? 'Copied. ' : 'Copy the link above. '}Anyone with the link can read
              what you send here from now on, sealed with its key (the part after "#", which
              browsers never send to a server): share it with everyone who should.
            </p>`
          : nothing
      }
      <p part="diagnostics" class="muted">
        Refused in this room: ${forged} with a signature that did not check out, ${conflicts}
        conflicting ${conflicts === 1 ? 'copy' : 'copies'}, ${malformed} malformed, ${overBudget}
        beyond their author's budget.
      </p>
    </section>`;
  }

  private submit(e: Event): void {
    e.preventDefault();
    if (this.busy || !this.passphrase) return;
    fire(this, 'parley-room-passphrase', { passphrase: this.passphrase });
    this.passphrase = ''; // a secret does not stay in the page longer than needed
  }
}
