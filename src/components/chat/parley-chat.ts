/**
 * `components/chat/` — the chat element: `<parley-chat>` and its parts (header, body, banners,
 * focus, the launcher, narrow panels, the Settings door, reports to the embedding page).
 *
 * The whole chat in one element. It starts with the session and the login box; the rest — the
 * settings, transport, presence and room controllers, the message list, roster, composer and
 * panels — is its core (chat-core.ts), a chunk loaded while the visitor types their name.
 * It renders state and forwards user intent to the controllers; it does no I/O of its own.
 */
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { SessionController, SessionStatus } from '../../controllers/session/session-controller.js';
import type {
  TransportFactory,
  TransportKind,
} from '../../controllers/connection/transport-controller.js';
import { ChatAttention } from './chat-attention.js';
import { banners } from './chat-banner-door.js';
import { chatBody, chatFrame } from './chat-body.js';
import { ChatFocus } from './chat-focus.js';
import { chatHeader } from './chat-header.js';
import { NarrowPanels } from './narrow-panels.js';
import { LauncherSlot } from './launcher-slot.js';
import { VIEW_EVENTS, type Credentials } from '../shared/events.js';
import { reportToPage, unreported } from './page-reports.js';
import { watchIntent } from './chat-intent.js';
import { chatStyles } from './parley-chat.styles.js';
import { GuestDoor, guestDoorStyles } from './guest-door.js';
import { base } from '../shared/theme.styles.js';
import { firstViewShown, loadAfterFirstView, loadAfterSettled } from '../../internal/load-order.js';
import type { Problem } from '../../controllers/shared/problem.js';
import type { ChatCore } from './chat-core.js';
import type { ShellParts } from './chat-shell.js';
import type { DeskRole } from './chat-desk.js';

