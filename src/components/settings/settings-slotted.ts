/**
 * What `<parley-chat>` slots into the Settings panel, and what is asked there until Save:
 * `<parley-room-lock>` (*This room*: private or public, the passphrase typed and what it would
 * open, the invite link once made, the members and the changes marked for them),
 * `<parley-identity-card>` and `<parley-identity-port>` (*You*) and what was refused in the room (*Connection*'s
 * diagnostics). In the panel's chunk (chat-settings.ts holds only the door to it), so none of
 * this weighs on the first download. View state only: the room controller does the work, when
 * the chat's door saves (`ready`, `apply`) or forgets it (`forget`).
 */
import { html, nothing } from 'lit';
import type { ReactiveControllerHost } from 'lit';
import type { PresenceController } from '../../controllers/presence/presence-controller.js';
import type { RoomController } from '../../controllers/room/room-controller.js';
import type { PortSession } from '../../controllers/settings/identity-port.js';
import { NO_CHANGES, type MarkedChanges, type MemberChange } from './settings-members.js';
import { IDENTITY_CARD_PARTS, IDENTITY_PORT_PARTS, ROOM_LOCK_PARTS } from './settings-parts.js';
import { PASSPHRASE_MIN } from './settings-room-lock.js';

/** How long typing pauses before a passphrase is tried on the stored messages. */
const PREVIEW_PAUSE_MS = 300;

/** What the panel asks of the room controller. */
export type SettingsRoom = Pick<
  RoomController,
  | 'room'
  | 'encrypted'
  | 'locked'
  | 'refused'
  | 'error'
  | 'roomKind'
  | 'keyMismatch'
  | 'members'
  | 'canManage'
  | 'setPassphrase'
  | 'previewPassphrase'
  | 'copyInviteLink'
  | 'removeMember'
  | 'makeAdmin'
  | 'changeKey'
>;

/** The room part's state while the panel is open, for one room. */
interface LockState {
  room: string;
  /** The room's changes are being made. */
  busy: boolean;
  /** Why the last of them failed. */
  error: string;
  invite: string;
  copied: boolean;
  /** The passphrase typed, used on Save. */
  passphrase: string;
  /** What it opens, once tried. */
  preview: { opens: number; sealed: number } | undefined;
  /** Member changes marked for Save. */
  marked: MarkedChanges;
}

const FRESH = (room: string): LockState => ({
  room,
  busy: false,
  error: '',
  invite: '',
  copied: false,
  passphrase: '',
  preview: undefined,
  marked: NO_CHANGES,
});

/**
 * What `<parley-chat>` puts in the Settings panel's slots, bound to the controllers, and the
 * room's changes asked there until Save or Cancel.
 */
