/**
 * Settings' *This room*: the room's name and whether it is private or public, in plain words;
 * its end-to-end encryption — for a public room the "Room passphrase" field (used on Save,
 * never before: while it is typed, how many of the stored messages it opens), a warning when
 * members' messages are sealed with another key, "Copy invite link" — and its members
 * (settings-members.ts).
 * The view only renders and tells its parent what was asked; the room controller does the
 * work, when the panel is saved.
 */
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { lockedWords } from '../chat/chat-banners.js';
import { fire, fireSecret } from '../shared/events.js';
import { base } from '../shared/theme.styles.js';
import { roomLockStyles } from './settings-room-lock.styles.js';
import {
  membersList,
  NO_CHANGES,
  type MarkedChanges,
  type MemberChange,
  type MemberEntry,
} from './settings-members.js';
import { SETTINGS_SUBMIT } from './settings-strip.js';

/** What was refused in the room, by reason (see the room controller's `refused`). */
export interface RefusedCounts {
  forged: number;
  conflicts: number;
  malformed: number;
  /** New messages beyond their author's budget. */
  overBudget?: number;
}

/** What a passphrase would open (`RoomController.previewPassphrase`). */
export interface PassphrasePreview {
  opens: number;
  sealed: number;
}

/** The event a press on a member's or the key's button fires (not composed: it stays in the chat). */
export const MEMBER_CHANGE = 'parley-member-change';

/** Fewest characters a passphrase takes (and a preview waits for). */
export const PASSPHRASE_MIN = 8;

/** How many of the stored encrypted messages a passphrase opens, in words. */
export function previewWords({ opens, sealed }: PassphrasePreview): string {
  if (sealed === 0) return 'No encrypted messages are stored here yet to check it against.';
  const stored = sealed === 1 ? 'encrypted message stored here' : 'encrypted messages stored here';
  if (opens === 0)
    return `This passphrase opens none of the ${sealed} ${stored} — check it with the others`;
  if (opens >= sealed)
    return sealed === 1
      ? `This passphrase opens the one ${stored}`
      : `This passphrase opens all ${sealed} ${stored}`;
  return `This passphrase opens ${opens} of the ${sealed} ${stored}`;
}

/** The warning when a member's messages are sealed with a key we do not hold. */
export const mismatchWords = (name: string) =>
  `This passphrase doesn't open ${name}'s messages — check it with the others`;

export { ROOM_LOCK_PARTS } from './settings-parts.js';

/**
 * @summary This room in Settings: private or public, "Room passphrase", "Copy invite link", members.
 * @fires parley-room-passphrase - The passphrase field changed (`detail.passphrase`): used on Save.
 *   Neither bubbling nor composed, and `passphrase` reads '' but to a listener on this element
 *   itself while the event is dispatched (see `fireSecret` in `shared/events.ts`).
 * @fires parley-copy-invite - The visitor asked for the invite link.
 * @fires parley-member-change - (not composed) "Remove from room", "Make admin" or "Change the
 *   room's key" pressed: `detail` is a `MemberChange`, marked until Save (a second press takes it back).
 * @fires parley-settings-submit - (not composed) Enter in the passphrase field: save the panel.
 * @csspart room-lock - The section.
 * @csspart room-kind - "Private room" / "Public room" and what it means.
 * @csspart room-lock-heading - The encryption heading.
 * @csspart room-lock-state - "Encrypted" / "Not encrypted" line.
 * @csspart mismatch - The warning that a member's messages are sealed with another key.
 * @csspart passphrase - The "Room passphrase" input (a public room's: a private room's key came
 *   with it, and a passphrase would split it).
 * @csspart room-key - Where a private room's key came from, instead of the passphrase.
 * @csspart preview - How many stored messages the passphrase being typed opens.
 * @csspart button - The buttons.
 * @csspart invite-link - The invite link, once made (read-only, to copy by hand too).
 * @csspart members - The members list; `member` each row, `fingerprint` the short fingerprint
 *   beside a name, `member-change` what Save will do.
 * @cssproperty --parley-fg - Text.
 * @cssproperty --parley-muted - Hints.
 * @cssproperty --parley-line - Input borders.
 * @cssproperty --parley-danger - The warnings.
 */
export class ParleyRoomLock extends LitElement {
  static override styles = [base, roomLockStyles];

  /** The room this is about. */
  @property() room = '';
  /** The room's title as people typed it ("Design Team" for `design-team`), shown if given. */
  @property({ attribute: 'room-title' }) roomTitle = '';
  /** `private` (a random id, found only through its invite link) or `public` (a name anyone can type). */
  @property() kind: 'private' | 'public' = 'public';
  /** Whether what we send in the room is end-to-end encrypted. */
  @property({ type: Boolean }) encrypted = false;
  /** The changes are being applied (a passphrase takes 600,000 PBKDF2 iterations). */
  @property({ type: Boolean }) busy = false;
  /** Why the last passphrase was refused. */
  @property() error = '';
  /** The passphrase typed so far (its owner keeps it until Save or Cancel). */
  @property({ attribute: false }) passphrase = '';
  /** What the passphrase typed would open; undefined until it is worked out. */
  @property({ attribute: false }) preview: PassphrasePreview | undefined;
  /** The member whose messages no key of ours opens (`RoomController.keyMismatch`), if any. */
  @property() mismatch = '';
  /** The invite link, once made. */
  @property() invite = '';
  /** Whether the invite link reached the clipboard (else it is shown to copy by hand). */
  @property({ type: Boolean }) copied = false;
  /** Messages held that no key of ours opens. */
  @property({ type: Number }) locked = 0;
  /** The room's members (`RoomController.members`). */
  @property({ attribute: false }) members: readonly MemberEntry[] = [];
  /** Short fingerprints by identity key, for the members we know a safety code of. */
  @property({ attribute: false }) fingerprints: ReadonlyMap<string, string> = new Map();
  /** Whether we may make admins and change the room's key. */
  @property({ type: Boolean, attribute: 'can-manage' }) canManage = false;
  /** Member changes marked for Save. */
  @property({ attribute: false }) marked: MarkedChanges = NO_CHANGES;

