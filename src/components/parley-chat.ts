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
import { announce, VIEW_EVENTS, type Credentials } from './events.js';
import { chatStyles } from './parley-chat.styles.js';
import { base } from './theme.styles.js';

const CONNECTION_TEXT = {
  idle: ['connecting', 'Connecting…'],
  connecting: ['connecting', 'Connecting…'],
  open: ['connected', 'Connected'],
  offline: ['offline', 'Offline'],
  closed: ['offline', 'Offline'],
} as const;

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
 * @fires parley-signed-in - Someone logged in (`detail`: userId, name).
 * @fires parley-logout - The visitor logged out.
 * @csspart unread - The "3 new" badge shown while messages arrive unseen.
 * @csspart header - The top bar.
 * @cssproperty --parley-accent - Accent colour (buttons, brand).
 * @cssproperty --parley-bg - Background.
 * @cssproperty --parley-fg - Text colour.
 * @cssproperty --parley-font - Font family.
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
  /** IndexedDB database name (tests and multiple instances use their own). */
  @property({ attribute: 'db-name' }) dbName: string | undefined;
  /** How many recent messages a newcomer asks the room for. */
  @property({ type: Number, attribute: 'history-limit' }) historyLimit = 500;
  /** Replaces the built-in transport registry (tests inject in-page transports). */
  @property({ attribute: false }) transportFactory: TransportFactory | undefined;
  /** Put the unread count in the page's title ("(3) Parley") — for a page that is mostly chat. */
  @property({ type: Boolean, attribute: 'title-unread' }) titleUnread = false;

  @state() private settingsOpen = false;

  private readonly session = new SessionController(this, { dbName: () => this.dbName });
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
      if (user && profile) announce(this, 'parley-signed-in', { userId: user, name: profile.name });
      else if (r.user) announce(this, 'parley-logout', {});
      r.user = user;
    }
    const status = {
      state: this.link.state,
      transport: this.link.kind,
      room: this.chat.room,
      members: this.link.state === 'open' ? this.link.roster.length : 0,
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
    const [connClass, connText] = CONNECTION_TEXT[this.link.state];
    const offline = loggedIn && connClass === 'offline';
    return html`
      <header part="header">
        <span class="brand">Parley</span>
        <h1><span class="hash">#</span>${this.chat.room}</h1>
        ${
          this.attention.unread
            ? html`<span class="unread" part="unread" role="status"
                >${this.attention.unread} new</span
              >`
            : ''
        }
        ${
          this.room === undefined
            ? html`<form class="room" @submit=${this.changeRoom}>
                <input name="room" aria-label="Room" placeholder="Other room" maxlength="64" />
                <button type="submit">Join</button>
              </form>`
            : ''
        }
        <span class="spacer"></span>
        ${
          loggedIn
            ? html`<span class="conn ${connClass}" role="status" title=${this.link.error ?? ''}>
                  <span class="dot"></span
                  >${connText}${this.link.switching ? ' · switching…' : ''}${
                    connClass === 'connected' ? ` · ${this.link.roster.length} here` : ''
                  }
                </span>
                <span class="user">${profile.name}</span>
                ${
                  this.attention.canAskToNotify
                    ? html`<button
                        title="Show a notification for new messages while this page is hidden"
                        @click=${() => void this.attention.askToNotify()}
                      >
                        Notify me
                      </button>`
                    : ''
                }
                <button @click=${() => (this.settingsOpen = true)}>Settings</button>
                <button @click=${() => this.session.logout()}>Log out</button>`
            : ''
        }
      </header>
      ${
        loggedIn && this.link.notice
          ? html`<div class="banner info" role="status">${this.link.notice}.</div>`
          : ''
      }
      ${
        offline
          ? html`<div class="banner" role="alert">
              ${this.link.error ?? 'Not connected.'} Messages you send are kept and go out when the
              connection returns.
            </div>`
          : ''
      }
      ${this.chat.error ? html`<div class="banner" role="alert">${this.chat.error}</div>` : ''}
      <div class="body">
        <parley-messages
          .messages=${this.chat.messages}
          .self=${profile?.id ?? ''}
          ?more=${this.chat.hasOlder}
          @parley-load-older=${() => void this.chat.loadOlder()}
          @parley-retry=${(e: CustomEvent<{ id: string }>) => this.chat.retry(e.detail.id)}
        ></parley-messages>
        ${loggedIn ? html`<parley-roster .members=${this.link.roster}></parley-roster>` : ''}
      </div>
      <p class="typing" aria-live="polite">${typingLine(this.presence.typing)}</p>
      <parley-composer
        placeholder="Message #${this.chat.room}"
        ?disabled=${!loggedIn}
        @parley-send=${this.send}
        @parley-typing=${(e: CustomEvent<{ typing: boolean }>) =>
          this.presence.setTyping(e.detail.typing)}
      ></parley-composer>
      <parley-settings
        ?open=${this.settingsOpen && loggedIn}
        .settings=${this.effective}
        notice=${this.link.notice ?? this.prefs.error ?? ''}
        @parley-settings-save=${this.saveSettings}
        @parley-settings-close=${() => (this.settingsOpen = false)}
      ></parley-settings>
      <parley-login
        ?open=${status === SessionStatus.anonymous || status === SessionStatus.busy}
        ?busy=${status === SessionStatus.busy}
        error=${error?.message ?? ''}
        @parley-login=${(e: CustomEvent<Credentials>) =>
          this.session.login(e.detail.name, e.detail.password)}
        @parley-register=${(e: CustomEvent<Credentials>) =>
          this.session.register(e.detail.name, e.detail.password)}
      ></parley-login>
    `;
  }
}
