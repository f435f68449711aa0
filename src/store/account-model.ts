/**
 * The account model, speaking the same emit/on language as every other boundary in Parley:
 * `emit('login', name, password)` or `emit('register', name, password)` is answered with
 * `logsuc(profile)` or `logfail(fail)`; `emit('restore')` answers `logsuc` for a remembered
 * session (or `logout` when there is none); `emit('logout')` forgets it and answers `logout`.
 * `emit('site', name)` answers `logsuc` with the identity an embedding site vouches for; it is
 * not remembered as the browser's session. `emit('guest', name, email, visitor)` answers
 * `logsuc` with this browser's guest account (made now, called `name` or else `visitor`, if
 * there is none) and remembers it as the session. Every successful answer carries the account's
 * identity key (its public part), made on first need.
 */
import { Emitter } from '../internal/emitter.js';
import { loadAfterSettled } from '../internal/load-order.js';
import {
  loadSession,
  saveSession,
  siteAccount,
  type AccountResult,
  type LogFail,
  type Profile,
} from './accounts.js';
import type { ParleyDb } from './db.js';
import { identityFor, publicPart } from './identities.js';

/** Requests the model accepts. */
export interface AccountRequests {
  login: (name: string, password: string) => void;
  register: (name: string, password: string) => void;
  restore: () => void;
  logout: () => void;
  site: (name: string) => void;
  guest: (name: string, email: string, visitor: string) => void;
}

/** Answers the model gives. */
export interface AccountAnswers {
  logsuc: (profile: Profile) => void;
  logfail: (fail: LogFail) => void;
  logout: () => void;
}

/**
 * `profile` with its account's identity key: made at the account's creation (the first
 * answer after `register`), or at the next login of an account older than identities.
 */
async function withIdentity(db: ParleyDb, profile: Profile, password?: string): Promise<Profile> {
  // With the password at hand (creation, login), a new identity is made exportable.
  // Its seal waits until the chat is in its room (see identities.ts).
  const identity = await identityFor(db, profile.id, password, loadAfterSettled);
  return { ...profile, identity: publicPart(identity) };
}

/** Emit/on façade over the accounts in one IndexedDB database. */
export class AccountModel {
  private readonly answers = new Emitter<AccountAnswers>();

  constructor(private readonly db: Promise<ParleyDb>) {}

  /** Subscribes to an answer; returns the unsubscribe function. */
  on<E extends keyof AccountAnswers>(ev: E, fn: AccountAnswers[E]): () => void {
    return this.answers.on(ev, fn);
  }

  /** Sends a request; the answer arrives as an event. */
  emit<E extends keyof AccountRequests>(ev: E, ...args: Parameters<AccountRequests[E]>): void {
    void this.handle(ev, args as string[]);
  }

  private async handle(ev: keyof AccountRequests, args: string[]): Promise<void> {
    try {
      const db = await this.db;
      if (ev === 'logout') {
        await saveSession(db, undefined);
        return this.answers.emit('logout');
      }
      if (ev === 'restore') {
        const profile = await loadSession(db);
        if (!profile) return this.answers.emit('logout');
        return this.answers.emit('logsuc', await withIdentity(db, profile));
      }
      const [name = '', password = ''] = args;
      if (ev === 'site') {
        const site = await siteAccount(db, name);
        return site.ok
          ? this.answers.emit('logsuc', await withIdentity(db, site.profile))
          : this.answers.emit('logfail', {
              ...site.fail,
              message: `The display name "${name}" cannot be used: ${site.fail.message}`,
            });
      }
      // Password and guest accounts are loaded with the login box: a remembered session never
      // needs them.
      const { createAccount, verifyLogin } = await import('./account-login.js');
      const result: AccountResult =
        ev === 'guest'
          ? await (
              await import('./guest-account.js')
            ).guestAccount(db, { name, email: password, visitor: args[2] ?? '' })
          : ev === 'login'
            ? await verifyLogin(db, name, password)
            : await createAccount(db, name, password);
      if (!result.ok) return this.answers.emit('logfail', result.fail);
      // A guest's second field is an email, not a password: a guest's identity is not exportable.
      const profile = await withIdentity(db, result.profile, ev === 'guest' ? undefined : password);
      await saveSession(db, profile);
      this.answers.emit('logsuc', profile);
    } catch (err) {
      this.answers.emit('logfail', {
        reason: 'storage',
        message: `This browser's storage is unavailable (${err instanceof Error ? err.message : String(err)}).`,
      });
    }
  }
}
