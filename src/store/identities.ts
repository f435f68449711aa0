/**
 * Each account's identity key pair in IndexedDB: found, or made on first need — at the
 * account's creation, or at the next login of an account older than identities. The private
 * key is stored as a non-extractable CryptoKey, so even code that reads the database cannot
 * copy it out (it can still use it while it runs in this origin).
 *
 * Export ("Export identity", see `protocol/identity-file.ts`). A non-extractable key cannot be
 * exported or wrapped, so an identity made when the account's password is at hand (creation
 * and login, see `account-model.ts`) is made exportable once instead: the signing and
 * key-agreement keys are generated extractable, their private bytes are sealed under a key
 * derived from the password (PBKDF2-SHA-256, 600,000 iterations, its own salt — not the stored
 * password hash, which anyone reading the database can see) into `IdentityRecord.escrow`, and
 * the keys used every day are non-extractable re-imports of the same bytes, which are then
 * overwritten. Export asks for the password again to open that seal. What it costs: one more
 * PBKDF2 at the identity's creation (about as long as the password check itself; at a
 * registration in a chat, once the chat is in its room: see `sealLater` below) and ~400
 * bytes per account; the private keys stay out of reach of code that reads the database
 * unless it also knows the password. What it cannot do: identities made before this existed,
 * or made without a password (a site's visitor, restored sessions), have nothing to seal —
 * their keys cannot leave this browser, and Settings says so ("made before export existed");
 * so has one whose page closed before its seal was made.
 *
 * Import replaces an account's identity and key-agreement keys with a file's; its escrow is
 * then sealed under the file's passphrase (by: 'file'), so the identity can be exported again
 * with that passphrase. The sealing, opening and replacing are in `identity-escrow.ts`, a chunk
 * of its own: a visitor whose session is remembered never downloads them.
 */
import { createIdentity, type Identity } from '../protocol/identity.js';
import type { ParleyDb } from './db.js';
import type { IdentityRecord } from './schema.js';

/** What others may know of an identity. */
export interface PublicIdentity {
  /** The network id (a hash of the public key). */
  id: string;
  /** The public key as it travels. */
  publicKey: string;
}

/**
 * Whether an account's identity can be exported, and with which secret: its password, the
 * passphrase of the file it was imported from, or not at all (made before export existed, or
 * without a password).
 */
export type ExportState = 'password' | 'file' | 'none';

/** When to load a chunk: a page's load order (see internal/load-order.ts). */
export type Later = <T>(load: () => Promise<T>) => Promise<T>;

/**
 * The identity of account `owner`, made and stored if it has none yet. Given the account's
 * `password` (at its creation or a login), a new identity is made exportable (see above) and
 * its key-agreement keys with it; without, it is made as before and can never be exported.
 * With `sealLater`, the seal is made after the identity is returned, once `sealLater` loads
 * its chunk (a registration's way into its room carries neither it nor its PBKDF2); Export
 * waits for it ({@link sealDone}).
 */
export async function identityFor(
  db: ParleyDb,
  owner: string,
  password?: string,
  sealLater?: Later,
): Promise<Identity> {
  const found = await db.get('identities', owner);
  if (found) return found;
  if (password !== undefined && sealLater) {
    // Made and stored now, sealed once `sealLater` lets the sealing's chunk load: the
    // password and the private bytes are held (in memory only) until then, and then dropped.
    const { madePortable } = await import('./portable-identity.js');
    const { rec, toSeal } = await madePortable(db, owner);
    if (toSeal) {
      const { keys, secrets } = toSeal;
      const sealed = sealLater(() => import('./identity-escrow.js'))
        .then((m) => m.sealStored(db, owner, keys, secrets, password))
        // Not sealed (the page went, storage failed): the identity is one made without a
        // password, which Settings says cannot be exported.
        .catch(() => {})
        .finally(() => sealing.delete(owner));
      sealing.set(owner, sealed);
    }
    return rec;
  }
  if (password !== undefined) {
    // Its own chunk: only a registration or a login makes an identity with a password.
    const { exportableIdentity } = await import('./identity-escrow.js');
    return exportableIdentity(db, owner, password);
  }
  const made = await createIdentity();
  const rec: IdentityRecord = { owner, ...made, created: Date.now() };
  try {
    // `add`: another tab making this account's identity at the same moment must not be
    // overwritten (members would see the account's key change); theirs wins.
    await db.add('identities', rec);
    return rec;
  } catch (err) {
    const theirs = await db.get('identities', owner);
    if (theirs) return theirs;
    throw err;
  }
}

/** Seals on their way (see `identityFor`'s `sealLater`), by account. */
const sealing = new Map<string, Promise<void>>();

/** Resolves once no seal of `owner`'s identity is on its way. */
export function sealDone(owner: string): Promise<void> {
  return sealing.get(owner) ?? Promise.resolve();
}

/** Whether `owner`'s identity can be exported, and with which secret. */
export async function exportStateOf(db: ParleyDb, owner: string): Promise<ExportState> {
  await sealDone(owner);
  return (await db.get('identities', owner))?.escrow?.by ?? 'none';
}

/** The public part of an identity. */
export function publicPart(identity: Pick<Identity, 'id' | 'publicKey'>): PublicIdentity {
  return { id: identity.id, publicKey: identity.publicKey };
}
