/**
 * What `<parley-chat>` is once someone can be in a room: the settings, the link, presence, the
 * room and the room list, the message box's modes, Search, Settings and Connection details,
 * files — wired to one another and laid out. A chunk of its own: the login box needs none of
 * it, so it loads while the visitor types their name (or at once for a returning one, see
 * load-order.ts), and the element (parley-chat.ts) renders only its header and login until then.
 * A view helper: it renders the controllers' state and forwards intent; the I/O is theirs.
 */
import { html, nothing, type ReactiveController } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { RoomController } from '../../controllers/room/room-controller.js';
import { SessionStatus } from '../../controllers/session/session-controller.js';
import { SettingsController } from '../../controllers/settings/settings-controller.js';
import { PresenceController } from '../../controllers/presence/presence-controller.js';
import type { ParleySettings } from '../../controllers/settings/settings.js';
import type { FileActions } from '../../controllers/files/file-state.js';
import { TransportController } from '../../controllers/connection/transport-controller.js';
import { banners } from './chat-banner-door.js';
import { chatBody, chatFrame, loadMessages, loadRoster, typingLine } from './chat-body.js';
import {
  effectiveSettings,
  historyKept,
  linkOptions,
  usableHistoryMax,
  watchLink,
} from './chat-effective.js';
import { SettingsDoor, SettingsSlots } from './chat-settings.js';
import { ConnectionDoor } from '../connection/connection-door.js';
import { chatHeader } from './chat-header.js';
import { ChatRooms } from './chat-rooms.js';
import { announce } from '../shared/events.js';
import { COMPOSER_PARTS } from '../composer/composer-parts.js';
import { ChatCompose } from './chat-compose.js';
import { SearchDoor } from './search-door.js';
import { loadAfterSettled, roomSettled } from '../../internal/load-order.js';
import type { ChatShell, ShellParts } from './chat-shell.js';
import type { PageState } from './page-reports.js';
import type { ChatDesk } from './chat-desk.js';

/** The controllers and view helpers of one chat, made when its chunk arrives. */
export class ChatCore {
  prefs!: SettingsController;
  link!: TransportController;
  presence!: PresenceController;
  chat!: RoomController;
  roomList!: ChatRooms;
  /** What the message box writes: a message, a reply, or an edit of ours. */
  private composing!: ChatCompose;
  /** The "Search" panel: loaded when first opened. */
  private searchDoor!: SearchDoor;
  private settingsSlots!: SettingsSlots;
  private settingsDoor!: SettingsDoor;
  private connectionDoor!: ConnectionDoor;
  /** Sending, fetching and serving files (see chat-files.ts), once its chunk is loaded. */
  private files: FileActions | undefined;
  /** The link's configuration last applied, so a change moves the room to a new link. */
  private linked = '';
  /** The help desk (see chat-desk.ts), once its chunk is here; only a desk's chat loads it. */
  private desk: ChatDesk | undefined;
  private deskLoading: Promise<void> | undefined;

  constructor(
    readonly host: ChatShell,
    readonly shell: ShellParts,
  ) {
    // The element is connected by now, and Lit starts a controller the moment it is added — in
    // its constructor, before the rest of it is made. So each is added once all are made.
    const made: ReactiveController[] = [];
    host.addController = (c) => void made.push(c);
    try {
      this.make();
    } finally {
      delete (host as Partial<ChatShell>).addController;
    }
    for (const c of made) host.addController(c);
    // The message list's element (in the room's chunk with this one, see vite.lib.config.ts):
    // registered when the first core is made. The member list waits until the room is live:
    // the header counts the members meanwhile, and chat-body.ts holds its place.
    void loadMessages();
    void loadAfterSettled(loadRoster);
    this.loadDesk();
    // Files (and dropping them on the chat) wait until the room is live: a visitor may never
    // send or fetch one (a file row that shows earlier draws itself once they are here).
    void loadAfterSettled(() => import('./chat-files.js')).then((m) => {
      this.files = m.filesFor(host, this.link, this.chat);
      host.requestUpdate();
    });
  }

