/**
 * The room list's place in `<parley-chat>`: it keeps the rooms controller in step with the room
 * on screen (a room opened is visited, with its typed title; a room seen is read), renders
 * `<parley-rooms>` (a sidebar when wide, a drawer when narrow; its element loads in a chunk of
 * its own) and hands its events to the controllers. It also gives the composer each room's
 * draft. A view helper: the I/O is the controllers'.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { RoomController } from '../../controllers/room/room-controller.js';
import type { RoomsController, RoomsConfig } from '../../controllers/rooms/rooms-controller.js';
import type { RoomsViewState } from '../rooms/rooms-view.js';
import type { InboxConversation } from '../../controllers/desk/desk-agent.js';
import { loadAfterFirstView, loadAfterSettled } from '../../internal/load-order.js';

/** The parts `<parley-rooms>` exposes, for the chat's `exportparts`. */
export const ROOMS_PARTS =
  'heading: rooms-heading, rooms: room-list, room, current: room-current, room-button, ' +
  'room-title: room-item-title, room-unread, room-last, room-action, leave-dialog, ' +
  'empty: rooms-empty, new-room, new-room-form, room-waiting, room-email, room-fingerprint, button';

/** The list's element and its view (rooms-define.ts), once asked for; the module once here. */
let element: Promise<unknown> | undefined;
let view: typeof import('../rooms/rooms-define.js') | undefined;

/** What the chat tells the room list. */
export interface ChatRoomsConfig extends Omit<RoomsConfig, 'room'> {
  chat: RoomController;
  /** Whether the list is shown at all (logged in, the room not fixed, `rooms` not `none`). */
  shown: () => boolean;
  /** Whether the page fixes the room (no list, no "New room" form): the list's code waits. */
  fixed: () => boolean;
  /** Whether the person sees the chat now (the page visible, a launcher's panel open). */
  seen: () => boolean;
  /** Narrow layout: whether the list is open as a drawer, and how to close it. */
  drawer: { isOpen: () => boolean; close: () => void };
  /** A room was chosen in the list: the next thing to do is to write in it. */
  chosen: () => void;
  /** An agent's inbox: its conversations take the list's place (undefined: the rooms). */
  inbox?: () => readonly InboxConversation[] | undefined;
}

/** The room list of one chat, and the per-room drafts of its composer. */
export class ChatRooms implements ReactiveController, RoomsViewState {
  /** The rooms controller, loaded in a chunk of its own right after the chat starts. */
  rooms: RoomsController | undefined;
  private loading: Promise<void> | undefined;
  copied = '';
  /** The title typed for the room being moved to, until it is visited. */
  private typed: { room: string; title: string } | undefined;
  /** The last room shown, and the rooms shown that the list has not been told of yet. */
  private lastShown = '';
  private listLoaded = false;
  private readonly toVisit: Array<{ room: string; title: string | undefined }> = [];
  private visits: Promise<unknown> = Promise.resolve();
  private defined = false;

  constructor(
    readonly host: ReactiveControllerHost & HTMLElement,
    private readonly config: ChatRoomsConfig,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const { host, config } = this;
    // A chat choosing its room shows the list and the top bar's "New room" form as soon as it
    // is in; with the room fixed, only drafts and titles need the controller, later.
    const fixed = config.fixed();
    if (!fixed) void loadAfterFirstView(() => import('../rooms/new-room-define.js'));
    const load = fixed ? loadAfterSettled : loadAfterFirstView;
    this.loading ??= load(() => import('../../controllers/rooms/rooms-controller.js')).then(
      ({ RoomsController }) => {
        this.rooms = new RoomsController(host, { ...config, room: () => config.chat.room });
        host.requestUpdate();
      },
    );
  }

  /** Messages of `room` were stored: its count and last message are worked out again. */
  noticed(room: string): void {
    this.rooms?.noticed(room);
  }

  /** What is written in the composer for `room` (see `RoomsController.setDraft`). */
  setDraft(room: string, text: string): void {
    this.rooms?.setDraft(room, text);
  }

  /** The person typed `title` for the room `room` they are moving to. */
  typedTitle(room: string, title: string): void {
    this.typed = { room, title };
  }

  hostUpdated(): void {
    const { chat } = this.config;
    // Every room shown is noted at once, even before the list has loaded (a room left a moment
    // after logging in is still one the account joined), and visited in that order.
    if (chat.room !== this.lastShown) {
      this.lastShown = chat.room;
      const title = this.typed?.room === chat.room ? this.typed.title : chat.titleOf(chat.room);
      this.typed = undefined;
      // A room this account never had: what others wrote before now is history they shared.
      this.newSince =
        this.rooms?.loaded && !this.rooms.list.some((r) => r.room === chat.room)
          ? Date.now()
          : undefined;
      this.toVisit.push({ room: chat.room, title });
    }
    const rooms = this.rooms;
    if (!rooms?.loaded) return void (this.listLoaded = false);
    // A list just loaded (a login, another account) is told of the room on screen too.
    if (!this.listLoaded) {
      this.listLoaded = true;
      if (!this.toVisit.some((v) => v.room === chat.room))
        this.toVisit.push({ room: chat.room, title: undefined });
    }
    for (const { room, title } of this.toVisit.splice(0))
      this.visits = this.visits.then(() => rooms.visit(room, title)).catch(() => {});
    // What is on screen of the room shown is read once the person can see it.
    const newest = chat.messages.at(-1)?.ts;
    if (newest !== undefined && this.config.seen()) rooms.read(chat.room, newest);
    if (this.config.shown() && !this.defined) {
      this.defined = true;
      element ??= import('../rooms/rooms-define.js').then((m) => (view = m));
      void element.then(() => this.host.requestUpdate());
    }
  }

  /**
   * When the room on screen was opened, if this account had never been in it (so others'
   * older messages there came from the members' history); undefined otherwise or not known.
   */
  newSince: number | undefined;

  /** The composer's draft for the room on screen. */
  get draft(): string {
    return this.rooms?.draft(this.config.chat.room) ?? '';
  }

  /** The display title of the room on screen. */
  get title(): string {
    return this.rooms?.title(this.config.chat.room) ?? this.config.chat.room;
  }

  get chat(): RoomController {
    return this.config.chat;
  }

  get inbox(): readonly InboxConversation[] | undefined {
    return this.config.inbox?.();
  }

  get drawerOpen(): boolean {
    return this.config.drawer.isOpen();
  }

  closeDrawer(): void {
    this.config.drawer.close();
  }

  chosen(): void {
    this.config.chosen();
  }

  /**
   * The list, or nothing when it is not shown. Until its chunk is here, the same element
   * (not yet defined, so empty, as it is until its definition comes) holds its place.
   */
  render() {
    if (!this.config.shown()) return nothing;
    if (view) return view.roomsList(this, ROOMS_PARTS);
    return html`<parley-rooms
      id="rooms"
      part="rooms"
      exportparts=${ROOMS_PARTS}
      class=${this.config.drawer.isOpen() ? 'open' : ''}
    ></parley-rooms>`;
  }
}
