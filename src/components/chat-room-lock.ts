/**
 * `<parley-chat>`'s side of `<parley-room-lock>`: what the element shows for the room (its
 * encryption, the passphrase being derived, the invite link once made) and what its events
 * ask of the room controller. View state only — the room controller does the work.
 */
import { html } from 'lit';
import type { ReactiveControllerHost } from 'lit';
import type { RoomController } from '../controllers/room-controller.js';
import { ROOM_LOCK_PARTS } from './settings-parts.js';

/** The room-lock element's transient state, for one room. */
interface LockState {
  room: string;
  busy: boolean;
  error: string;
  invite: string;
  copied: boolean;
}

/** Binds `<parley-room-lock>` to the room controller for `<parley-chat>`. */
export class RoomLockView {
  private state: LockState = { room: '', busy: false, error: '', invite: '', copied: false };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly room: RoomController,
  ) {}

  /** The element, for the Settings panel's `room` slot. */
  render() {
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
