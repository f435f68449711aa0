/**
 * Guest accounts (`<parley-chat guest>`): starting one, naming it, protecting it with a
 * password. A chunk of its own, loaded only on a guest's path (its email check included);
 * password accounts are in `account-login.ts`.
 */
import * as v from 'valibot';
import type { ParleyDb } from './db.js';
import {
  checkName,
  fail,
  GUEST_KEY,
  guestKey,
  keyOf,
  profileOf,
  type AccountResult,
} from './accounts.js';
import { isNamed, notSaved, taken, unfitForAccount } from './account-login.js';
import { hashPassword, newSalt, PBKDF2_ITERATIONS } from './passwords.js';
import type { GuestAccount, PasswordAccount } from './schema.js';

/**
 * Protects this browser's guest account `id` with a password: it becomes a password account
 * under its name, with the same id (so the same identity key and safety code), its email kept,
 * and stays logged in. Fails if another account of this browser has that name.
 */
export async function protectGuest(
  db: ParleyDb,
  id: string,
  password: string,
): Promise<AccountResult> {
  const guest = await db.get('accounts', guestKey(id));
  if (!guest || !('guest' in guest))
    return fail('unknown-user', 'This guest account is no longer in this browser.');
  const unfit = unfitForAccount(guest.name, password);
  if (unfit) return unfit;
  const key = keyOf(guest.name);
  if (await db.get('accounts', key))
    return fail(
      'name-taken',
      `Another account on this browser is called "${guest.name}": give yourself another name first.`,
    );
  const salt = newSalt();
  const hash = await hashPassword(password, salt, PBKDF2_ITERATIONS);
  const rec: PasswordAccount = {
    key,
    name: guest.name,
    id,
    salt,
    hash,
    iterations: PBKDF2_ITERATIONS,
    created: guest.created,
  };
  if (guest.email !== undefined) rec.email = guest.email;
  // One transaction: the account is never under both keys, nor under none.
  const tx = db.transaction(['accounts', 'kv'], 'readwrite');
  const accounts = tx.objectStore('accounts');
  const kv = tx.objectStore('kv');
  const done = tx.done;
  done.catch(() => {}); // a refused write aborts it: the error is the write's, handled below
  try {
    const [session] = await Promise.all([
      kv.get('session'),
      accounts.delete(guest.key),
      accounts.add(rec),
      kv.delete(GUEST_KEY),
    ]);
    if (session === guest.key) await kv.put(key, 'session');
    await done;
  } catch (err) {
    return isNamed(err, 'ConstraintError') ? taken(guest.name) : notSaved(err);
  }
  return { ok: true, profile: profileOf(rec) };
}

/** A name for a new guest: "Visitor" and four random digits ("Visitor 4821"). */
export function visitorName(): string {
  const [n = 0] = crypto.getRandomValues(new Uint16Array(1));
  return `Visitor ${1000 + (n % 9000)}`;
}

/** Longest email kept (RFC 5321's path limit). */
export const MAX_EMAIL = 254;

const EmailSchema = v.pipe(v.string(), v.maxLength(MAX_EMAIL), v.email());

/** Why `email` cannot be kept for a reply, if it cannot ('' is fine: no email). */
export function checkEmail(email: string): AccountResult | undefined {
  if (email === '' || v.safeParse(EmailSchema, email).success) return undefined;
  return fail(
    'invalid-email',
    email.length > MAX_EMAIL
      ? `An email address has at most ${MAX_EMAIL} characters.`
      : 'Enter an email address such as name@example.com, or leave it empty.',
  );
}

/** Why a guest cannot take `name`, worded for her ("A name has at least 2 characters."). */
export function checkGuestName(name: string): AccountResult | undefined {
  const bad = checkName(name);
  if (!bad || bad.ok) return bad;
  return fail(bad.fail.reason, bad.fail.message.replace(/^A username\b/, 'A name'));
}

/**
 * This browser's guest account, made at a guest's first message: the one made here before
 * (every guest embed of this origin shares it), or a new one called `name` or else `visitor`.
 * A name or email given now ('' gives none) replaces the one kept.
 */
export async function guestAccount(
  db: ParleyDb,
  given: { name: string; email: string; visitor: string },
): Promise<AccountResult> {
  const { email } = given;
  const name = given.name || given.visitor;
  const bad = checkGuestName(name) ?? checkEmail(email);
  if (bad) return bad;
  const pointer = await db.get('kv', GUEST_KEY);
  const known = typeof pointer === 'string' ? await db.get('accounts', pointer) : undefined;
  if (known && 'guest' in known)
    return updateGuest(db, known.id, {
      name: given.name || undefined,
      email: email || undefined,
    });
  const id = crypto.randomUUID();
  const rec: GuestAccount = {
    key: guestKey(id),
    name: name.normalize('NFC'),
    id,
    guest: true,
    created: Date.now(),
  };
  if (email) rec.email = email;
  const tx = db.transaction(['accounts', 'kv'], 'readwrite');
  await Promise.all([
    tx.objectStore('accounts').add(rec),
    tx.objectStore('kv').put(rec.key, GUEST_KEY),
    tx.done,
  ]);
  return { ok: true, profile: profileOf(rec) };
}

/**
 * Changes what a guest is called, and her email for a reply (`''` removes it; `undefined`
 * keeps either). A protected guest's name is her login: it must stay hers alone, so only an
 * account still without a password is renamed here.
 */
export async function updateGuest(
  db: ParleyDb,
  id: string,
  change: { name?: string | undefined; email?: string | undefined },
): Promise<AccountResult> {
  const bad =
    (change.name === undefined ? undefined : checkGuestName(change.name)) ??
    (change.email === undefined ? undefined : checkEmail(change.email));
  if (bad) return bad;
  const tx = db.transaction('accounts', 'readwrite');
  const rec = await tx.store.get(guestKey(id));
  if (!rec || !('guest' in rec)) {
    tx.abort();
    return fail('unknown-user', 'This guest account is no longer in this browser.');
  }
  const next: GuestAccount = { ...rec };
  if (change.name) next.name = change.name.normalize('NFC');
  if (change.email === '') delete next.email;
  else if (change.email !== undefined) next.email = change.email;
  await Promise.all([tx.store.put(next), tx.done]);
  return { ok: true, profile: profileOf(next) };
}