  /** A help desk's chat loads its part (its controllers and line) once; others never do. */
  private loadDesk(): void {
    if (!this.host.desk() || this.deskLoading) return;
    this.deskLoading = import('./chat-desk.js').then((m) => {
      this.desk = m.deskFor(this);
      this.host.requestUpdate();
    });
  }

  /** The room the page fixes — or, for a help desk's visitor, her conversation (once known). */
  private fixed(): string | undefined {
    return this.desk ? this.desk.fixed() : this.host.desk() ? undefined : this.host.room;
  }

  /** Whether the room is not the person's to choose (a fixed room, a visitor's conversation). */
  private fixedHere(): boolean {
    return this.host.room !== undefined || this.host.desk()?.role === 'visitor';
  }

  /** Whether the room on screen can take a message now (a visitor's only once it is hers). */
  inRoom(): boolean {
    const room = this.prefs.loaded && this.chat.room;
    return !!room && (this.desk ? this.desk.takes(room) : !this.host.desk());
  }

  /** The controllers and helpers, each told of the others (see the constructor). */
  private make(): void {
    const { host, shell } = this;
    const { session, focusing, panels, attention } = shell;
    this.prefs = new SettingsController(host, {
      session,
      apply: () => {},
      // "Only people I have verified": what this account marked verified in its contacts.
      verified: (hello) => this.presence.contacts?.isVerified(hello.userId) ?? false,
    });
    this.link = new TransportController(host, {
      kind: () => (host.transport === 'memory' ? 'memory' : this.effective.transport),
      options: () => linkOptions(this.effective, this.prefs),
      factory: () => host.transportFactory,
    });
    this.presence = new PresenceController(host, {
      session,
      transport: this.link,
      room: () => this.chat.room,
      // Safety codes, namesakes and look-alikes mark authors once looked up (never at once:
      // each is an IndexedDB read), so the chunk can wait until the room is in.
      later: loadAfterSettled,
    });
    this.chat = new RoomController(host, {
      session,
      transport: this.link,
      presence: this.presence,
      // A help desk's visitor is in her own conversation, whatever the page says.
      fixedRoom: () => this.fixed(),
      ready: () => this.prefs.loaded && (this.desk ? this.desk.ready : !host.desk()),
      historyLimit: () => host.historyLimit,
      historyMax: () => historyKept(this.prefs, host),
      onMessages: (reports) => {
        this.desk?.sent(reports);
        attention.noticed(reports);
        for (const message of reports) announce(host, 'parley-message', message);
      },
      onStored: (room) => this.roomList.noticed(room),
      later: loadAfterSettled,
    });
    this.roomList = new ChatRooms(host, {
      session,
      chat: this.chat,
      shown: () => shell.signedIn() && !this.fixedHere() && host.rooms !== 'none',
      fixed: () => this.fixedHere(),
      inbox: () => this.desk?.conversations,
      seen: () => document.visibilityState === 'visible' && (!host.launcher || host.launcherOpen),
      drawer: { isOpen: () => panels.isOpen('rooms'), close: () => panels.close() },
      chosen: () => focusing.toComposer(),
      watch: () => watchLink(this.prefs, host),
    });
    this.composing = new ChatCompose(
      host,
      () => this.chat,
      () => focusing.toComposer(),
    );
    this.searchDoor = new SearchDoor(host, {
      source: () => {
        const { profile, db } = session;
        return profile && db ? { db, owner: profile.id } : undefined;
      },
      // "All rooms" is offered always: a fixed room's account may have others in this browser.
      room: () => ({ room: this.chat.room, title: this.roomList.title, rooms: true }),
      titleOf: (room) => this.chat.titleOf(room) ?? room,
      show: (id, room) => void this.chat.jumpTo(id, room),
    });
    this.settingsSlots = new SettingsSlots(
      host,
      this.chat,
      this.presence,
      () => this.roomList.title,
      session,
    );
    this.settingsDoor = new SettingsDoor(host, this.prefs, () => focusing.toSettingsButton());
    this.connectionDoor = new ConnectionDoor(host, {
      link: this.link,
      refused: () => this.chat.refused,
      iceServers: () => this.effective.iceServers,
    });
  }

