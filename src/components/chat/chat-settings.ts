/**
 * `<parley-chat>`'s side of the Settings panel: loading the panel's chunk, opening, saving and
 * closing it, and what goes in
 * its slots — `<parley-room-lock>` (the room's encryption, the passphrase being derived, the
 * invite link once made; its events go to the room controller) and `<parley-identity-card>`
 * (our safety code). View state only — the controllers do the work.
 */
import { html } from 'lit';
import type { ReactiveControllerHost } from 'lit';
import type { PresenceController } from '../../controllers/presence/presence-controller.js';
import type { RoomController } from '../../controllers/room/room-controller.js';
import type { SettingsController } from '../../controllers/settings/settings-controller.js';
import type { ParleySettings } from '../../controllers/settings/settings.js';
import { IDENTITY_CARD_PARTS, ROOM_LOCK_PARTS } from '../settings/settings-parts.js';

let panel: Promise<unknown> | undefined;
let panelLoaded = false;

/**
 * Loads and registers the Settings panel's elements (a chunk of their own, see
 * settings-define.ts), once; `parley` starts it as soon as it registers the other elements.
 */
export function loadSettingsPanel(): Promise<unknown> {
  panel ??= import('../settings/settings-define.js').then(() => (panelLoaded = true));
  return panel;
}

/** Whether the Settings panel's elements are registered already. */
export function settingsPanelLoaded(): boolean {
  return panelLoaded;
}

/** Whether the Settings panel is open, and the ways in and out of it. */
export class SettingsDoor {
  /** The panel is open (shown once someone is logged in). */
  open = false;

  constructor(
    private readonly host: ReactiveControllerHost & { isConnected: boolean },
    private readonly prefs: SettingsController,
    /** Where the focus goes once the panel closes. */
    private readonly closed: () => void,
  ) {}

  /** Opens the panel (its chunk is normally here long before anyone asks for it). */
  show(): void {
    this.prefs.clearCheck();
    if (settingsPanelLoaded()) this.set(true);
    else void loadSettingsPanel().then(() => this.set(this.host.isConnected));
  }

  /** Closes it; a server check still running must not save then. */
  close(): void {
    this.prefs.clearCheck();
    this.set(false);
    this.closed();
  }

  /** The panel stays open until the settings are checked and stored, then closes. */
  async save(e: CustomEvent<{ settings: ParleySettings; force?: boolean }>): Promise<void> {
    e.preventDefault();
    const { settings, force } = e.detail;
    if (await this.prefs.save(settings, { force: force === true })) this.close();
  }

  private set(open: boolean): void {
    this.open = open;
    this.host.requestUpdate();
  }
}

/** The room-lock element's transient state, for one room. */
interface LockState {
  room: string;
  busy: boolean;
  error: string;
  invite: string;
  copied: boolean;
}

/** What `<parley-chat>` puts in the Settings panel's slots, bound to the controllers. */
export class SettingsSlots {
  private state: LockState = { room: '', busy: false, error: '', invite: '', copied: false };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly room: RoomController,
    private readonly presence: PresenceController,
    /** The title of the room on screen, as the header shows it. */
    private readonly title: () => string,
  ) {}

  /** The slotted elements: the room's encryption and our safety code. */
  render() {
    return html`${this.roomLock()}<parley-identity-card
        slot="identity"
        part="identity-card"
        exportparts=${IDENTITY_CARD_PARTS}
        .code=${this.presence.contacts?.ownCode}
      ></parley-identity-card>`;
  }

  /** `<parley-room-lock>`, for the `room` slot. */
  private roomLock() {
    const room = this.room.room;
    // Another room: nothing said about the last one applies.
    if (this.state.room !== room)
      this.set({ room, busy: false, error: '', invite: '', copied: false });
    const s = this.state;
    return html`<parley-room-lock
      slot="room"
      part="room-lock"
      exportparts=${ROOM_LOCK_PARTS}
      room=${room}
      room-title=${this.title()}
      ?encrypted=${this.room.encrypted}
      ?busy=${s.busy}
      error=${s.error}
      invite=${s.invite}
      ?copied=${s.copied}
      .locked=${this.room.locked}
      .refused=${{ ...this.room.refused }}
      @parley-room-passphrase=${(e: CustomEvent<{ passphrase: string }>) =>
        void this.usePassphrase(room, e.detail.passphrase)}
      @parley-copy-invite=${() => void this.copyInvite(room)}
    ></parley-room-lock>`;
  }

  private async usePassphrase(room: string, passphrase: string): Promise<void> {
    this.set({ busy: true, error: '' });
    const ok = await this.room.setPassphrase(passphrase);
    if (this.state.room !== room) return;
    this.set({
      busy: false,
      error: ok ? '' : (this.room.error ?? 'That passphrase was not taken.'),
    });
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
