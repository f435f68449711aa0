/**
 * The identities an account has met (schema version 3, store `contacts`): one record per
 * identity id, never per name. A name is only a label: two members who show the same name
 * with different keys stay two records, and {@link earlierNamesakes} finds the ones met
 * before, so the roster can warn that "Alice" is not the Alice talked to before.
 */
import { isIdOf } from '../protocol/identity.js';
import type { ParleyDb } from './db.js';
import type { ContactRecord } from './schema.js';

/** A member as seen in a room: their identity id, the key it derives from, their name. */
export interface SeenMember {
  userId: string;
  key: string;
  name: string;
}

/**
 * The form of `name` the `by-name` index holds: NFC-normalised and lower-cased, the same rule
 * that makes two account names the same (accounts.ts), so "ALICE" and "alice" are namesakes.
 */
export function nameKeyOf(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/**
 * Records that account `owner` saw `member` (at `now`), and returns the record: a new one
 * (unverified), or the known one with its name and last sighting brought up to date and its
 * key and verification kept. Returns undefined, recording nothing, when `member.key` does not
 * hash to `member.userId`: a record must never tie one identity's id to another's key.
 */
export async function recordContact(
  db: ParleyDb,
  owner: string,
  member: SeenMember,
  now = Date.now(),
): Promise<ContactRecord | undefined> {
  // Checked before the transaction opens: an await on WebCrypto inside it would end it.
  if (!(await isIdOf(member.userId, member.key))) return undefined;
  const tx = db.transaction('contacts', 'readwrite');
  const known = await tx.store.get([owner, member.userId]);
  const rec: ContactRecord = known
    ? { ...known, name: member.name, nameKey: nameKeyOf(member.name), last: now }
    : {
        owner,
        userId: member.userId,
        key: member.key,
        name: member.name,
        nameKey: nameKeyOf(member.name),
        verified: false,
        first: now,
        last: now,
      };
  await tx.store.put(rec);
  await tx.done;
  return rec;
}

/** What account `owner` knows of identity `userId`, if it met it. */
export function contactOf(
  db: ParleyDb,
  owner: string,
  userId: string,
): Promise<ContactRecord | undefined> {
  return db.get('contacts', [owner, userId]);
}

/**
 * Marks identity `userId` verified (the user compared its safety code out of band) or takes
 * the mark back. Returns the updated record, or undefined when `owner` never met `userId`.
 */
export async function setVerified(
  db: ParleyDb,
  owner: string,
  userId: string,
  verified: boolean,
): Promise<ContactRecord | undefined> {
  const tx = db.transaction('contacts', 'readwrite');
  const known = await tx.store.get([owner, userId]);
  if (known && known.verified !== verified) await tx.store.put({ ...known, verified });
  await tx.done;
  return known && { ...known, verified };
}

/** Every identity account `owner` last saw under `name` (case-insensitive, NFC). */
export function contactsNamed(db: ParleyDb, owner: string, name: string): Promise<ContactRecord[]> {
  return db.getAllFromIndex('contacts', 'by-name', [owner, nameKeyOf(name)]);
}

/**
 * The key-change case: the identities other than `userId` that account `owner` met under
 * `name` before it first met `userId` (all of them when it never has), oldest first. They are
 * other people as far as Parley can tell, whatever the name says: never merged with `userId`.
 */
export async function earlierNamesakes(
  db: ParleyDb,
  owner: string,
  name: string,
  userId: string,
): Promise<ContactRecord[]> {
  const [all, self] = await Promise.all([
    contactsNamed(db, owner, name),
    contactOf(db, owner, userId),
  ]);
  const since = self?.first ?? Infinity;
  return all
    .filter((c) => c.userId !== userId && c.first < since)
    .sort((a, b) => a.first - b.first);
}