/**
 * @summary A complete chat: login, rooms, messages, composer.
 * @fires parley-message - A message arrived or was sent (`detail`: id, room, from, ts, text,
 *   direction; for one that arrived also `encrypted`, `inClear` — not encrypted in a room we
 *   hold a key for — `otherKey` — opened with a key that is not the room's — and the author's
 *   `fingerprint`).
 * @fires parley-status - The connection changed (`detail`: state, transport, room, members).
 * @fires parley-error - The visitor is shown a problem (`detail`: message, code — e.g. `unreachable`, `name-taken`, `storage`; see `ParleyErrorDetail`).
 * @fires parley-login - Someone logged in (`detail`: userId, name).
 * @fires parley-logout - The visitor logged out.
 * @fires parley-launcher-toggle - The launcher's panel opened or closed (`detail`: `{ open }`), by the visitor or by `launcher-open`.
 * @csspart header - The top bar (`role="none"`: it is not the page's banner).
 * @csspart brand - The "Parley" name in the top bar.
 * @csspart room-title - The room's name heading.
 * @csspart unread - The "3 new" badge shown while messages arrive unseen.
 * @csspart room-form - The "New room" form of the top bar (absent when the `room` attribute fixes the room): a room's name, "Public room", "Create" (private) or "Join" (public).
 * @csspart room-input - Its text field.
 * @csspart room-public - Its "Public room" checkbox's label.
 * @csspart encrypted - The lock and "End-to-end encrypted" by the title of an encrypted room (the lock alone when narrow).
 * @csspart connection - The connection state; also `connection-connected`, `connection-tabs` (this browser's tabs only), `connection-direct` (the server is away, direct links carry on), `connection-connecting` or `connection-offline`.
 * @csspart user - The logged-in visitor's name.
 * @csspart button - Every button, the inner elements' too.
 * @csspart join-button - The room form's "Create" or "Join".
 * @csspart notify-button - "Notify me".
 * @csspart settings-button - "Settings".
 * @csspart connection-details-button - "Connection details", the small "i" by the connection state
 *   (in a narrow chat, an item of the menu instead).
 * @csspart connection-details - The Connection details panel; forwards `dialog`, `connection-dialog`, `title`, `section`, `member`, `facts`, `result`, `hint`, `button`, `stun-test`, `copy-report`, `close`.
 * @csspart logout-button - "Log out".
 * @csspart tools - The room form, the name and the buttons: in the top bar when wide, in the menu when narrow.
 * @csspart members-button - "Members (N)", shown in a narrow chat: opens the member list.
 * @csspart menu-button - "Menu", shown in a narrow chat: opens the tools.
 * @csspart banner - Each notice under the top bar; also `notice`, `direct`, `offline`, `locked` (messages no key of ours opens, or "This passphrase doesn't open Alice's messages") or `error`; with `support`, `desk-status`, the line holding `desk-greeting` and `desk-online` ("An agent is online now.") or `desk-away`.
 * @csspart inbox-empty - In an inbox with no conversation yet, what stands where one would be.
 * @csspart banner-settings - The "Settings" button in the notice that a server cannot be reached, or that messages are encrypted with a key we do not have.
 * @csspart rooms-button - "Rooms", shown in a narrow chat with a room list: opens it.
 * @csspart body - The area holding the room list, the messages and the member list.
 * @csspart rooms - The room list element (absent with `rooms="none"` or a fixed room); forwards `rooms-heading`, `room-list`, `room`, `room-current`, `room-button`, `room-item-title`, `room-unread`, `room-last`, `room-action`, `leave-dialog`, `rooms-empty`, `new-room` (the "New room" button), `new-room-form`; in an inbox also `room-waiting`, `room-email`, `room-fingerprint`.
 * @csspart messages - The message list element; its own parts (`message`, `own`, `author`, `time`, `text`, `status`, `day`, `line`, `flag`, `retry`, `load-older`, `empty`, `list`, `file`) are forwarded.
 * @csspart roster - The member list element; forwards `heading`, `members`, `member`, `self`, `name`, `badge`, `alone`, `fingerprint`, `unproven`, `verified`, `warning`, `safety`, `code`, `verify`.
 * @csspart room-lock - This room in Settings; forwards `room-lock`, `room-kind`, `room-lock-heading`, `room-lock-state`, `mismatch`, `passphrase`, `preview`, `room-key`, `button`, `invite-link`, `members`, `member`, `fingerprint`, `member-change`.
 * @csspart diagnostics - What was refused in this room, in Settings' Connection part.
 * @csspart identity-card - Our name and safety code in Settings; forwards `identity`, `identity-heading`, `name`, `fingerprint`, `code`, `hint`.
 * @csspart identity-port - "Export identity" / "Import identity" and "Help-desk key" in Settings; forwards `button`, `port-form`, `label`, `input`, `strength`, `file-identity`, `warning`, `hint`, `error`, `notice`, `agent-key`, `agent-key-text`.
 * @csspart typing - The "Ann is typing…" line.
 * @csspart composer - The message box element; forwards `form`, `textarea`, `primary`, `send`, `attach` (the "Attach file" button), `meta`, `note`.
 * @csspart settings - The settings panel element; forwards `dialog`, `settings-dialog`, `title`, `strip`, `strip-button`, `part-heading`, `notice`, `error`, `label`, `input`, `radio`, `hint`, `primary`, `save`, `cancel`, `advanced`, `checking`, `keep-server`, `save-anyway`.
 * @csspart guest-start - With `guest`, before her first message: the visitor's message box, in place of the login box.
 * @csspart guest-intro - With `guest`, the greeting over that box.
 * @csspart guest-profile - With `guest`, the line under the message box ("You appear as Visitor 4821 — give a name") that opens her name, email and "Protect with a password".
 * @csspart login - The login box element; forwards `dialog`, `login-dialog`, `title`, `label`, `input`, `hint`, `error`, `primary`, `login-button`, `register-button`, `create-button`.
 * @csspart launcher - The floating button of `launcher` mode.
 * @csspart launcher-badge - Its unread count.
 * @csspart panel - The panel the launcher opens (the chat's box in `launcher` mode).
 * @csspart panel-title - The panel's title (the launcher's label).
 * @csspart close-button - The panel's "Close chat" button.
 * @csspart drop - The frame shown over the chat while files are dragged over it ("Drop files to send them to #room").
 * @cssproperty --parley-accent - Primary buttons, the brand, the chosen transport, focus ring, the "via the server" icon, the "Tabs only" and "Direct" dots.
 * @cssproperty --parley-accent-fg - Text on the accent colour.
 * @cssproperty --parley-bg - Background of the chat, dialogs, messages and fields.
 * @cssproperty --parley-fg - Text.
 * @cssproperty --parley-muted - Secondary text: times, hints, counters.
 * @cssproperty --parley-surface - Background behind the messages; notices, badges.
 * @cssproperty --parley-own-bg - Background of the visitor's own messages.
 * @cssproperty --parley-line - Dividers and card borders.
 * @cssproperty --parley-field-border - Borders of fields and buttons (keep 3:1 against the background).
 * @cssproperty --parley-danger - Errors and "not delivered".
 * @cssproperty --parley-ok - "Delivered", the connected dot, the "directly" icon.
 * @cssproperty --parley-warn - The connecting dot.
 * @cssproperty --parley-focus - The focus ring (default: the accent).
 * @cssproperty --parley-font - Font family.
 * @cssproperty --parley-radius - Corners of messages and cards (dialogs use 1.6×); default 10px.
 * @cssproperty --parley-control-radius - Corners of buttons and fields; default 8px.
 * @cssproperty --parley-spacing - Base spacing unit: padding of bars, lists, dialogs; default 1rem.
 * @cssproperty --parley-border - Border around the whole chat (default none; a thin line around the launcher's panel).
 * @cssproperty --parley-launcher-size - Height (and least width) of the launcher button; default 56px.
 * @cssproperty --parley-launcher-offset - Gap between the launcher and the window's edges; default 20px.
 * @cssproperty --parley-panel-width - Width of the launcher's panel on a wider screen; default 380px (a phone's is full screen).
 * @cssproperty --parley-panel-height - Height of the launcher's panel on a wider screen; default 600px.
 * @cssproperty --parley-z-index - Stacking of the launcher and its panel over the page; default 1000.
 */
