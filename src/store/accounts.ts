/**
 * Local accounts: create, verify, and remember who is logged in on this browser.
 * Results are values, not exceptions: a wrong password is an everyday event.
 */
import * as v from 'valibot';
import { describeIssues, UserNameSchema } from '../protocol/fields.js';
import type { ParleyDb } from './db.js';
import type { PublicIdentity } from './identities.js';
import { hashPassword, newSalt, PBKDF2_ITERATIONS, sameBytes } from './passwords.js';
import type { AccountRecord, PasswordAccount, SiteAccount } from './schema.js';

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
  /** The account's identity key, as others may know it (set once the model has made sure of it). */
  identity?: PublicIdentity;
}

/** Why a login or registration failed. */
export type LogFailReason =
  'invalid-name' | 'weak-password' | 'unknown-user' | 'wrong-password' | 'name-taken' | 'storage';

/** A failure with a message fit to show in the login popup. */
export interface LogFail {
  reason: LogFailReason;
  message: string;
}

/** Outcome of a login or registration. */
export type AccountResult = { ok: true; profile: Profile } | { ok: false; fail: LogFail };

const SESSION_KEY = 'session';

function keyOf(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** Whether two names are the same account name (Unicode-normalised, case-insensitive). */
export function sameName(a: string, b: string): boolean {
  return keyOf(a) === keyOf(b);
}

function profileOf(rec: AccountRecord): Profile {
  const profile: Profile = { id: rec.id, name: rec.name, created: rec.created };
  if ('site' in rec) profile.site = true;
  return profile;
}

function fail(reason: LogFailReason, message: string): AccountResult {
  return { ok: false, fail: { reason, message } };
}

function taken(name: string): AccountResult {
  return fail('name-taken', `The username "${name}" is taken on this browser.`);
}

/**
 * The wire's rule for names, worded for the login form: a sentence that names the field
 * ("a name has at least 2 characters" → "A username has at least 2 characters.").
 */
function checkName(name: string): AccountResult | undefined {
  const parsed = v.safeParse(UserNameSchema, name.normalize('NFC'));
  if (parsed.success) return undefined;
  const rule = describeIssues(parsed.issues).replace(/^a name\b/, 'a username');
  return fail('invalid-name', `${rule.charAt(0).toUpperCase()}${rule.slice(1)}.`);
}

/** Why `name` and `password` cannot make a new account, if they cannot. */
function unfitForAccount(name: string, password: string): AccountResult | undefined {
  const badName = checkName(name);
  if (badName) return badName;
  if (password.length < MIN_PASSWORD) {
    return fail('weak-password', `Choose a password of at least ${MIN_PASSWORD} characters.`);
  }
  if (password.length > MAX_PASSWORD) {
    return fail('weak-password', `A password has at most ${MAX_PASSWORD} characters.`);
  }
  return undefined;
}

/**
 * Creates an account; fails if the name is taken (case-insensitively), input is unfit, or the
 * storage refuses to write it (`storage`, never "taken").
 */
export async function createAccount(
  db: ParleyDb,
  name: string,
  password: string,
): Promise<AccountResult> {
  const unfit = unfitForAccount(name, password);
  if (unfit) return unfit;
  const key = keyOf(name);
  if (await db.get('accounts', key)) return taken(name);
  const salt = newSalt();
  const rec: PasswordAccount = {
    key,
    name: name.normalize('NFC'),
    id: crypto.randomUUID(),
    salt,
    hash: await hashPassword(password, salt, PBKDF2_ITERATIONS),
    iterations: PBKDF2_ITERATIONS,
    created: Date.now(),
  };
  try {
    // `add` (not `put`): a second tab registering the same name at once must not win silently.
    await db.add('accounts', rec);
  } catch (err) {
    // Only a key that exists already means the name is taken; anything else is the storage.
    return isNamed(err, 'ConstraintError') ? taken(name) : notSaved(err);
  }
  return { ok: true, profile: profileOf(rec) };
}

function isNamed(err: unknown, name: string): boolean {
  return err instanceof DOMException && err.name === name;
}

/** Why a new account could not be written, in words: a full disk, or storage that failed. */
function notSaved(err: unknown): AccountResult {
  if (isNamed(err, 'QuotaExceededError')) {
    return fail('storage', "This browser's storage is full, so the account could not be saved.");
  }
  const why = err instanceof Error ? err.message : String(err);
  return fail('storage', `The account could not be saved in this browser's storage (${why}).`);
}

/** Checks a name and password against the stored hash. */
export async function verifyLogin(
  db: ParleyDb,
  name: string,
  password: string,
): Promise<AccountResult> {
  const bad = checkName(name);
  if (bad) return bad;
  const rec = await db.get('accounts', keyOf(name));
  // A site's identity has no password: only its site can sign a visitor in with it.
  if (!rec || 'site' in rec)
    return fail('unknown-user', `No account called "${name}" on this browser.`);
  const hash = await hashPassword(password.slice(0, MAX_PASSWORD), rec.salt, rec.iterations);
  if (!sameBytes(hash, rec.hash)) return fail('wrong-password', 'Wrong password. Try again.');
  return { ok: true, profile: profileOf(rec) };
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
  if (profile) await db.put('kv', keyOf(profile.name), SESSION_KEY);
  else await db.delete('kv', SESSION_KEY);
}

/** The account logged in on this browser, if any. */
export async function loadSession(db: ParleyDb): Promise<Profile | undefined> {
  const key = await db.get('kv', SESSION_KEY);
  if (typeof key !== 'string') return undefined;
  const rec = await db.get('accounts', key);
  return rec ? profileOf(rec) : undefined;
}
