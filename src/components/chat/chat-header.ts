/**
 * The top bar of `<parley-chat>`: room title, connection state, the visitor's name and their
 * buttons. A template function, rendered inside the chat's own shadow root (so its styles and
 * parts are the chat's); it only renders and calls back. In a narrow chat (a phone, a small
 * embed) it stays one row: "Rooms", the room, the state, "Members (N)" and one "Menu" for the rest —
 * the same controls, folded (see `parley-chat.styles.ts`).
 */
import { html, nothing } from 'lit';
import type { TransportController } from '../../controllers/connection/transport-controller.js';

/** The link's state, as the transport controller reports it. */
type ConnectionState = TransportController['state'];

/** What the header shows, and whom it tells when a button is pressed. */
export interface HeaderView {
  /** The room's title (as typed when it was joined, else its name). */
  room: string;
  /** The title is not a room's name (a help desk's site): shown without its "#". */
  plain?: boolean;
  /** The room list is shown: a narrow chat gets a "Rooms" button for its drawer. */
  roomsList: boolean;
  /** The narrow layout's room list is open. */
  roomsOpen: boolean;
  /** Whether the visitor may pick the room (no `room` attribute). */
  roomChoice: boolean;
  /** The room is end-to-end encrypted: a lock and the words say so. */
  encrypted: boolean;
  unread: number;
  /** The visitor's name, when someone is logged in. */
  user: string | undefined;
  connection: ConnectionState;
  /** The transport in use (tabs only is told apart from a server link). */
  transport: TransportController['kind'];
  /** A transport switch is under way. */
  switching: boolean;
  members: number;
  /** Why the link is down, as a tooltip. */
  linkError: string | undefined;
  /** Offer "Notify me" (the browser can notify and has not been asked). */
  canNotify: boolean;
  /** Offer "Log out" (not when the embedding site signed the visitor in). */
  canLogout: boolean;
  /** The narrow layout's menu is open. */
  menuOpen: boolean;
  /** The narrow layout's member list is open. */
  membersOpen: boolean;
  onNotify: () => void;
  onSettings: () => void;
  /** Opens Connection details. */
  onDetails: () => void;
  onLogout: () => void;
  onMenu: () => void;
  onMembers: () => void;
  onRooms: () => void;
  /** The "Search" panel is open. */
  searchOpen: boolean;
  /** Opens (or closes) the "Search" panel. */
  onSearch: () => void;
}

/** The button that opens the "Search" panel: a magnifier, named for screen readers. */
function searchButton(v: HeaderView) {
  return html`<button
    class="search-button"
    part="button search-button"
    aria-label="Search messages"
    title="Search messages"
    aria-expanded=${v.searchOpen ? 'true' : 'false'}
    @click=${v.onSearch}
  >
    <svg viewBox="0 0 16 16" width="15" height="15" aria-hidden="true">
      <circle cx="6.5" cy="6.5" r="4.5" fill="none" stroke="currentColor" stroke-width="1.8" />
      <path d="M10 10l4.5 4.5" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" />
    </svg>
  </button>`;
}

/** The look (class and part suffix) and words of the connection state. */
function connectionLabel(
  state: ConnectionState,
  transport: TransportController['kind'],
): { look: 'connected' | 'tabs' | 'direct' | 'connecting' | 'offline'; text: string } {
  switch (state) {
    case 'idle':
    case 'connecting':
      return { look: 'connecting', text: 'Connecting…' };
    case 'open':
      // Tabs of one browser are not "connected" to anyone else: say so, not in green.
      return transport === 'broadcast'
        ? { look: 'tabs', text: 'Tabs only' }
        : { look: 'connected', text: 'Connected' };
    case 'direct':
      return { look: 'direct', text: 'Direct' };
    case 'offline':
    case 'closed':
      return { look: 'offline', text: 'Offline' };
  }
}

