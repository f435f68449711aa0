/**
 * `components/rooms/` — the room list: the element, its styles and its lazy registration.
 *
 * The room list: the rooms this account has joined, most recent first, each with its unread
 * count and the last message; switching rooms, copying a room's invite link and leaving a room
 * (asking whether to keep its messages on this device). A sidebar in a wide chat, a drawer in a
 * narrow one (`<parley-chat>` decides where it sits). It renders and fires events only.
 */
import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { fire } from '../shared/events.js';
import { roomsStyles } from './parley-rooms.styles.js';
import { sideListStyles } from '../shared/side-list.styles.js';
import { base } from '../shared/theme.styles.js';

/** One room as the list shows it. */
export interface RoomItem {
  /** The room's name on the wire (its slug). */
  room: string;
  /** How the person typed it ("Design Team"); the name when there is none. */
  title: string;
  /** Messages not seen yet (the store caps the count). */
  unread: number;
  /** The newest message: author, text (one line of it) and time. */
  last?: { author: string; text: string; ts: number };
  /** In an inbox: the visitor wrote last (or nobody answered yet). */
  waiting?: boolean;
  /** In an inbox: the email the visitor gave for a reply (nobody checked it). */
  email?: string;
  /** In an inbox: the visitor's fingerprint (her safety code's first groups). */
  fingerprint?: string;
}

/** Counts past this show as "99+". */
const SHOWN_MAX = 99;

/** "3", or "99+" past the cap. */
function count(n: number): string {
  return n > SHOWN_MAX ? `${SHOWN_MAX}+` : String(n);
}

/**
 * @summary The rooms this account has joined, with unread counts.
 * @fires parley-room-select - The person picks a room (`detail.room`).
 * @fires parley-room-invite - The person asks for a room's invite link (`detail.room`).
 * @fires parley-room-leave - The person leaves a room (`detail.room`, `detail.deleteHistory`).
 * @fires parley-room-create - From its "New room" form: `{ title, public }` (private unless `public`).
 * @csspart heading - The "Rooms" heading.
 * @csspart rooms - The list.
 * @csspart room - Each room's line; also `current` on the room on screen.
 * @csspart room-button - The button that opens a room.
 * @csspart room-title - A room's title.
 * @csspart room-unread - A room's unread count.
 * @csspart room-last - The last message of a room.
 * @csspart room-action - The "Copy invite link" and "Leave room" buttons of the room on screen.
 * @csspart leave-dialog - The question asked before leaving a room.
 * @csspart empty - The line shown before any room is joined.
 * @csspart new-room - The "New room" button (`aria-expanded`).
 * @csspart new-room-form - The form it opens (`<parley-new-room>`: a room's name, "Public room").
 * @csspart room-waiting - In an inbox: "Waiting for an answer" on a conversation whose visitor wrote last.
 * @csspart room-email - In an inbox: the email a visitor gave for a reply, marked "not checked".
 * @csspart room-fingerprint - In an inbox: the visitor's fingerprint, to tell two visitors of one name apart.
 */
export class ParleyRooms extends LitElement {
  static override styles = [base, sideListStyles, roomsStyles];

  /** The rooms, most recent first. */
  @property({ attribute: false }) rooms: RoomItem[] = [];
  /** The room on screen. */
  @property() current = '';
  /** The room whose invite link was just copied (says "Link copied" there for a moment). */
  @property() copied = '';
  /**
   * An agent's inbox: the list is "Inbox", its lines are visitors' conversations (those waiting
   * for an answer marked), and it offers no "New room", invite link or leaving.
   */
  @property({ type: Boolean }) inbox = false;

  /** The room being left: its question is open. */
  @state() private leaving: string | undefined;
  /** The "New room" form is open. */
  @state() private creating = false;

  /** Opens the "New room" form (its name field focused) or closes it. */
  private toggleNew(): void {
    this.creating = !this.creating;
    if (!this.creating) return;
    void this.updateComplete.then(() => {
      const form = this.renderRoot.querySelector<
        HTMLElement & { updateComplete: Promise<unknown> }
      >('parley-new-room');
      void form?.updateComplete.then(() => form.focus());
    });
  }