export class SlottedParts {
  private state: LockState = FRESH('');
  private previewTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly room: SettingsRoom,
    private readonly presence: PresenceController,
    /** The title of the room on screen, as the header shows it. */
    private readonly title: () => string,
    /** The session, for "Export identity" / "Import identity" (without it they are not offered). */
    private readonly session?: PortSession,
  ) {}

  /** The slotted elements: this room (unless `noRoom`: none is on screen), you, what was refused. */
  render(noRoom = false) {
    const { forged, conflicts, malformed, overBudget = 0 } = this.room.refused;
    return html`${noRoom ? nothing : this.roomLock()}<parley-identity-card
        slot="identity"
        part="identity-card"
        exportparts=${IDENTITY_CARD_PARTS}
        .code=${this.presence.contacts?.ownCode}
        name=${this.presence.roster.find((m) => m.self)?.name ?? ''}
      ></parley-identity-card
      >${this.identityPort()}
      <p slot="diagnostics" part="diagnostics">
        Refused in this room: ${forged} with a signature that did not check out, ${conflicts}
        conflicting ${conflicts === 1 ? 'copy' : 'copies'}, ${malformed} malformed, ${overBudget}
        beyond their author's budget.
      </p>`;
  }

  /** "Export identity" / "Import identity", under the identity card (also in *You*). */
  private identityPort() {
    if (!this.session) return nothing;
    return html`<parley-identity-port
      slot="identity"
      part="identity-port"
      exportparts=${IDENTITY_PORT_PARTS}
      .session=${this.session}
      .identityKey=${this.session.profile?.identity?.publicKey}
      code=${this.presence.contacts?.ownCode ?? ''}
    ></parley-identity-port>`;
  }

  /** `<parley-room-lock>`, for the `room` slot. */
  private roomLock() {
    const room = this.room.room;
    // Another room: nothing said or asked about the last one applies.
    if (this.state.room !== room) this.forget();
    const s = this.state;
    return html`<parley-room-lock
      slot="room"
      part="room-lock"
      exportparts=${ROOM_LOCK_PARTS}
      room=${room}
      room-title=${this.title()}
      kind=${this.room.roomKind}
      ?encrypted=${this.room.encrypted}
      ?busy=${s.busy}
      error=${s.error}
      .passphrase=${s.passphrase}
      .preview=${s.preview}
      mismatch=${this.room.keyMismatch?.name ?? ''}
      invite=${s.invite}
      ?copied=${s.copied}
      .locked=${this.room.locked}
      .members=${this.room.members}
      .fingerprints=${this.fingerprints()}
      ?can-manage=${this.room.canManage}
      .marked=${s.marked}
      @parley-room-passphrase=${(e: CustomEvent<{ passphrase: string }>) =>
        this.typed(room, e.detail.passphrase)}
      @parley-member-change=${(e: CustomEvent<MemberChange>) => this.mark(e.detail)}
      @parley-copy-invite=${() => void this.copyInvite(room)}
    ></parley-room-lock>`;
  }

  /** The short fingerprints the member list knows (those here now), by identity key. */
  private fingerprints(): ReadonlyMap<string, string> {
    const known = new Map<string, string>();
    for (const m of this.presence.roster)
      if (m.key && m.trust) known.set(m.key, m.trust.fingerprint);
    return known;
  }

  /** Forgets what was typed and marked (Cancel, another room, a new opening). */
  forget(): void {
    clearTimeout(this.previewTimer);
    this.state = FRESH(this.room.room);
    this.host.requestUpdate();
  }

  /** Whether Save may go on: a passphrase typed must be long enough (else it says so). */
  ready(): boolean {
    const { passphrase } = this.state;
    if (passphrase === '' || passphrase.length >= PASSPHRASE_MIN) return true;
    this.set({ error: `A passphrase takes at least ${PASSPHRASE_MIN} characters.` });
    return false;
  }

  /**
   * Makes the room's changes asked in the panel: the passphrase, admins, removals (each a new
   * room key for the others), a new key. Resolves false, saying why, if one failed.
   */
  async apply(): Promise<boolean> {
    const { room, passphrase, marked } = this.state;
    if (!passphrase && marked === NO_CHANGES) return true;
    this.set({ busy: true, error: '' });
    const failed: string[] = [];
    if (passphrase && !(await this.room.setPassphrase(passphrase)))
      failed.push(this.room.error ?? 'That passphrase was not taken.');
    const name = (id: string) => this.room.members.find((m) => m.id === id)?.name ?? 'someone';
    for (const id of marked.admin)
      if (!(await this.room.makeAdmin(id))) failed.push(`Could not make ${name(id)} admin.`);
    for (const id of marked.remove)
      if (!(await this.room.removeMember(id))) failed.push(`Could not remove ${name(id)}.`);
    // A removal makes a new key already.
    if (marked.rekey && marked.remove.length === 0 && !(await this.room.changeKey()))
      failed.push("Could not change the room's key.");
    if (this.state.room !== room) return false;
    if (failed.length > 0) {
      this.set({ busy: false, error: failed.join(' '), passphrase: '', marked: NO_CHANGES });
      return false;
    }
    this.forget();
    return true;
  }

  /** The passphrase field changed: kept for Save; once long enough, tried on what is stored. */
  private typed(room: string, passphrase: string): void {
    clearTimeout(this.previewTimer);
    this.set({ passphrase, preview: undefined, error: '' });
    if (passphrase.length < PASSPHRASE_MIN) return;
    this.previewTimer = setTimeout(() => {
      void this.room.previewPassphrase(passphrase).then(
        (result) => {
          if (this.state.room === room && this.state.passphrase === passphrase)
            this.set({ preview: result });
        },
        () => undefined, // no preview: Save still says whether it was taken
      );
    }, PREVIEW_PAUSE_MS);
  }

  /** A member's or the key's button: marks the change, or takes it back. */
  private mark(change: MemberChange): void {
    const { remove, admin, rekey } = this.state.marked;
    const flip = (ids: readonly string[], id: string) =>
      ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
    const marked =
      change.kind === 'rekey'
        ? { remove, admin, rekey: !rekey }
        : change.kind === 'remove'
          ? { remove: flip(remove, change.id), admin: admin.filter((x) => x !== change.id), rekey }
          : { remove, admin: flip(admin, change.id), rekey };
    const none = marked.remove.length === 0 && marked.admin.length === 0 && !marked.rekey;
    this.set({ marked: none ? NO_CHANGES : marked });
  }

  private async copyInvite(room: string): Promise<void> {
    const made = await this.room.copyInviteLink();
    if (this.state.room !== room) return;
    this.set({ invite: made?.link ?? '', copied: made?.copied ?? false });
  }

  private set(change: Partial<LockState>): void {
    this.state = { ...this.state, ...change };
    this.host.requestUpdate();
  }
}
