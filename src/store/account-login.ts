/**
 * Password accounts: creating one and checking a password (PBKDF2, see `passwords.ts`). Loaded
 * when someone logs in or registers — a visitor whose session is remembered never downloads
 * it. Guest accounts are in `guest-account.ts`, loaded only on a guest's path.
 */
import type { ParleyDb } from './db.js';
import {
  checkName,
  fail,
  keyOf,
  MAX_PASSWORD,
  MIN_PASSWORD,
  profileOf,
  type AccountResult,
} from './accounts.js';
import { hashPassword, newSalt, PBKDF2_ITERATIONS, sameBytes } from './passwords.js';
import type { PasswordAccount } from './schema.js';

/** The answer for a name another account of this browser has. */
export function taken(name: string): AccountResult {
  return fail('name-taken', `The username "${name}" is taken on this browser.`);
}

/** Why `name` and `password` cannot make a new account, if they cannot. */
export function unfitForAccount(name: string, password: string): AccountResult | undefined {
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

/** Whether `err` is the DOMException called `name`. */
export function isNamed(err: unknown, name: string): boolean {
  return err instanceof DOMException && err.name === name;
}

/** Why a new account could not be written, in words: a full disk, or storage that failed. */
export function notSaved(err: unknown): AccountResult {
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
  // A site's identity has no password: only its site can sign a visitor in with it; nor has
  // a guest's, until she protects it (which files it under her name).
  if (!rec || 'site' in rec || 'guest' in rec)
    return fail('unknown-user', `No account called "${name}" on this browser.`);
  const hash = await hashPassword(password.slice(0, MAX_PASSWORD), rec.salt, rec.iterations);
  if (!sameBytes(hash, rec.hash)) return fail('wrong-password', 'Wrong password. Try again.');
  return { ok: true, profile: profileOf(rec) };
}