  /** The "New room" button, and its form when open (its event goes on to the chat). */
  private renderNew() {
    const close = () => {
      this.creating = false;
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>('button.new')?.focus(),
      );
    };
    return html`<button
        class="new"
        part="button new-room"
        aria-expanded=${this.creating ? 'true' : 'false'}
        @click=${() => this.toggleNew()}
      >
        New room
      </button>
      ${
        this.creating
          ? html`<parley-new-room
              part="new-room-form"
              @parley-room-create=${() => (this.creating = false)}
              @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && close()}
            ></parley-new-room>`
          : nothing
      }`;
  }

  private select(room: string): void {
    fire(this, 'parley-room-select', { room });
  }

  private leave(room: string, deleteHistory: boolean): void {
    this.leaving = undefined;
    fire(this, 'parley-room-leave', { room, deleteHistory });
  }

  private openLeave(room: string): void {
    this.leaving = room;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>('.leave-dialog input')?.focus(),
    );
  }

  private cancelLeave(): void {
    this.leaving = undefined;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>('.current .leave')?.focus(),
    );
  }

  private renderLeave(item: RoomItem) {
    const submit = (e: SubmitEvent) => {
      e.preventDefault();
      const form = e.target as HTMLFormElement;
      const choice = (form.elements.namedItem('history') as RadioNodeList).value;
      this.leave(item.room, choice === 'delete');
    };
    return html`<form
      class="leave-dialog"
      part="leave-dialog"
      @submit=${submit}
      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.cancelLeave()}
    >
      <fieldset>
        <legend>Leave ${item.title}?</legend>
        <label
          ><input type="radio" name="history" value="keep" checked /> Keep its messages on this
          device</label
        >
        <label
          ><input type="radio" name="history" value="delete" /> Delete its messages from this
          device</label
        >
      </fieldset>
      <div class="actions">
        <button type="submit" class="primary" part="button primary">Leave room</button>
        <button type="button" part="button" @click=${() => this.cancelLeave()}>Cancel</button>
      </div>
    </form>`;
  }

  /** The room on screen can be shared or left. */
  private renderTools(item: RoomItem) {
    const copied = this.copied === item.room;
    return html`<div class="tools">
      <button
        part="button room-action"
        @click=${() => fire(this, 'parley-room-invite', { room: item.room })}
      >
        Copy invite link
      </button>
      <button
        part="button room-action"
        class="leave"
        aria-expanded=${this.leaving === item.room ? 'true' : 'false'}
        @click=${() => this.openLeave(item.room)}
      >
        Leave room
      </button>
      <span class="copied" role="status">${copied ? 'Link copied' : ''}</span>
    </div>`;
  }

  private renderRoom(item: RoomItem) {
    const current = item.room === this.current;
    const unread = current ? 0 : item.unread;
    const last = item.last ? `${item.last.author}: ${item.last.text}` : '';
    return html`<li part="room ${current ? 'current' : ''}" class=${current ? 'current' : ''}>
      <button
        class="open"
        part="room-button"
        aria-current=${current ? 'true' : nothing}
        @click=${() => this.select(item.room)}
      >
        <span class="title" part="room-title">${item.title}</span>
        ${
          unread > 0
            ? html`<span class="unread" part="room-unread"
                >${count(unread)}<span class="visually-hidden"> unread</span></span
              >`
            : nothing
        }
        ${
          item.waiting
            ? html`<span class="waiting" part="room-waiting">Waiting for an answer</span>`
            : nothing
        }
        ${last ? html`<span class="last" part="room-last">${last}</span>` : nothing}
        ${
          item.fingerprint
            ? html`<span class="last fp" part="room-fingerprint">${item.fingerprint}</span>`
            : nothing
        }
        ${
          item.email
            ? html`<span class="last" part="room-email">${item.email} (not checked)</span>`
            : nothing
        }
      </button>
      ${current && !this.inbox ? this.renderTools(item) : nothing}
      ${this.leaving === item.room ? this.renderLeave(item) : nothing}
    </li>`;
  }

  override render() {
    const empty = this.inbox
      ? "Visitors' conversations are listed here."
      : 'Rooms you join are listed here.';
    return html`<nav aria-labelledby="rooms-heading">
      <h2 id="rooms-heading" part="heading">${this.inbox ? 'Inbox' : 'Rooms'}</h2>
      ${this.inbox ? nothing : this.renderNew()}
      ${
        this.rooms.length
          ? html`<ul part="rooms">
              ${this.rooms.map((item) => this.renderRoom(item))}
            </ul>`
          : html`<p class="empty" part="empty">${empty}</p>`
      }
    </nav>`;
  }
}