/** The connection light, words and head count, and the "Connection details" button by them. */
function connection(v: HeaderView) {
  const { look, text } = connectionLabel(v.connection, v.transport);
  const count = look === 'connecting' || look === 'offline' ? '' : ` · ${v.members} here`;
  // The button shares the state's class for its place in the bar, beside it.
  return html`<span
      class="conn ${look}"
      part="connection connection-${look}"
      role="status"
      title=${v.linkError ?? ''}
    >
      <span class="dot"></span><span class="conn-text">${text}</span
      ><span class="conn-more">${v.switching ? ' · switching…' : ''}${count}</span>
    </span>
    <button
      class="conn conn-details"
      part="button connection-details-button"
      aria-label="Connection details"
      title="Connection details"
      @click=${v.onDetails}
    >
      <span aria-hidden="true">i</span>
    </button>`;
}

/** The room form, name and buttons: in a row when wide, in the menu when narrow. */
function tools(v: HeaderView) {
  return html`<div class="tools ${v.menuOpen ? 'open' : ''}" id="tools" part="tools">
    ${
      v.roomChoice
        ? html`<parley-new-room
            compact
            part="room-form"
            exportparts="input: room-input, submit: join-button, public: room-public, button"
          ></parley-new-room>`
        : nothing
    }
    ${
      v.user !== undefined
        ? html`<span class="user" part="user">${v.user}</span>
            ${
              v.canNotify
                ? html`<button
                    part="button notify-button"
                    title="Show a notification for new messages while this page is hidden"
                    @click=${v.onNotify}
                  >
                    Notify me
                  </button>`
                : nothing
            }
            <button class="search-item" part="button search-button" @click=${v.onSearch}>
              Search messages
            </button>
            <button
              class="details-item"
              part="button connection-details-button"
              @click=${v.onDetails}
            >
              Connection details
            </button>
            <button part="button settings-button" @click=${v.onSettings}>Settings</button>
            ${
              v.canLogout
                ? html`<button part="button logout-button" @click=${v.onLogout}>Log out</button>`
                : nothing
            }`
        : nothing
    }
  </div>`;
}

/** A button of the narrow layout that opens (and closes) the element with id `controls`. */
function toggle(
  cls: string,
  part: string,
  controls: string,
  open: boolean,
  onClick: () => void,
  label: string,
) {
  return html`<button
    class=${cls}
    part="button ${part}"
    aria-expanded=${open ? 'true' : 'false'}
    aria-controls=${controls}
    @click=${onClick}
  >
    ${label}
  </button>`;
}

/**
 * Renders the header. `role="none"`: an embedded chat is not the page's banner, and two
 * chats on a page would otherwise give it two.
 */
export function chatHeader(v: HeaderView) {
  const loggedIn = v.user !== undefined;
  const hasTools = loggedIn || v.roomChoice;
  // A help desk's title is the site's, not a room's name: no "#" (and no white space around it).
  const hash = v.plain ? nothing : html`<span class="hash">#</span>`;
  return html`<header part="header" role="none">
    ${
      v.roomsList
        ? toggle('rooms-toggle', 'rooms-button', 'rooms', v.roomsOpen, v.onRooms, 'Rooms')
        : nothing
    }
    <span class="brand" part="brand">Parley</span>
    <h1 part="room-title" ?hidden=${!v.room}>${hash}${v.room}</h1>
    ${
      v.encrypted
        ? html`<span class="e2e" part="encrypted" role="img" aria-label="End-to-end encrypted"
            ><svg viewBox="0 0 16 16" width="13" height="13">
              <path
                fill="currentColor"
                d="M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7zm2 0h4V5a2 2 0 0 0-4 0z"
              /></svg
            ><span class="e2e-words"> End-to-end encrypted</span></span
          >`
        : nothing
    }
    ${
      v.unread
        ? html`<span class="unread" part="unread" role="status">${v.unread} new</span>`
        : nothing
    }
    <span class="spacer"></span>
    ${loggedIn ? searchButton(v) : nothing} ${loggedIn ? connection(v) : nothing}
    ${
      loggedIn
        ? toggle(
            'members-toggle',
            'members-button',
            'roster',
            v.membersOpen,
            v.onMembers,
            `Members (${v.members})`,
          )
        : nothing
    }
    ${hasTools ? toggle('menu-toggle', 'menu-button', 'tools', v.menuOpen, v.onMenu, 'Menu') : nothing}
    ${hasTools ? tools(v) : nothing}
  </header>`;
}
