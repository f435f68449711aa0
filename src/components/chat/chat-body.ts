/**
 * The middle of `<parley-chat>`: the message list, the member list, and the Settings panel and
 * the login box and Connection details that cover them when the chat is embedded. A template function rendered in the
 * chat's own shadow root (its styles and parts are the chat's); it renders the controllers'
 * state and hands the views' events to them or back to the chat. Also the words of the
 * typing line under it.
 */
import { html, nothing } from 'lit';
import type { FileActions } from '../../controllers/files/file-state.js';
import type { PresenceController } from '../../controllers/presence/presence-controller.js';
import type { RoomController } from '../../controllers/room/room-controller.js';
import type { SettingsController } from '../../controllers/settings/settings-controller.js';
import type { ParleySettings } from '../../controllers/settings/settings.js';
import type { Credentials } from '../shared/events.js';
import type { ComposeRequest } from './chat-compose.js';
import { LOGIN_PARTS } from '../login/login-parts.js';
import { MESSAGES_PARTS } from '../messages/messages-parts.js';
import { ROSTER_PARTS } from '../roster/roster-parts.js';
import { SETTINGS_PARTS } from '../settings/settings-parts.js';

let loginBox: Promise<unknown> | undefined;

/**
 * Loads and registers the login box's element (a chunk of its own, see login-define.ts), once;
 * `parley` starts it as soon as it registers the other elements.
 */
export function loadLoginBox(): Promise<unknown> {
  loginBox ??= import('../login/login-define.js');
  return loginBox;
}

let roster: Promise<unknown> | undefined;

/** The member list's heading as it draws it (side-list.styles.ts), for its place-holder. */
let messages: Promise<unknown> | undefined;

/** Loads and registers the message list's element (a chunk of its own, see messages-define.ts), once. */
export function loadMessages(): Promise<unknown> {
  messages ??= import('../messages/messages-define.js');
  return messages;
}

/**
 * Loads and registers the member list's element (a chunk of its own, see roster-define.ts),
 * once. Until then `<parley-roster>` is a plain element in its column (its width is the chat's
 * style) showing its heading in light DOM, which its shadow root hides once it upgrades.
 */
export function loadRoster(): Promise<unknown> {
  roster ??= import('../roster/roster-define.js');
  return roster;
}

