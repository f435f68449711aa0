/**
 * Local accounts: names, site accounts, and who is logged in on this browser (creating and
 * checking password accounts is `account-login.ts`, loaded with the login box). Results are
 * values, not exceptions: a wrong password is an everyday event.
 */
import * as v from 'valibot';
import { describeIssues, UserNameSchema } from '../protocol/fields.js';
import type { ParleyDb } from './db.js';
import type { PublicIdentity } from './identities.js';
import type { AccountRecord, SiteAccount } from './schema.js';

/** Shortest password accepted for a new account. */
export const MIN_PASSWORD = 8;
/** Longest password accepted (bounds hashing work). */
export const MAX_PASSWORD = 1024;

/** What the rest of the app knows about the logged-in account. */
export interface Profile {
  id: string;
  name: string;
  created: number;
  /** The embedding site's identity for its visitor (no password). */
  site?: true;
  /** A guest's account (`<parley-chat guest>`) that has no password yet. */
  guest?: true;
  /** An email for a reply, given by a guest where the site asks for one. */
  email?: string;
  /** The account's identity key, as others may know it (set once the model has made sure of it). */
  identity?: PublicIdentity;
}

/** Why a login or registration failed. */
export type LogFailReason =
  | 'invalid-name'
  | 'invalid-email'
  | 'weak-password'
  | 'unknown-user'
  | 'wrong-password'
  | 'name-taken'
  | 'storage';

/** A failure with a message fit to show in the login popup. */
export interface LogFail {
  reason: LogFailReason;
  message: string;
}

/** Outcome of a login or registration. */
export type AccountResult = { ok: true; profile: Profile } | { ok: false; fail: LogFail };

const SESSION_KEY = 'session';

/** An account's lookup key from its name (Unicode-normalised, lower-case). */
export function keyOf(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** Whether two names are the same account name (Unicode-normalised, case-insensitive). */
export function sameName(a: string, b: string): boolean {
  return keyOf(a) === keyOf(b);
}

/** What the app knows of a logged-in account. */
export function profileOf(rec: AccountRecord): Profile {
  const profile: Profile = { id: rec.id, name: rec.name, created: rec.created };
  if ('site' in rec) profile.site = true;
  if ('guest' in rec) profile.guest = true;
  if (!('site' in rec) && rec.email !== undefined) profile.email = rec.email;
  return profile;
}

/** A failed result with its reason and sentence. */
export function fail(reason: LogFailReason, message: string): AccountResult {
  return { ok: false, fail: { reason, message } };
}

/**
 * The wire's rule for names, worded for the login form: a sentence that names the field
 * ("a name has at least 2 characters" → "A username has at least 2 characters.").
 */
export function checkName(name: string): AccountResult | undefined {
  const parsed = v.safeParse(UserNameSchema, name.normalize('NFC'));
  if (parsed.success) return undefined;
  const rule = describeIssues(parsed.issues).replace(/^a name\b/, 'a username');
  return fail('invalid-name', `${rule.charAt(0).toUpperCase()}${rule.slice(1)}.`);
}

/**
 * The identity the embedding site gives its signed-in visitor: found by name, or made on
 * first use (no password: the site vouches for the visitor). Its `site:` key can never
 * meet a password account's, because names cannot contain ":".
 */
export async function siteAccount(db: ParleyDb, name: string): Promise<AccountResult> {
  const bad = checkName(name);
  if (bad) return bad;
  const key = `site:${keyOf(name)}`;
  const found = await db.get('accounts', key);
  if (found) return { ok: true, profile: profileOf(found) };
  const rec: SiteAccount = {
    key,
    name: name.normalize('NFC'),
    id: crypto.randomUUID(),
    site: true,
    created: Date.now(),
  };
  try {
    await db.add('accounts', rec);
  } catch {
    // Another element on this page made it at the same moment: use theirs.
    const theirs = await db.get('accounts', key);
    if (theirs) return { ok: true, profile: profileOf(theirs) };
    throw new Error('the account could not be saved');
  }
  return { ok: true, profile: profileOf(rec) };
}

/** Remembers `profile` as logged in on this browser (or forgets it with `undefined`). */
export async function saveSession(db: ParleyDb, profile: Profile | undefined): Promise<void> {
  if (profile)
    await db.put('kv', profile.guest ? guestKey(profile.id) : keyOf(profile.name), SESSION_KEY);
  else await db.delete('kv', SESSION_KEY);
}

/** The account logged in on this browser, if any. */
export async function loadSession(db: ParleyDb): Promise<Profile | undefined> {
  const key = await db.get('kv', SESSION_KEY);
  if (typeof key !== 'string') return undefined;
  const rec = await db.get('accounts', key);
  return rec ? profileOf(rec) : undefined;
}

/** Where the kv store remembers this browser's guest account (its key). */
export const GUEST_KEY = 'guest';
/** A guest account's lookup key: by its id, so naming herself never moves it. */
export function guestKey(id: string): string {
  return `guest:${id}`;
}
