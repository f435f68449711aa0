/**
 * Guest visitors (`<parley-chat guest>`): a visitor asks without a username or a password.
 * Her first message starts this browser's guest account ("Visitor 4821", see
 * `store/accounts.ts`) and is sent once the chat is in its room; later she may give a name, an
 * email for a reply, and protect the account with a password. The I/O of all three is here.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AccountResult, LogFailReason, Profile } from '../../store/accounts.js';
import {
  checkEmail,
  checkGuestName,
  protectGuest,
  updateGuest,
  visitorName,
} from '../../store/guest-account.js';
import { SessionStatus, type SessionController } from './session-controller.js';

/** Which field a problem is about (its message sits there and the field takes the focus). */
export type GuestField = 'name' | 'email' | 'password' | 'text';

/** A problem shown to the guest, and the field it is about. */
export interface GuestProblem {
  field: GuestField | undefined;
  message: string;
}

const FIELD_OF: Partial<Record<LogFailReason, GuestField>> = {
  'invalid-name': 'name',
  'name-taken': 'name',
  'invalid-email': 'email',
  'weak-password': 'password',
};

/** What the guest controller needs of its chat. */
export interface GuestConfig {
  session: SessionController;
  /** The `guest` attribute is set (and no site names its visitor). */
  enabled: () => boolean;
  /**
   * Sends the first message once the chat is in its room: true when it is sent (or held for
   * the room), false when refused, `undefined` while the room is not ready to take it.
   */
  send: (text: string) => boolean | undefined;
}

/** The guest's way in, and her account's name, email and password afterwards. */
export class GuestController implements ReactiveController {
  /** The name a new guest account gets unless she gives one ("Visitor 4821"). */
  readonly visitor = visitorName();
  /** The first message, until the room takes it. */
  private pending: string | undefined;
  /** Her first message is starting the account. */
  private starting = false;
  /** What went wrong last (a refused name, email or password; storage). */
  problem: GuestProblem | undefined;
  /** A change of name, email or password is being saved. */
  busy = false;
  /** What the last change did, in words ("Saved."), for a status line. */
  done: string | undefined;
  /** She chose "Log in" (an account of hers, or a guest's she protected): the login box shows. */
  loginAsked = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: GuestConfig,
  ) {
    host.addController(this);
  }

  /** Guest mode, and nobody is logged in yet (or her first message is logging her in). */
  get waiting(): boolean {
    const { status } = this.config.session;
    if (!this.config.enabled() || this.loginAsked) return false;
    return status === SessionStatus.anonymous || (status === SessionStatus.busy && this.starting);
  }

  /** Her first message is being sent (the account starts, then the room takes it). */
  get sending(): boolean {
    return this.starting;
  }

  /** The logged-in account is a guest's without a password, in a guest chat. */
  get guestShown(): boolean {
    return this.config.enabled() && this.config.session.profile?.guest === true;
  }

  /**
   * Her first message: starts the account (named `name`, or "Visitor NNNN") with `email`, and
   * sends `text` once in the room. Returns false, with `problem` set, for a name or email the
   * account cannot take: nothing is started, and the view keeps what she typed.
   */
  start(text: string, name: string, email: string): boolean {
    if (!this.waiting || this.starting || !text.trim()) return false;
    const bad = (name.trim() ? checkGuestName(name.trim()) : undefined) ?? checkEmail(email.trim());
    if (bad) return this.refused(bad);
    this.problem = undefined;
    this.pending = text;
    this.starting = true;
    this.config.session.startGuest(name, email, this.visitor);
    this.host.requestUpdate();
    return true;
  }

  hostUpdated(): void {
    const { session } = this.config;
    if (!this.starting) return;
    if (session.status === SessionStatus.anonymous) {
      // The account could not start: say why; the question is still in the box.
      this.starting = false;
      this.pending = undefined;
      const fail = session.error;
      this.problem = fail && { field: FIELD_OF[fail.reason], message: fail.message };
      this.host.requestUpdate();
      return;
    }
    if (session.status !== SessionStatus.authenticated || this.pending === undefined) return;
    const sent = this.config.send(this.pending);
    if (sent === undefined) return; // the room is not ready yet: the next update tries again
    this.pending = undefined;
    this.starting = false;
    this.host.requestUpdate();
  }

  /** Gives the guest account a name and (`''`: none) an email for a reply. */
  async rename(name: string, email: string | undefined): Promise<void> {
    const id = this.guestId();
    if (!id || this.busy) return;
    await this.change(
      async (db) => updateGuest(db, id, { name: name.trim() || undefined, email: email?.trim() }),
      () => 'Saved.',
    );
  }

  /** Protects the guest account with a password: same account, same identity, now a login. */
  async protect(password: string): Promise<void> {
    const id = this.guestId();
    if (!id || this.busy) return;
    await this.change(
      async (db) => protectGuest(db, id, password),
      (profile) => `Protected. On this browser, log in as "${profile.name}" with your password.`,
    );
  }

  /** She chose "Log in": the login box stands in for her message box. */
  askLogin(): void {
    if (this.starting) return;
    this.loginAsked = true;
    this.problem = undefined;
    this.host.requestUpdate();
  }

  /** Forgets the last status line (the guest closed the panel). */
  dismiss(): void {
    this.done = undefined;
    this.problem = undefined;
    this.host.requestUpdate();
  }

  private guestId(): string | undefined {
    const { profile } = this.config.session;
    return profile?.guest ? profile.id : undefined;
  }

  /** Runs a change of the account; once it is made, shows it and says `said` of it. */
  private async change(
    run: (db: Awaited<NonNullable<SessionController['db']>>) => Promise<AccountResult>,
    said: (profile: Profile) => string,
  ): Promise<void> {
    const dbPromise = this.config.session.db;
    if (!dbPromise) return;
    this.busy = true;
    this.problem = undefined;
    this.done = undefined;
    this.host.requestUpdate();
    try {
      const result = await run(await dbPromise);
      if (result.ok) {
        // Said before the account changes: the line stays up to say it (a protected account
        // is no guest's any more).
        this.done = said(result.profile);
        this.config.session.adopt(result.profile);
      } else this.refused(result);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      this.problem = { field: undefined, message: `This browser's storage failed (${why}).` };
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  private refused(result: AccountResult): false {
    if (!result.ok) {
      const { reason, message } = result.fail;
      this.problem = { field: FIELD_OF[reason], message };
    }
    this.host.requestUpdate();
    return false;
  }
}