  /** The settings in force (see chat-effective.ts). */
  private get effective(): ParleySettings {
    return effectiveSettings(this.prefs, this.host);
  }

  /** After each update: a changed configuration moves the room to a new link. */
  updated(): void {
    this.loadDesk();
    if (this.prefs.loaded) {
      // Settings saved, or an attribute changed: move the room to the new link.
      const { historyMax: _, ...linked } = this.effective;
      const link = JSON.stringify([this.host.transport, linked]);
      if (this.linked && link !== this.linked)
        void this.link.switchTransport(this.settingsDoor.takeForced());
      this.linked = link;
    }
    // In the room once linked — or once linking has failed: an offline visitor still attaches.
    const { state } = this.link;
    if (this.shell.signedIn() && this.chat.room && state !== 'idle' && state !== 'connecting')
      roomSettled();
    // An inbox with nothing open yet is as settled as it gets: Settings and the rest may load.
    else if (this.shell.signedIn() && this.desk?.settled) roomSettled();
  }

  /** What the page is told: the link, and the problem shown (the session's when no other). */
  report(): Pick<PageState, 'status' | 'error'> {
    const { session } = this.shell;
    return {
      status: {
        state: this.link.state,
        transport: this.link.kind,
        room: this.chat.room,
        members: this.link.live ? this.presence.roster.length : 0,
      },
      error: this.link.problem ?? this.chat.problem ?? session.problem ?? this.prefs.problem,
    };
  }