export class ParleyChat extends LitElement {
  static override styles = [base, chatStyles, guestDoorStyles];

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
  /**
   * Messages this browser keeps per room (default 50,000, or the visitor's Settings); older
   * ones are deleted in the background, never one still waiting to be delivered. Set, it wins
   * over Settings.
   */
  @property({ type: Number, attribute: 'history-max' }) historyMax: number | undefined;
  /** Replaces the built-in transport registry: a custom transport, or in-page ones for tests. */
  @property({ attribute: false }) transportFactory: TransportFactory | undefined;
  /**
   * The name of a visitor your site has signed in: Parley uses it (one identity per name on
   * this browser, no password) instead of its login popup, and hides "Log out". Changing or
   * removing it takes effect at once; removed, the visitor's own Parley login applies again.
   */
  @property({ attribute: 'display-name' }) displayName: string | undefined;
  /**
   * Guest visitors: no login box. A visitor writes and sends at once; her first message starts
   * an account in this browser (shown as "Visitor" and a short code, its identity key made as
   * for any account), and she is signed back in as it on her return (all guest chats of one
   * origin and database share it). She can give a name, and later protect the account with a
   * password. A remembered login, or `display-name`, wins over it.
   */
  @property({ type: Boolean, reflect: true }) guest = false;
  /** With `guest`: also ask the visitor for an email for a reply (optional; kept with her account). */
  @property({ type: Boolean, attribute: 'ask-email' }) askEmail = false;
  /**
   * The login box's heading, in the site's words (default "Welcome to Parley"); with `support`,
   * also the greeting over the visitor's conversation.
   */
  @property() greeting: string | undefined;
  /**
   * Help desk: the site's name (`shop`: 1–40 lower-case letters, digits or "-"). Each visitor
   * gets a private conversation of her own with the agents listed in `agents`, end-to-end
   * encrypted for her and them alone; it waits for them while nobody is there (the keeper holds
   * it sealed) and is there when she comes back. Usually with `guest`.
   */
  @property() support: string | undefined;
  /** With `support`: the agents' help-desk keys (each agent's Settings → You), separated by spaces. */
  @property() agents = '';
  /**
   * With `support`: what the visitor reads while no agent is online ("We usually answer within
   * a few hours"); a plain default otherwise.
   */
  @property() away: string | undefined;

  /**
   * The largest file, in bytes, a visitor may send (default 26,214,400: 25 MiB); a smaller cap
   * the server announces wins. A file over it is refused, in words, before anything is sent.
   */
  @property({ type: Number, attribute: 'max-file-size' }) maxFileSize: number | undefined;
  /** Put the unread count in the page's title ("(3) Parley") — for a page that is mostly chat. */
  @property({ type: Boolean, attribute: 'title-unread' }) titleUnread = false;

  /**
   * How the login and the settings show: `inline` (default) inside the element's own box, so
   * the page around it stays usable — right for a chat embedded in a site; `modal` as popups
   * over the whole page — for a page that is only the chat.
   */
  @property({ reflect: true }) login: 'inline' | 'modal' = 'inline';

