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
 * Letters that look like Latin ones in the fonts people read names in (a few of Unicode's
 * confusables, UTS #39): "Аlice" with a Cyrillic А, or "AIice" with a capital i, must be
 * namesakes of "Alice", or the key-change warning would be a font away from useless.
 */
const LOOKALIKES: Record<string, string> = {
  // Cyrillic and Greek letters (lower case: names are lower-cased first) that pass for Latin.
  а: 'a',
  в: 'b',
  е: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  һ: 'h',
  ԁ: 'd',
  α: 'a',
  β: 'b',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  // A capital i is an l in most fonts: i, l, 1 and | are one letter here; a zero is an o.
  l: 'i',
  '1': 'i',
  '|': 'i',
  '0': 'o',
};

/**
 * The form of `name` the `by-name` index holds: compatibility-normalised (NFKC), lower-cased,
 * "rn" read as "m" and look-alike letters mapped to the Latin ones they pass for — so
 * "ALICE", "alice", "Аlice" and "AIice" are namesakes, and a key change under any of them is
 * warned about. (Names stay as typed everywhere else.)
 */
export function nameKeyOf(name: string): string {
  const lower = name.normalize('NFKC').toLowerCase().replace(/rn/g, 'm');
  return [...lower].map((c) => LOOKALIKES[c] ?? c).join('');
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
  const nameKey = nameKeyOf(member.name);
  const rec: ContactRecord = known
    ? {
        ...known,
        name: member.name,
        nameKey,
        // Taking another name starts a new claim on it (see `earlierNamesakes`).
        named: known.nameKey === nameKey ? (known.named ?? known.first) : now,
        last: now,
      }
    : {
        owner,
        userId: member.userId,
        key: member.key,
        name: member.name,
        nameKey,
        verified: false,
        first: now,
        named: now,
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

/** Since when `c` has gone by its current name. */
function namedAt(c: ContactRecord): number {
  return c.named ?? c.first;
}

/**
 * The key-change case: the identities other than `userId` that account `owner` met under
 * `name` (or a look-alike of it) before `userId` took that name (all of them when it never
 * did), oldest first. They are
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
  // Who had the name first: an identity met long ago under another name that takes this one
  // now is the newcomer to it.
  const since = self ? namedAt(self) : Infinity;
  return all
    .filter((c) => c.userId !== userId && namedAt(c) < since)
    .sort((a, b) => namedAt(a) - namedAt(b));
}
