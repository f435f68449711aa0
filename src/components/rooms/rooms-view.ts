/**
 * What `<parley-chat>` draws of its room list, and what the list's events do (choose a room,
 * copy its invite link, leave it): loaded with the list's element (rooms-define.ts), so none
 * of it is in the room's first download. chat-rooms.ts keeps the drafts, titles and visits,
 * which the room needs at once.
 */
import { html } from 'lit';
import type { RoomController } from '../../controllers/room/room-controller.js';
import type { RoomEntry, RoomsController } from '../../controllers/rooms/rooms-controller.js';
import type { InboxConversation } from '../../controllers/desk/desk-agent.js';
import { DEFAULT_ROOM } from '../../controllers/room/room-address.js';
import type { RoomItem } from './parley-rooms.js';

/** What the list's view reads and changes of the chat's room list (chat-rooms.ts). */
export interface RoomsViewState {
  readonly host: { requestUpdate(): void };
  readonly chat: RoomController;
  readonly rooms: RoomsController | undefined;
  /** The room whose link was just copied (the list says "Link copied"). */
  copied: string;
  /** Whether the list is open as a drawer (narrow layout). */
  readonly drawerOpen: boolean;
  closeDrawer(): void;
  /** A room was chosen: the next thing to do is to write in it. */
  chosen(): void;
  /** An agent's inbox: its conversations are the list (undefined: the account's rooms). */
  readonly inbox?: readonly InboxConversation[] | undefined;
}

/**
 * The inbox's lines: each conversation with its room's count and newest message, those whose
 * visitor wrote last (nobody answered yet) first, then the most recent first.
 */
export function inboxItems(
  conversations: readonly InboxConversation[],
  rooms: readonly RoomEntry[],
): RoomItem[] {
  const byRoom = new Map(rooms.map((r) => [r.room, r]));
  const items = conversations.map((c) => {
    const entry = byRoom.get(c.room);
    const last = entry?.last;
    const item: RoomItem & { at: number } = {
      room: c.room,
      title: c.title,
      unread: entry?.unread ?? 0,
      // Until someone else's words come last (an agent joining is not an answer).
      waiting: !last?.said || last.by === c.visitor,
      at: Math.max(c.last, last?.ts ?? 0),
      ...(last ? { last } : {}),
      ...(c.email ? { email: c.email } : {}),
      ...(c.fingerprint ? { fingerprint: c.fingerprint } : {}),
    };
    return item;
  });
  items.sort((a, b) => Number(b.waiting) - Number(a.waiting) || b.at - a.at);
  return items.map(({ at: _, ...item }) => item);
}

function select(s: RoomsViewState, room: string): void {
  s.closeDrawer();
  s.chat.openRoom(room);
  s.chosen();
}

async function invite(s: RoomsViewState): Promise<void> {
  const made = await s.chat.copyInviteLink();
  if (!made) return;
  s.copied = made.copied ? s.chat.room : '';
  s.host.requestUpdate();
}

async function leave(s: RoomsViewState, room: string, deleteHistory: boolean): Promise<void> {
  const { chat, rooms } = s;
  if (!rooms) return;
  // Leaving the room on screen moves to the next one on the list first (the lobby if none).
  if (chat.room === room) {
    const next = rooms.list.find((r) => r.room !== room)?.room ?? DEFAULT_ROOM;
    chat.openRoom(next === room ? DEFAULT_ROOM : next);
  }
  await rooms.leave(room, { deleteHistory });
}

/** The list's element with its rooms, and its events bound (`parts`: its `exportparts`). */
export function roomsList(s: RoomsViewState, parts: string) {
  const items: RoomItem[] = s.inbox
    ? inboxItems(s.inbox, s.rooms?.list ?? [])
    : (s.rooms?.list ?? []).map(({ room, title, unread, last }) => ({
        room,
        title,
        unread,
        ...(last ? { last } : {}),
      }));
  return html`<parley-rooms
    id="rooms"
    part="rooms"
    exportparts=${parts}
    class=${s.drawerOpen ? 'open' : ''}
    .rooms=${items}
    ?inbox=${s.inbox !== undefined}
    current=${s.chat.room}
    copied=${s.copied}
    @parley-room-select=${(e: CustomEvent<{ room: string }>) => select(s, e.detail.room)}
    @parley-room-invite=${() => void invite(s)}
    @parley-room-leave=${(e: CustomEvent<{ room: string; deleteHistory: boolean }>) =>
      void leave(s, e.detail.room, e.detail.deleteHistory)}
  ></parley-rooms>`;
}
