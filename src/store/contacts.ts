/**
 * The identities an account has met (schema version 3, store `contacts`): one record per
 * identity id, never per name. A name is only a label: two members who show the same name
 * with different keys stay two records, and {@link earlierNamesakes} finds the ones met
 * before, so the roster can warn that "Alice" is not the Alice talked to before.
 */
import { isIdOf } from '../protocol/identity.js';
import { nameCheck } from './confusables.js';
import type { ParleyDb } from './db.js';
import type { ContactRecord } from './schema.js';

/** A member as seen in a room: their identity id, the key it derives from, their name. */
export interface SeenMember {
  userId: string;
  key: string;
  name: string;
}

/** Marks a key made by {@link nameKeyOf}: a record without it has the key of an older version. */
const KEY_VERSION = '2:';

/**
 * The form of `name` the `by-name` index holds: its look-alike key (name-key.ts, from Unicode's
 * confusables data, loaded at first need) — so "ALICE", "Аlice", "Aӏice", "VVendy"'s "Wendy"
 * and "Alice" with an invisible Hangul filler are namesakes, and a key change under any of
 * them is warned about. (Names stay as typed everywhere else.)
 */
export async function nameKeyOf(name: string): Promise<string> {
  return KEY_VERSION + (await nameCheck()).key(name);
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
  await upgradeNameKeys(db, owner); // so a record of an older version keeps its claim on its name
  const nameKey = await nameKeyOf(member.name);
  const tx = db.transaction('contacts', 'readwrite');
  const known = await tx.store.get([owner, member.userId]);
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

/** The accounts of `db` whose older name keys were made again in this page. */
const upgraded = new WeakMap<ParleyDb, Set<string>>();

/**
 * Makes the name keys of `owner`'s contacts that an older version recorded (a hand table of
 * look-alikes) again with {@link nameKeyOf}: else a contact met before this version, and not
 * seen since, would never be found as a namesake. Once per account and page.
 */
async function upgradeNameKeys(db: ParleyDb, owner: string): Promise<void> {
  const done = upgraded.get(db) ?? new Set<string>();
  upgraded.set(db, done);
  if (done.has(owner)) return;
  const range = IDBKeyRange.bound([owner, ''], [owner, '\uffff']);
  const old = (await db.getAllFromIndex('contacts', 'by-name', range)).filter(
    (c) => !c.nameKey.startsWith(KEY_VERSION),
  );
  // Keys are worked out before the transaction: an await on anything else would end it.
  const keys = await Promise.all(old.map((c) => nameKeyOf(c.name)));
  const tx = db.transaction('contacts', 'readwrite');
  await Promise.all(
    old.map(async (c, i) => {
      const now = await tx.store.get([owner, c.userId]);
      if (now && !now.nameKey.startsWith(KEY_VERSION))
        await tx.store.put({ ...now, nameKey: keys[i]! });
    }),
  );
  await tx.done;
  done.add(owner);
}

/** Every identity account `owner` last saw under `name` or a look-alike of it. */
export async function contactsNamed(
  db: ParleyDb,
  owner: string,
  name: string,
): Promise<ContactRecord[]> {
  await upgradeNameKeys(db, owner);
  return db.getAllFromIndex('contacts', 'by-name', [owner, await nameKeyOf(name)]);
}

/**
 * Identities that took names alike within this long of each other were met together (a
 * newcomer's first look at a room lists everyone at once, in whatever order their hellos
 * come): neither is "the one talked to before"; both are shown as look-alikes instead.
 */
export const MET_TOGETHER_MS = 1000;

/** Since when `c` has gone by its current name. */
function namedAt(c: ContactRecord): number {
  return c.named ?? c.first;
}

/**
 * The key-change case: the identities other than `userId` that account `owner` met under
 * `name` (or a look-alike of it) before `userId` took that name (more than
 * {@link MET_TOGETHER_MS} before; all of them when it never did), oldest first. They are
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
    .filter((c) => c.userId !== userId && namedAt(c) < since - MET_TOGETHER_MS)
    .sort((a, b) => namedAt(a) - namedAt(b));
}