  /**
   * "New room" (the top bar's or the list's): a private room unless asked for a public one;
   * the room list keeps the title as typed.
   */
  async createRoom(e: CustomEvent<{ title: string; public: boolean }>): Promise<void> {
    const { title } = e.detail;
    this.shell.panels.close();
    // A public room is its name: moved to at once, so the list learns the title typed with it.
    const room = e.detail.public
      ? this.chat.setRoom(title)
      : await this.chat.createRoom(title, { public: false });
    if (!room) return;
    this.roomList.typedTitle(room, title.replace(/^#+/, '').trim());
    this.shell.focusing.toComposer(); // the next thing to do is to write
  }

  private openSettings(): void {
    this.shell.panels.close();
    this.settingsDoor.show();
  }

  /** The chat's layout: header, notices, body, typing line, message box. */
  render() {
    const { host, shell } = this;
    const { session, panels, attention } = shell;
    const { status, profile, error } = session;
    const roomList = this.roomList.render();
    const mode = this.composing.current();
    const loggedIn = shell.signedIn();
    const inline = host.login !== 'modal';
    const showLogin = shell.showLogin();
    const settingsShown = this.settingsDoor.open && loggedIn;
    // A site's display name that cannot be used has no popup to show in: say it here.
    const siteError = session.bySite ? error?.message : undefined;
    // A help desk names its rooms its own way, and an inbox may have none on screen.
    const { idle, title, plain, state } = this.desk?.frame(this.roomList.title) ?? {
      idle: !!host.desk(),
      title: this.roomList.title,
    };
    return chatFrame({
      header: chatHeader({
        room: idle ? '' : title,
        plain,
        roomsList: roomList !== nothing,
        roomsOpen: panels.isOpen('rooms'),
        roomChoice: host.room === undefined && !host.desk(),
        encrypted: this.chat.encrypted,
        unread: attention.unread,
        user: loggedIn ? profile?.name : undefined,
        connection: state ?? this.link.state,
        transport: state ? 'socketio' : this.link.kind,
        switching: this.link.switching,
        members: this.presence.roster.length,
        linkError: this.link.error,
        canNotify: attention.canNotify,
        // A guest without a password has nothing to log out of: her next question continues it.
        canLogout: !session.bySite && !session.profile?.guest,
        menuOpen: panels.isOpen('menu'),
        membersOpen: panels.isOpen('members'),
        onNotify: () => {
          panels.close();
          attention.askToNotify();
        },
        onSettings: () => this.openSettings(),
        onDetails: () => {
          panels.close();
          this.connectionDoor.show();
        },
        onLogout: () => {
          panels.close();
          session.logout();
        },
        onMenu: () => panels.toggle('menu'),
        onMembers: () => panels.toggle('members'),
        onRooms: () => panels.toggle('rooms'),
        searchOpen: this.searchDoor.open,
        onSearch: () => {
          panels.close();
          if (this.searchDoor.open) this.searchDoor.close();
          else this.searchDoor.show();
        },
      }),
      banners: banners({
        loggedIn,
        connection: this.link.state,
        servers: this.link.servers,
        notice: this.link.notice,
        deviceOffline: !navigator.onLine,
        locked: this.chat.locked,
        mismatch: this.chat.keyMismatch,
        errors: [this.chat.error, siteError],
        onSettings: () => this.openSettings(),
        host,
      }),
      desk: this.desk?.render() ?? nothing,
      body: chatBody({
        inline,
        showLogin,
        loginBusy: status === SessionStatus.busy,
        loginError: error,
        greeting: host.greeting,
        onCredentials: (kind, e) => shell.credentials(kind, e),
        room: {
          chat: this.chat,
          presence: this.presence,
          prefs: this.prefs,
          self: profile?.identity?.id ?? '',
          loggedIn,
          settingsShown,
          settings: this.effective,
          historyFixed: usableHistoryMax(host.historyMax),
          notice: this.link.notice,
          membersOpen: panels.isOpen('members'),
          roomTitle: title,
          sharedBefore: this.roomList.newSince,
          roomList,
          settingsSlots: html`${this.settingsSlots.render(idle)}${shell.guestSettings()}`,
          files: this.files,
          connection: loggedIn ? this.connectionDoor.render(inline) : nothing,
          connectionShown: loggedIn && this.connectionDoor.open,
          onConnectionOpen: () => this.connectionDoor.show(),
          onSaveSettings: (e) => void this.settingsDoor.save(e),
          onCloseSettings: () => this.settingsDoor.close(),
          onCompose: this.composing.compose,
          search: loggedIn ? this.searchDoor.render() : nothing,
          idle: idle ? this.desk?.renderIdle() : undefined,
        },
      }),
      typing: html`<p
        class="typing"
        part="typing"
        aria-live="polite"
        ?hidden=${(inline && showLogin) || idle}
      >
        ${typingLine(this.presence.typing)}
      </p>`,
      composer: keyed(
        profile?.id ?? '',
        html`<parley-composer
          part="composer"
          exportparts=${COMPOSER_PARTS}
          ?hidden=${(inline && showLogin) || idle}
          placeholder="Message ${plain ? '' : '#'}${title}"
          room=${this.chat.room}
          .draft=${this.roomList.draft}
          ?disabled=${!loggedIn}
          .files=${this.files}
          .replying=${mode.replying}
          .editing=${mode.editing}
          @parley-send=${this.composing.send}
          @parley-compose-end=${this.composing.end}
          @parley-edit-last=${() => this.composing.editLast(profile?.identity?.id ?? '')}
          @parley-draft=${(e: CustomEvent<{ room: string; text: string }>) =>
            this.roomList.setDraft(e.detail.room, e.detail.text)}
          @parley-typing=${(e: CustomEvent<{ typing: boolean }>) =>
            this.presence.setTyping(e.detail.typing)}
        ></parley-composer>`,
      ),
    });
  }
}