  protected override updated(changed: PropertyValues<this>): void {
    // A refusal is announced (role=alert) and scrolled into view, wherever the reader was.
    if (changed.has('error') && this.error)
      this.renderRoot.querySelector('[role=alert]')?.scrollIntoView({ block: 'nearest' });
  }

  private renderKind() {
    const name = `#${this.roomTitle || this.room}`;
    return this.kind === 'private'
      ? html`<p class="kind" part="room-kind">
          <b>${name}</b> is a private room: only people with its invite link can find it.
        </p>`
      : html`<p class="kind" part="room-kind">
          <b>${name}</b> is a public room. Anyone who knows this room's name can join and read its
          history.
        </p>`;
  }

  private renderPassphrase() {
    const typed = this.passphrase;
    const short = typed.length > 0 && typed.length < PASSPHRASE_MIN;
    let said: string = this.error;
    if (!said && short) said = `At least ${PASSPHRASE_MIN} characters.`;
    if (!said && this.preview) said = previewWords(this.preview);
    const warn = !!this.error || (this.preview?.opens === 0 && this.preview.sealed > 0);
    return html`<form @submit=${this.submit}>
        <label
          >Room passphrase
          <input
            part="passphrase"
            type="password"
            autocomplete="off"
            minlength=${PASSPHRASE_MIN}
            .value=${live(typed)}
            ?disabled=${this.busy}
            aria-invalid=${this.error ? 'true' : 'false'}
            aria-describedby="passphrase-preview passphrase-hint"
            @input=${(e: Event) =>
              // Never composed: a listener on the page's window would read the passphrase.
              fireSecret(
                this,
                'parley-room-passphrase',
                {},
                'passphrase',
                (e.target as HTMLInputElement).value,
              )}
        /></label>
      </form>
      <p
        id="passphrase-preview"
        part="preview"
        class=${warn ? 'warn' : 'muted'}
        role=${this.error ? 'alert' : 'status'}
        ?hidden=${!said && !this.busy}
      >
        ${this.busy ? 'Applying…' : said}
      </p>
      <p id="passphrase-hint" class="muted">
        ${typed ? 'Used when you save. ' : ''}Everyone who enters the same passphrase for this room
        reads it. It stays in this browser.
      </p>`;
  }

  override render() {
    return html`<section part="room-lock" aria-labelledby="room-lock-heading">
      ${this.renderKind()}
      <h3 id="room-lock-heading" part="room-lock-heading">
        Encryption of #${this.roomTitle || this.room}
      </h3>
      <p part="room-lock-state" role="status">
        ${
          this.encrypted
            ? 'What you send here is end-to-end encrypted: the server sees ciphertext only.'
            : 'Not encrypted: whoever runs the server can read this room. Set a passphrase to encrypt it — everyone here must enter the same one.'
        }
      </p>
      ${
        this.mismatch
          ? html`<p class="warn" part="mismatch" role="alert">${mismatchWords(this.mismatch)}</p>`
          : nothing
      }
      ${
        // A private room's key came with it; a passphrase would split it from its members.
        this.kind === 'private'
          ? html`<p class="muted" part="room-key">
                Its key came with the room's invite link and stays in this browser.
                ${this.canManage ? `"Change the room's key" below makes a new one for every member.` : ''}
              </p>
              ${this.error ? html`<p class="warn" role="alert">${this.error}</p>` : nothing}`
          : this.renderPassphrase()
      }
      ${this.locked > 0 ? html`<p class="muted">${this.lockedLine()}</p>` : nothing}
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
              ${this.copied ? 'Copied. ' : 'Copy the link above. '}${this.inviteWords()}
            </p>`
          : nothing
      }
      ${membersList({
        members: this.members,
        fingerprints: this.fingerprints,
        canManage: this.canManage,
        marked: this.marked,
        toggle: (change) => this.change(change),
      })}
    </section>`;
  }

  /** Messages no key of ours opens: a public room's passphrase may; a private room's key came with its link. */
  private lockedLine(): string {
    if (this.kind !== 'private') return lockedWords(this.locked);
    const what = this.locked === 1 ? '1 message here is' : `${this.locked} messages here are`;
    return `${what} sealed with a key you don't have: the room's key changed without you, or came with another link.`;
  }

  /** What the invite link gives whoever has it, as true for this room as we can say. */
  private inviteWords(): string {
    if (this.kind === 'private')
      return 'Anyone with the link can read this room: it carries the room\'s key (after "#", which browsers never send to a server). Share it only with the people who should.';
    if (this.encrypted)
      return 'The link carries no key: give the people you invite the passphrase another way.';
    return "Anyone with the link — or the room's name — can join this room and read it.";
  }

  private change(change: MemberChange): void {
    this.dispatchEvent(new CustomEvent(MEMBER_CHANGE, { detail: change, bubbles: true }));
  }

  /** Enter in the passphrase field saves the whole panel (the passphrase is used then). */
  private submit(e: Event): void {
    e.preventDefault();
    if (!this.busy) this.dispatchEvent(new Event(SETTINGS_SUBMIT, { bubbles: true }));
  }
}