  /**
   * Launcher mode: the element takes no room in the page; a floating button opens the chat as a
   * panel in the window's corner (the whole screen on a phone). Without it the chat is inline.
   */
  @property({ type: Boolean, reflect: true }) launcher = false;
  /**
   * The room list: `list` (default; a sidebar when wide, a drawer when narrow) or `none`.
   * A chat whose `room` attribute fixes the room shows no list.
   */
  @property() rooms: 'list' | 'none' = 'list';
  /** Whether the launcher's panel is open. Set it to open or close the panel from the page. */
  @property({ type: Boolean, reflect: true, attribute: 'launcher-open' }) launcherOpen = false;
  /** The launcher's words, its accessible name ("Chat, 3 unread" with unread messages) and the panel's title. */
  @property({ attribute: 'launcher-label' }) launcherLabel = 'Chat';
  /** Which corner the launcher sits in: `bottom-right` or `bottom-left`. */
  @property({ reflect: true, attribute: 'launcher-position' }) launcherPosition:
    'bottom-right' | 'bottom-left' = 'bottom-right';

  /** Narrow layout: the menu, the member list or the room list, folded away. */
  private readonly panels = new NarrowPanels(this);
  /** Where the focus goes after a login, a join or the settings (see chat-focus.ts). */
  private readonly focusing = new ChatFocus(this, () => this.login === 'modal');

  private readonly session = new SessionController(this, {
    dbName: () => this.dbName,
    siteName: () => this.displayName,
  });
  /** `guest`: the visitor's first message box, then her account's line (see guest-door.ts). */
  private readonly guestDoor = new GuestDoor(this, {
    session: this.session,
    enabled: () => this.guest && !this.session.bySite,
    askEmail: () => this.askEmail,
    greeting: () => this.greeting,
    send: (text) => (this.core?.inRoom() ? this.core.chat.send(text) : undefined),
    toComposer: () => this.focusing.toComposer(),
  });
  /** The unread count, title badge and notifications (a chunk loaded once the room is live). */
  private readonly attention = new ChatAttention(this, {
    title: () => this.titleUnread,
    shown: () => (this.launcher ? this.launcherOpen : undefined),
  });
  private readonly launcherView = new LauncherSlot(this);
  /** What the core needs of the element (see chat-shell.ts). */
  private readonly parts: ShellParts = {
    session: this.session,
    panels: this.panels,
    focusing: this.focusing,
    attention: this.attention,
    signedIn: () => this.signedIn,
    showLogin: () =>
      !this.session.bySite &&
      (!this.guest || this.guestDoor.loginShown) &&
      (this.session.status === SessionStatus.anonymous ||
        this.session.status === SessionStatus.busy),
    credentials: (kind, e) => this.credentials(kind, e),
    guestSettings: () => this.guestDoor.renderSettings(),
  };
  /** Resolved by the first update after the session has said who is here (see `sessionKnown`). */
  private decided!: () => void;
  private readonly sessionDecided = new Promise<void>((r) => (this.decided = r));
  /** Resolved once the core is wanted (see `coreWanted`). */
  private wantCore!: () => void;
  private readonly coreWanted = new Promise<void>((r) => (this.wantCore = r));
  /** Everything past the login box (see chat-core.ts), once its chunk is here. */
  private core: ChatCore | undefined;
  /** Why the core could not be loaded, if it could not. */
  private coreProblem: Problem | undefined;
  /** What was last reported to the page, so each change is announced once. */
  private reported = unreported();

  /** Which side of a help desk this chat is on: a visitor's (`support`), or none. */
  desk(): DeskRole | undefined {
    return this.support ? { site: this.support, role: 'visitor' } : undefined;
  }

  /** Someone is logged in. */
  private get signedIn(): boolean {
    return this.session.status === SessionStatus.authenticated && !!this.session.profile;
  }

  protected override createRenderRoot() {
    const root = super.createRenderRoot();
    // The views talk to this element with events; the page hears only the element's own.
    for (const type of VIEW_EVENTS) root.addEventListener(type, (e) => e.stopPropagation());
    root.addEventListener('keydown', (e) => this.keydown(e as KeyboardEvent));
    root.addEventListener(
      'parley-room-create',
      (e) => void this.core?.createRoom(e as CustomEvent),
    );
    // The narrow layout's menu folds away when the focus leaves the top bar.
    root.addEventListener('focusout', (e) => {
      const to = (e as FocusEvent).relatedTarget as Node | null;
      this.panels.focusMoved(to);
    });
    watchIntent(
      root,
      () => this.login !== 'modal',
      this.coreWanted,
      () => this.wantCore(),
    );
    return root;
  }

