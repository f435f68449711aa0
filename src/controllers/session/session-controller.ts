/**
 * `controllers/session/` — who is logged in.
 *
 * Session controller: logs in, registers and logs out against the account model, in the
 * model's own words (`login` → `logsuc` | `logfail`). Restores a remembered session on start.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { AccountModel } from '../../store/account-model.js';
import { sameName, type LogFail, type Profile } from '../../store/accounts.js';
import { DEFAULT_DB_NAME, openParleyDb, type ParleyDb } from '../../store/db.js';
import type { Problem } from '../shared/problem.js';

/** Where the session stands. */
export const SessionStatus = {
  /** Looking for a remembered session. */
  loading: 'loading',
  /** Nobody logged in: the login popup shows. */
  anonymous: 'anonymous',
  /** A login or registration is being checked (hashing takes a moment). */
  busy: 'busy',
  authenticated: 'authenticated',
} as const;
/** One of {@link SessionStatus}. */
export type SessionStatus = (typeof SessionStatus)[keyof typeof SessionStatus];

/** Configuration, read when the host connects. */
export interface SessionConfig {
  /** IndexedDB database name (tests use a unique one). */
  dbName?: () => string | undefined;
  /**
   * A name the embedding site signed its visitor in with: while set, that identity is used
   * and the login popup never shows. Read on every update, so a change takes effect.
   */
  siteName?: () => string | undefined;
}

/** Owns the login state of the host element. */
export class SessionController implements ReactiveController {
  status: SessionStatus = SessionStatus.loading;
  /** The logged-in account. */
  profile: Profile | undefined;
  /** Why the last login or registration failed. */
  error: LogFail | undefined;
  /** The database, opened when the host first connects. */
  db: Promise<ParleyDb> | undefined;
  private model: AccountModel | undefined;
  private readonly unsubscribe: Array<() => void> = [];
  /**
   * Tells the other Parley elements on this database (in this page and other tabs) that we
   * logged in or out, so a visitor logs in once however many chats a page embeds.
   */
  private channel: BroadcastChannel | undefined;
  /** Whether the next session change was asked for here (and should be told to the others). */
  private asked = false;
  /** The site name last acted on (`undefined`: the visitor's own accounts). */
  private site: string | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: SessionConfig = {},
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (!this.model) {
      this.db = openParleyDb(this.config.dbName?.() ?? DEFAULT_DB_NAME);
      this.model = new AccountModel(this.db);
    }
    const model = this.model;
    const channel = new BroadcastChannel(
      `parley-session:${this.config.dbName?.() ?? DEFAULT_DB_NAME}`,
    );
    this.channel = channel;
    channel.onmessage = (e: MessageEvent<unknown>) => {
      if (this.site !== undefined) return; // the site decides who is signed in here
      if (e.data === 'login' && this.status !== SessionStatus.authenticated) model.emit('restore');
      // A guest renamed herself or added a password in another chat: read the account again.
      if (e.data === 'profile' && this.status === SessionStatus.authenticated)
        model.emit('restore');
      if (e.data === 'logout' && this.status === SessionStatus.authenticated)
        this.set(SessionStatus.anonymous, undefined, undefined);
    };
    this.unsubscribe.push(
      model.on('logsuc', (profile) => {
        if (this.stale(profile)) return;
        this.set(SessionStatus.authenticated, profile, undefined);
        this.tell('login');
      }),
      model.on('logfail', (fail) => {
        this.asked = false;
        this.set(SessionStatus.anonymous, undefined, fail);
      }),
      model.on('logout', () => {
        if (this.bySite) return; // a late answer to a restore asked before the site named someone
        this.set(SessionStatus.anonymous, undefined, undefined);
        this.tell('logout');
      }),
      () => channel.close(),
    );
    if (this.status === SessionStatus.loading) this.follow(true);
  }

  hostUpdate(): void {
    this.follow(false);
  }

  /** Why the last login or registration failed, as a problem: its reason is the code. */
  get problem(): Problem | undefined {
    return this.error && { code: this.error.reason, message: this.error.message };
  }

  /** Whether the site name is set. Then logging out is up to the site, not the visitor. */
  get bySite(): boolean {
    return this.site !== undefined;
  }

  /** Signs in with the site's name, or goes back to the browser's own session when it is unset. */
  private follow(start: boolean): void {
    const name = this.config.siteName?.()?.trim() || undefined;
    if (!this.model || (!start && name === this.site)) return;
    this.site = name;
    // No requestUpdate: this runs as the host updates, and the answer brings the next update.
    this.status = SessionStatus.loading;
    this.profile = undefined; // a new identity: the old one's room is left at once
    this.error = undefined;
    if (name === undefined) this.model.emit('restore');
    else this.model.emit('site', name);
  }

  /**
   * An answer to an earlier question: the site's name changed (or was set or removed) since.
   * Answers arrive in any order, so each is checked against what is wanted now.
   */
  private stale(profile: Profile): boolean {
    if (this.site === undefined) return profile.site === true;
    return profile.site !== true || !sameName(profile.name, this.site);
  }

  hostDisconnected(): void {
    this.unsubscribe.splice(0).forEach((off) => off());
    this.channel = undefined;
  }

  private tell(change: 'login' | 'logout' | 'profile'): void {
    if (!this.asked) return;
    this.asked = false;
    this.channel?.postMessage(change);
  }

  /** Logs in with an existing local account. */
  login(name: string, password: string): void {
    this.request('login', name, password);
  }

  /** Creates a local account and logs in with it. */
  register(name: string, password: string): void {
    this.request('register', name, password);
  }

  /**
   * Starts (or continues) this browser's guest account, called `name` (or else `visitor`) if it
   * is new, and logs in with it (`<parley-chat guest>`: a visitor's first message).
   */
  startGuest(name: string, email: string, visitor: string): void {
    if (!this.model || this.status === SessionStatus.busy || this.bySite) return;
    this.set(SessionStatus.busy, undefined, undefined);
    this.asked = true;
    this.model.emit('guest', name.trim(), email.trim(), visitor);
  }

  /**
   * The logged-in account changed (a guest's name, email or password; see guest-controller.ts):
   * shows it here and in the other chats on this database. Its identity stays.
   */
  adopt(profile: Profile): void {
    const now = this.profile;
    if (this.status !== SessionStatus.authenticated || now?.id !== profile.id) return;
    this.set(SessionStatus.authenticated, { ...profile, identity: now.identity }, undefined);
    this.asked = true;
    this.tell('profile');
  }

  /** Forgets the session on this browser. */
  logout(): void {
    if (this.bySite) return;
    this.asked = true;
    this.model?.emit('logout');
  }

  /**
   * Takes up the logged-in account afresh, after its identity was replaced (an imported one):
   * every controller lets go of the old identity, then meets the new one. Other tabs keep the
   * old one until they reload.
   */
  renew(): void {
    if (!this.model || this.status !== SessionStatus.authenticated) return;
    this.set(SessionStatus.loading, undefined, undefined);
    if (this.site === undefined) this.model.emit('restore');
    else this.model.emit('site', this.site);
  }

  private request(ev: 'login' | 'register', name: string, password: string): void {
    if (!this.model || this.status === SessionStatus.busy || this.bySite) return;
    this.set(SessionStatus.busy, undefined, undefined);
    this.asked = true;
    this.model.emit(ev, name.trim(), password);
  }

  private set(status: SessionStatus, profile: Profile | undefined, error: LogFail | undefined) {
    this.status = status;
    this.profile = profile;
    this.error = error;
    this.host.requestUpdate();
  }
}