/** "Ann is typing…", "Ann and Ben are typing…", "3 people are typing…", or nothing. */
export function typingLine(names: string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

/** What the login box shows, and whom it tells. */
export interface LoginView {
  /** The login and the settings are panels in the chat's box, not page-wide popups. */
  inline: boolean;
  showLogin: boolean;
  loginBusy: boolean;
  loginError: { message: string; reason?: string } | undefined;
  /** The login box's heading (the `greeting` attribute), or its default. */
  greeting: string | undefined;
  /** Shown in the body before anyone is in (a guest's greeting), or nothing. */
  intro?: unknown;
  onCredentials: (kind: 'login' | 'register', e: CustomEvent<Credentials>) => void;
}

/** What the body shows once the chat's core is here (see chat-core.ts), and whom it tells. */
export interface RoomBodyView {
  chat: RoomController;
  presence: PresenceController;
  prefs: SettingsController;
  /** Our own identity, to mark our messages. */
  self: string;
  loggedIn: boolean;
  settingsShown: boolean;
  /** The settings in force (see `ParleyChat`'s `effective`). */
  settings: ParleySettings;
  /** `history-max` when the page fixes it. */
  historyFixed: number | undefined;
  /** The transport's notice (e.g. the server is away), shown in the Settings panel. */
  notice: string | undefined;
  membersOpen: boolean;
  /** The room's title, for the "Beginning of #room" marker. */
  roomTitle: string;
  /** A newcomer to a public room: others' messages older than this were shared with us. */
  sharedBefore: number | undefined;
  /** The room list (see chat-rooms.ts), or nothing. */
  roomList: unknown;
  /** The files API for file messages, once loaded. */
  files: FileActions | undefined;
  /** The Settings panel's slotted elements (a template, or nothing). */
  settingsSlots: unknown;
  /** Connection details (see connection-door.ts), or nothing before it was first opened. */
  connection: unknown;
  /** Connection details is open. */
  connectionShown: boolean;
  onConnectionOpen: () => void;
  onSaveSettings: (e: CustomEvent<{ settings: ParleySettings; force?: boolean }>) => void;
  onCloseSettings: () => void;
  /** The "Search" panel (see search-door.ts), or nothing before it was first opened. */
  search: unknown;
  /** A row asked to reply to or edit a message (see chat-compose.ts). */
  onCompose: (e: CustomEvent<ComposeRequest>) => void;
  /** No room is on screen (an agent's inbox with no conversation): this stands in its place. */
  idle?: unknown;
}

/**
 * The body: messages, members, and the panels over them — or, before the chat's core is here,
 * the login box alone. One template either way, so the login box typed in stays the same
 * element when the rest arrives.
 */
export function chatBody(v: LoginView & { room?: RoomBodyView | undefined }) {
  const { room } = v;
  // Embedded, the login and the settings take the chat's own box, never the page.
  const covered = v.inline && (v.showLogin || room?.settingsShown || room?.connectionShown);
  return html`<div
    class="body ${covered ? 'covered' : ''} ${room?.membersOpen ? 'members-open' : ''}"
    part="body"
  >
    ${room ? roomBody(room, v.inline) : (v.intro ?? nothing)} ${loginTemplate(v)}
  </div>`;
}

/** The room's part of the body: the list, messages, members, Settings, details, Search. */
function roomBody(v: RoomBodyView, inline: boolean) {
  return html`${v.roomList} ${v.idle === undefined ? roomLists(v) : v.idle}
    <parley-settings
      part="settings"
      exportparts=${SETTINGS_PARTS}
      ?inline=${inline}
      ?open=${v.settingsShown}
      ?checking=${v.prefs.checking}
      server-error=${v.prefs.serverProblem ?? ''}
      .settings=${v.settings}
      .historyFixed=${v.historyFixed}
      notice=${v.notice ?? v.prefs.error ?? ''}
      .historyResult=${v.chat.historyNote}
      .historyBusy=${v.chat.historyBusy}
      @parley-history-export=${(e: CustomEvent<{ format: 'json' | 'html' }>) =>
        void v.chat.exportHistory(e.detail.format, `#${v.roomTitle}`)}
      @parley-history-import=${(e: CustomEvent<{ file: File }>) =>
        void v.chat.importHistory(e.detail.file)}
      @parley-settings-save=${v.onSaveSettings}
      @parley-settings-close=${v.onCloseSettings}
      @parley-connection-open=${v.onConnectionOpen}
      >${v.settingsSlots}</parley-settings
    >
    ${v.connection} ${v.search}`;
}

/** The room's own part of the body: its messages and its members. */
function roomLists(v: RoomBodyView) {
  return html`<parley-messages
      part="messages"
      exportparts=${MESSAGES_PARTS}
      .messages=${v.chat.messages}
      .self=${v.self}
      .roomTitle=${v.roomTitle}
      .files=${v.files}
      .context=${{
        encrypted: v.chat.encrypted,
        kind: v.chat.roomKind,
        authors: v.presence.contacts?.authorMarks(v.chat.messages),
        events: v.presence.comings?.lines,
        sharedBefore: v.chat.roomKind === 'public' ? v.sharedBefore : undefined,
      }}
      ?more=${v.chat.hasOlder}
      .highlight=${v.chat.highlighted}
      @parley-load-older=${() => void v.chat.loadOlder()}
      @parley-retry=${(e: CustomEvent<{ id: string }>) => v.chat.retry(e.detail.id)}
      @parley-compose=${v.onCompose}
      @parley-delete=${(e: CustomEvent<{ id: string }>) => v.chat.remove(e.detail.id)}
      @parley-react=${(e: CustomEvent<{ id: string; emoji: string; on: boolean }>) =>
        v.chat.react(e.detail.id, e.detail.emoji, e.detail.on)}
      @parley-jump=${(e: CustomEvent<{ id: string }>) => void v.chat.jumpTo(e.detail.id)}
    ></parley-messages>
    ${
      v.loggedIn
        ? html`<parley-roster
            id="roster"
            part="roster"
            exportparts=${ROSTER_PARTS}
            .members=${v.presence.roster}
            @parley-verify=${(e: CustomEvent<{ userId: string; verified: boolean }>) =>
              void v.presence.contacts?.setVerified(e.detail.userId, e.detail.verified)}
            ><h2 class="roster-waiting">
              In this room (${v.presence.roster.length})
            </h2></parley-roster
          >`
        : ''
    }`;
}

/** The login box (its element loads in a chunk of its own, see login-define.ts). */
function loginTemplate(v: LoginView) {
  return html`<parley-login
    part="login"
    exportparts=${LOGIN_PARTS}
    ?inline=${v.inline}
    ?open=${v.showLogin}
    ?busy=${v.loginBusy}
    error=${v.loginError?.message ?? ''}
    reason=${v.loginError?.reason ?? ''}
    greeting=${v.greeting ?? ''}
    @parley-login-submit=${(e: CustomEvent<Credentials>) => v.onCredentials('login', e)}
    @parley-register-submit=${(e: CustomEvent<Credentials>) => v.onCredentials('register', e)}
  ></parley-login>`;
}

/** The parts of the chat's layout, top to bottom. */
export interface FrameParts {
  header: unknown;
  banners: unknown;
  /** A help desk's line (its greeting, who is online; an inbox's state), or nothing. */
  desk?: unknown;
  body: unknown;
  /** The typing line, and the message box (nothing before the chat's core is here). */
  typing: unknown;
  composer: unknown;
}

/**
 * The chat's layout, one frame holding it so it is the chat's own whatever the page sets on
 * the element (a site's `parley-chat { display: block }` must not collapse it). The same
 * template before and after the core arrives, so nothing already drawn is drawn again.
 */
export function chatFrame(p: FrameParts) {
  return html`<div class="frame">
    ${p.header} ${p.banners} ${p.desk ?? nothing} ${p.body} ${p.typing} ${p.composer}
  </div>`;
}