  /**
   * The core loads once the first view is up (the login box can be used, or a visitor is back)
   * and it is wanted: someone is (or is being) logged in, or the visitor turns to the chat;
   * the unread count once the room is live (see load-order.ts).
   */
  protected override firstUpdated(): void {
    void loadAfterSettled(async () => this.attention.load());
    // The core waits for the first view (the login box's code here, or a visitor back) and for
    // this chat's session to say who is here, then for a painted frame: a login box is drawn by
    // then, so the core is never fetched before the box can be used. A visitor who is not
    // logged in may never log in: their browser fetches and runs the core only once they turn
    // to the chat (see chat-intent.ts), while they type and their password is stretched.
    void loadAfterFirstView(() => this.sessionKnown())
      .then(() => this.coreWanted)
      .then(() => import('./chat-core.js'))
      .then(({ ChatCore }) => {
        if (this.core) return;
        this.core = new ChatCore(this, this.parts);
        this.requestUpdate();
      })
      .catch(() => {
        // The server went away between the first file and this one: say so, never hang.
        this.coreProblem = {
          code: 'load-failed',
          message:
            "Parley couldn't load the rest of the chat: the server did not answer. Reload the page to try again.",
        };
        this.requestUpdate();
      });
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const { profile } = this.session;
    const signedIn = this.session.status === SessionStatus.authenticated && profile !== undefined;
    this.focusing.settle(signedIn);
    if (signedIn) firstViewShown();
    // Someone is here or on the way (a returning visitor, a login under way, a site's visitor).
    if (signedIn || this.session.status === SessionStatus.busy) this.wantCore();
    if (this.session.status !== SessionStatus.loading) this.decided();
    this.core?.updated();
    const core = this.core?.report();
    reportToPage(this, this.reported, {
      user: signedIn ? { userId: profile.id, name: profile.name } : undefined,
      // The link is the core's: nothing is said of it before the core is here.
      status: core?.status,
      error: core ? core.error : (this.coreProblem ?? this.session.problem),
    });
  }

  /** Resolves once the session is no longer loading, and a frame after that is painted. */
  private async sessionKnown(): Promise<void> {
    await this.sessionDecided;
    await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted)));
  }

  private credentials(kind: 'login' | 'register', e: CustomEvent<Credentials>): void {
    this.focusing.toComposer(); // once logged in, the next thing to do is to write
    if (kind === 'login') this.session.login(e.detail.name, e.detail.password);
    else this.session.register(e.detail.name, e.detail.password);
  }

  /** Escape folds the narrow layout's menu or member list back, else closes the launcher. */
  private keydown(e: KeyboardEvent): void {
    if (e.key !== 'Escape' || !this.panels.escape()) this.launcherView.keydown(e);
  }

  override render() {
    // A guest not yet in has her own message box (the core's needs someone logged in).
    const frame = this.core && !this.guestDoor.waiting ? this.core.render() : this.renderLogin();
    const chat = html`${frame}${this.guestDoor.renderBar()}`;
    return this.launcher ? this.launcherView.render(chat, this.attention.unread) : chat;
  }

  /**
   * Before the core is here: the top bar and the login box (a returning visitor sees the bar
   * alone for the moment the core takes).
   */
  private renderLogin() {
    const { status, error } = this.session;
    const idle = () => {};
    return chatFrame({
      header: chatHeader({
        room: this.room ?? '', // a room the address picks is named once the core reads it
        roomsList: false,
        roomsOpen: false,
        roomChoice: false,
        encrypted: false,
        unread: 0,
        user: undefined,
        connection: 'idle',
        transport: this.transport,
        switching: false,
        members: 0,
        linkError: undefined,
        canNotify: false,
        canLogout: false,
        menuOpen: false,
        membersOpen: false,
        onNotify: idle,
        onSettings: idle,
        onDetails: idle,
        onLogout: idle,
        onMenu: idle,
        onMembers: idle,
        onRooms: idle,
        searchOpen: false,
        onSearch: idle,
      }),
      banners: banners({
        loggedIn: false,
        connection: 'idle',
        servers: [],
        notice: undefined,
        deviceOffline: !navigator.onLine,
        locked: 0,
        mismatch: undefined,
        errors: [this.coreProblem?.message, this.session.bySite ? error?.message : undefined],
        onSettings: idle,
        host: this,
      }),
      body: chatBody({
        inline: this.login !== 'modal',
        showLogin: this.parts.showLogin(),
        loginBusy: status === SessionStatus.busy,
        loginError: error,
        greeting: this.greeting,
        onCredentials: (kind, e) => this.credentials(kind, e),
        intro: this.guestDoor.renderIntro(),
      }),
      typing: nothing,
      composer: this.guestDoor.renderStart(),
    });
  }
}
