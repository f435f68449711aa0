/**
 * The top bar of `<parley-chat>`: room title, room switcher, connection state, the visitor's
 * name and their buttons. A template function, rendered inside the chat's own shadow root
 * (so its styles and parts are the chat's); it only renders and calls back.
 */
import { html, nothing } from 'lit';
import type { TransportController } from '../controllers/transport-controller.js';

/** The link's state, as the transport controller reports it. */
type ConnectionState = TransportController['state'];

/** What the header shows, and whom it tells when a button is pressed. */
export interface HeaderView {
  room: string;
  /** Whether the visitor may pick the room (no `room` attribute). */
  roomChoice: boolean;
  unread: number;
  /** The visitor's name, when someone is logged in. */
  user: string | undefined;
  connection: ConnectionState;
  /** A transport switch is under way. */
  switching: boolean;
  members: number;
  /** Why the link is down, as a tooltip. */
  linkError: string | undefined;
  /** Offer "Notify me" (the browser can notify and has not been asked). */
  canNotify: boolean;
  /** Offer "Log out" (not when the embedding site signed the visitor in). */
  canLogout: boolean;
  onRoom: (e: SubmitEvent) => void;
  onNotify: () => void;
  onSettings: () => void;
  onLogout: () => void;
}

/** The header's connection light and words for each transport state. */
const CONNECTION_TEXT = {
  idle: ['connecting', 'Connecting…'],
  connecting: ['connecting', 'Connecting…'],
  open: ['connected', 'Connected'],
  direct: ['direct', 'Direct'],
  offline: ['offline', 'Offline'],
  closed: ['offline', 'Offline'],
} as const;

/** Whether the connection counts as down (for the offline banner). */
export function isOffline(state: ConnectionState): boolean {
  return CONNECTION_TEXT[state][0] === 'offline';
}

/** The controls shown once someone is logged in. */
function userControls(v: HeaderView & { user: string }) {
  const [connClass, connText] = CONNECTION_TEXT[v.connection];
  return html`<span
      class="conn ${connClass}"
      part="connection connection-${connClass}"
      role="status"
      title=${v.linkError ?? ''}
    >
      <span class="dot"></span>${connText}${v.switching ? ' · switching…' : ''}${
        connClass === 'connected' || connClass === 'direct' ? ` · ${v.members} here` : ''
      }
    </span>
    <span class="user" part="user">${v.user}</span>
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
    <button part="button settings-button" @click=${v.onSettings}>Settings</button>
    ${
      v.canLogout
        ? html`<button part="button logout-button" @click=${v.onLogout}>Log out</button>`
        : nothing
    }`;
}

/**
 * Renders the header. `role="none"`: an embedded chat is not the page's banner, and two
 * chats on a page would otherwise give it two.
 */
export function chatHeader(v: HeaderView) {
  return html`<header part="header" role="none">
    <span class="brand" part="brand">Parley</span>
    <h1 part="room-title"><span class="hash">#</span>${v.room}</h1>
    ${
      v.unread
        ? html`<span class="unread" part="unread" role="status">${v.unread} new</span>`
        : nothing
    }
    ${
      v.roomChoice
        ? html`<form class="room" part="room-form" @submit=${v.onRoom}>
            <input
              name="room"
              part="room-input"
              aria-label="Room"
              placeholder="Other room"
              maxlength="64"
            />
            <button type="submit" part="button join-button">Join</button>
          </form>`
        : nothing
    }
    <span class="spacer"></span>
    ${v.user !== undefined ? userControls({ ...v, user: v.user }) : nothing}
  </header>`;
}
