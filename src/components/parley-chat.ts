/**
 * The whole chat in one element: wires the session, settings, transport and room controllers
 * and lays out the header, message list, roster, composer, login popup and settings panel.
 * It renders state and forwards user intent to the controllers; it does no I/O of its own.
 */
import { html, LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { AttentionController } from '../controllers/attention-controller.js';
import { RoomController } from '../controllers/room-controller.js';
import { SessionController, SessionStatus } from '../controllers/session-controller.js';
import { SettingsController } from '../controllers/settings-controller.js';
import { PresenceController } from '../controllers/presence-controller.js';
import {
  iceServersFrom,
  isUserTransport,
  serverList,
  type ParleySettings,
} from '../controllers/settings.js';
import {
  TransportController,
  type TransportFactory,
  type TransportKind,
} from '../controllers/transport-controller.js';
import { chatHeader, isOffline } from './chat-header.js';
import { announce, VIEW_EVENTS, type Credentials } from './events.js';
import { chatStyles } from './parley-chat.styles.js';
import { COMPOSER_PARTS } from './parley-composer.js';
import { LOGIN_PARTS } from './parley-login.js';
import { MESSAGES_PARTS } from './parley-messages.js';
import { ROSTER_PARTS } from './parley-roster.js';
import { SETTINGS_PARTS } from './parley-settings.js';
import { base } from './theme.styles.js';

/** "Ann is typing…", "Ann and Ben are typing…", "3 people are typing…", or nothing. */
function typingLine(names: string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

/**
 * @summary A complete chat: login, rooms, messages, composer.
 * @fires parley-message - A message arrived or was sent (`detail`: id, room, from, ts, text, direction).
 * @fires parley-status - The connection changed (`detail`: state, transport, room, members).
 * @fires parley-error - The visitor is shown a problem (`detail.message`).
 * @fires parley-login - Someone logged in (`detail`: userId, name).
 * @fires parley-logout - The visitor logged out.
 * @csspart header - The top bar (`role="none"`: it is not the page's banner).
 * @csspart brand - The "Parley" name in the top bar.
 * @csspart room-title - The room's name heading.
 * @csspart unread - The "3 new" badge shown while messages arrive unseen.
 * @csspart room-form - The "Other room" form (absent when the `room` attribute fixes the room).
 * @csspart room-input - Its text field.
 * @csspart connection - The connection state; also `connection-connected`, `connection-connecting` or `connection-offline`.
 * @csspart user - The logged-in visitor's name.
 * @csspart button - Every button, the inner elements' too.
 * @csspart join-button - "Join" (room form).
 * @csspart notify-button - "Notify me".
 * @csspart settings-button - "Settings".
 * @csspart logout-button - "Log out".
 * @csspart banner - Each notice under the top bar; also `notice`, `offline` or `error`.
 * @csspart body - The area holding the messages and the member list.
 * @csspart messages - The message list element; its own parts (`message`, `own`, `author`, `time`, `text`, `status`, `day`, `retry`, `load-older`, `empty`, `list`) are forwarded.
 * @csspart roster - The member list element; forwards `heading`, `members`, `member`, `self`, `name`, `badge`, `alone`.
 * @csspart typing - The "Ann is typing…" line.
 * @csspart composer - The message box element; forwards `form`, `textarea`, `primary`, `send`, `meta`, `note`.
 * @csspart settings - The settings panel element; forwards `dialog`, `settings-dialog`, `title`, `notice`, `error`, `label`, `input`, `radio`, `hint`, `primary`, `save`, `cancel`.
 * @csspart login - The login popup element; forwards `dialog`, `login-dialog`, `title`, `label`, `input`, `hint`, `error`, `primary`, `login-button`, `register-button`.
 * @cssproperty --parley-accent - Primary buttons, the brand, the chosen transport, focus ring.
 * @cssproperty --parley-accent-fg - Text on the accent colour.
 * @cssproperty --parley-bg - Background of the chat, dialogs, messages and fields.
 * @cssproperty --parley-fg - Text.
 * @cssproperty --parley-muted - Secondary text: times, hints, counters.
 * @cssproperty --parley-surface - Background behind the messages; notices, badges.
 * @cssproperty --parley-own-bg - Background of the visitor's own messages.
 * @cssproperty --parley-line - Dividers and card borders.
 * @cssproperty --parley-field-border - Borders of fields and buttons (keep 3:1 against the background).
 * @cssproperty --parley-danger - Errors, "queued", "not delivered", the offline dot.
 * @cssproperty --parley-ok - "Delivered", the connected dot, the "direct" badge.
 * @cssproperty --parley-warn - The connecting dot.
 * @cssproperty --parley-focus - The focus ring (default: the accent).
 * @cssproperty --parley-font - Font family.
 * @cssproperty --parley-radius - Corners of messages and cards (dialogs use 1.6×); default 10px.
 * @cssproperty --parley-control-radius - Corners of buttons and fields; default 8px.
 * @cssproperty --parley-spacing - Base spacing unit: padding of bars, lists, dialogs; default 1rem.
 * @cssproperty --parley-border - Border around the whole chat (default none).
 */
export class ParleyChat extends LitElement {
  static override styles = [base, chatStyles];

  /** A fixed room; when unset, the page address (`#room=name`) picks it. Changeable live. */
  @property() room: string | undefined;
  /**
   * Relay server origin, or several separated by spaces or commas (tried in order, the next
   * one when a server dies); defaults to the page's origin.
   */
  @property() server: string | undefined;
  /**
   * Transport: `socketio`, `webrtc` or `broadcast` (tests may name `memory`). Like `server` and
   * `ice-servers`, it applies until the visitor saves their own Settings.
   */
  @property() transport: TransportKind = 'socketio';
  /** STUN/TURN servers: space-separated URLs, or a JSON array of `{urls, username, credential}`. */
  @property({ attribute: 'ice-servers' }) iceServers: string | undefined;
  /** Colour scheme: `light`, `dark`, or `auto` (follows the visitor's system setting). */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'auto';
  /**
   * IndexedDB database holding accounts, settings and history (default `parley`). Chats sharing
   * one log in and out together; give a chat its own to keep it apart.
   */
  @property({ attribute: 'db-name' }) dbName: string | undefined;
  /** How many recent messages a newcomer asks the room for. */
  @property({ type: Number, attribute: 'history-limit' }) historyLimit = 500;
  /** Replaces the built-in transport registry: a custom transport, or in-page ones for tests. */
  @property({ attribute: false }) transportFactory: TransportFactory | undefined;
  /**
   * The name of a visitor your site has signed in: Parley uses it (one identity per name on
   * this browser, no password) instead of its login popup, and hides "Log out". Changing or
   * removing it takes effect at once; removed, the visitor's own Parley login applies again.
   */
  @property({ attribute: 'display-name' }) displayName: string | undefined;
  /** Put the unread count in the page's title ("(3) Parley") — for a page that is mostly chat. */
  @property({ type: Boolean, attribute: 'title-unread' }) titleUnread = false;

  @state() private settingsOpen = false;

  private readonly session = new SessionController(this, {
    dbName: () => this.dbName,
    siteName: () => this.displayName,
  });
  private readonly prefs = new SettingsController(this, { session: this.session, apply: () => {} });
  private readonly link = new TransportController(this, {
    kind: () => (this.transport === 'memory' ? 'memory' : this.effective.transport),
    options: () => ({
      url: serverList(this.effective.server),
      iceServers: this.effective.iceServers,
    }),
    factory: () => this.transportFactory,
  });
  private readonly chat = new RoomController(this, {
    session: this.session,
    transport: this.link,
    fixedRoom: () => this.room,
    ready: () => this.prefs.loaded,
    historyLimit: () => this.historyLimit,
    onMessages: (reports) => {
      this.attention.noticed(reports);
      for (const message of reports) announce(this, 'parley-message', message);
    },
  });
  private readonly attention = new AttentionController(this, { title: () => this.titleUnread });
  private readonly presence = new PresenceController(this, {
    session: this.session,
    transport: this.link,
    room: () => this.chat.room,
  });
  /** What was last reported to the page, so each change is announced once. */
  private reported = { link: '', status: '', error: '', user: '' };

  /**
   * The settings in force: the visitor's own once they saved any; until then the embedding
   * page's attributes over the defaults.
   */
  private get effective(): ParleySettings {
    const saved = this.prefs.settings;
    if (this.prefs.customized) return saved;
    return {
      transport: isUserTransport(this.transport) ? this.transport : saved.transport,
      server: this.server ?? saved.server,
      iceServers: iceServersFrom(this.iceServers) ?? saved.iceServers,
    };
  }

  protected override createRenderRoot() {
    const root = super.createRenderRoot();
    // The views talk to this element with events; the page hears only the element's own.
    for (const type of VIEW_EVENTS) root.addEventListener(type, (e) => e.stopPropagation());
    return root;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.prefs.loaded) {
      // Settings saved, or an attribute changed: move the room to the new link.
      const link = JSON.stringify([this.transport, this.effective]);
      if (this.reported.link && link !== this.reported.link) void this.link.switchTransport();
      this.reported.link = link;
    }
    this.reportToPage();
  }

  private reportToPage(): void {
    const r = this.reported;
    const { profile } = this.session;
    const user = this.session.status === SessionStatus.authenticated && profile ? profile.id : '';
    if (user !== r.user) {
      if (user && profile) announce(this, 'parley-login', { userId: user, name: profile.name });
      else if (r.user) announce(this, 'parley-logout', {});
      r.user = user;
    }
    const status = {
      state: this.link.state,
      transport: this.link.kind,
      room: this.chat.room,
      members: this.link.live ? this.link.roster.length : 0,
    };
    const key = JSON.stringify(status);
    if (key !== r.status) {
      r.status = key;
      announce(this, 'parley-status', status);
    }
    const error =
      this.link.error ?? this.chat.error ?? this.session.error?.message ?? this.prefs.error ?? '';
    if (error !== r.error) {
      r.error = error;
      if (error) announce(this, 'parley-error', { message: error });
    }
  }

  private changeRoom(e: SubmitEvent): void {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('room') as HTMLInputElement;
    if (this.chat.setRoom(input.value)) input.value = '';
  }

  private async saveSettings(e: CustomEvent<{ settings: ParleySettings }>): Promise<void> {
    if (await this.prefs.save(e.detail.settings)) this.settingsOpen = false;
  }

  private send(e: CustomEvent<{ text: string }>): void {
    if (!this.chat.send(e.detail.text)) e.preventDefault();
  }

  override render() {
    const { status, profile, error } = this.session;
    const loggedIn = status === SessionStatus.authenticated && profile !== undefined;
    const offline = loggedIn && isOffline(this.link.state);
    // A site's display name that cannot be used has no popup to show in: say it here.
    const siteError = this.session.bySite ? error?.message : undefined;
    return html`
      ${chatHeader({
        room: this.chat.room,
        roomChoice: this.room === undefined,
        unread: this.attention.unread,
        user: loggedIn ? profile.name : undefined,
        connection: this.link.state,
        switching: this.link.switching,
        members: this.link.roster.length,
        linkError: this.link.error,
        canNotify: this.attention.canAskToNotify,
        canLogout: !this.session.bySite,
        onRoom: (e) => this.changeRoom(e),
        onNotify: () => void this.attention.askToNotify(),
        onSettings: () => (this.settingsOpen = true),
        onLogout: () => this.session.logout(),
      })}
      ${
        loggedIn && this.link.notice
          ? html`<div class="banner info" part="banner notice" role="status">
              ${this.link.notice}.
            </div>`
          : ''
      }
      ${
        loggedIn && this.link.state === 'direct'
          ? html`<div class="banner info" part="banner direct" role="status">
              The server is unreachable; people you are linked to directly can still read you,
              newcomers cannot join until it is back.
            </div>`
          : ''
      }
      ${
        offline
          ? html`<div class="banner" part="banner offline" role="alert">
              ${this.link.error ?? 'Not connected.'} Messages you send are kept and go out when the
              connection returns.
            </div>`
          : ''
      }
      ${[this.chat.error, siteError].map((message) =>
        message ? html`<div class="banner" part="banner error" role="alert">${message}</div>` : '',
      )}
      <div class="body" part="body">
        <parley-messages
          part="messages"
          exportparts=${MESSAGES_PARTS}
          .messages=${this.chat.messages}
          .self=${profile?.id ?? ''}
          ?more=${this.chat.hasOlder}
          @parley-load-older=${() => void this.chat.loadOlder()}
          @parley-retry=${(e: CustomEvent<{ id: string }>) => this.chat.retry(e.detail.id)}
        ></parley-messages>
        ${
          loggedIn
            ? html`<parley-roster
                part="roster"
                exportparts=${ROSTER_PARTS}
                .members=${this.link.roster}
              ></parley-roster>`
            : ''
        }
      </div>
      <p class="typing" part="typing" aria-live="polite">${typingLine(this.presence.typing)}</p>
      <parley-composer
        part="composer"
        exportparts=${COMPOSER_PARTS}
        placeholder="Message #${this.chat.room}"
        ?disabled=${!loggedIn}
        @parley-send=${this.send}
        @parley-typing=${(e: CustomEvent<{ typing: boolean }>) =>
          this.presence.setTyping(e.detail.typing)}
      ></parley-composer>
      <parley-settings
        part="settings"
        exportparts=${SETTINGS_PARTS}
        ?open=${this.settingsOpen && loggedIn}
        .settings=${this.effective}
        notice=${this.link.notice ?? this.prefs.error ?? ''}
        @parley-settings-save=${this.saveSettings}
        @parley-settings-close=${() => (this.settingsOpen = false)}
      ></parley-settings>
      <parley-login
        part="login"
        exportparts=${LOGIN_PARTS}
        ?open=${
          !this.session.bySite &&
          (status === SessionStatus.anonymous || status === SessionStatus.busy)
        }
        ?busy=${status === SessionStatus.busy}
        error=${error?.message ?? ''}
        @parley-login-submit=${(e: CustomEvent<Credentials>) =>
          this.session.login(e.detail.name, e.detail.password)}
        @parley-register-submit=${(e: CustomEvent<Credentials>) =>
          this.session.register(e.detail.name, e.detail.password)}
      ></parley-login>
    `;
  }
}
