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
 * PBKDF2 at the identity's creation (about as long as the password check itself) and ~400
 * bytes per account; the private keys stay out of reach of code that reads the database
 * unless it also knows the password. What it cannot do: identities made before this existed,
 * or made without a password (a site's visitor, restored sessions), have nothing to seal —
 * their keys cannot leave this browser, and Settings says so ("made before export existed").
 *
 * Import replaces an account's identity and key-agreement keys with a file's; its escrow is
 * then sealed under the file's passphrase (by: 'file'), so the identity can be exported again
 * with that passphrase.
 */
import { canonicalJson, createIdentity, type Identity } from '../protocol/identity.js';
import { openSeal, sealSecrets, type Seal } from '../protocol/identity-file.js';
import {
  createPortableKeys,
  wipeSecrets,
  type HeldKeys,
  type KeySecrets,
} from '../protocol/portable-keys.js';
import { agreementKeysKey, isStoredAgreementKeys } from './agreement-keys.js';
import type { ParleyDb } from './db.js';
import type { IdentityEscrow, IdentityRecord } from './schema.js';

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

/** What an escrow's seal is bound to: the account, and both public keys. */
function escrowBound(owner: string, publicKey: string, agreementKey: string) {
  return (head: Omit<Seal, 'sealed'>) =>
    canonicalJson(['parley/escrow/1', owner, publicKey, agreementKey, head]);
}

/** `keys`' private bytes sealed under `secret`, for `owner`; the bytes are wiped after. */
async function escrowOf(
  owner: string,
  keys: HeldKeys,
  secrets: KeySecrets,
  secret: string,
  by: IdentityEscrow['by'],
): Promise<IdentityEscrow> {
  try {
    const bound = escrowBound(owner, keys.identity.publicKey, keys.agreement.publicKey);
    const seal = await sealSecrets(secrets, secret, bound);
    return { ...seal, by, agreementKey: keys.agreement.publicKey };
  } finally {
    wipeSecrets(secrets);
  }
}

/**
 * The identity of account `owner`, made and stored if it has none yet. Given the account's
 * `password` (at its creation or a login), a new identity is made exportable (see above) and
 * its key-agreement keys with it; without, it is made as before and can never be exported.
 */
export async function identityFor(
  db: ParleyDb,
  owner: string,
  password?: string,
): Promise<Identity> {
  const found = await db.get('identities', owner);
  if (found) return found;
  if (password !== undefined) return exportableIdentity(db, owner, password);
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

/** A new exportable identity and key-agreement key pair for `owner`, stored together. */
async function exportableIdentity(db: ParleyDb, owner: string, password: string) {
  const { secrets, ...keys } = await createPortableKeys();
  // Sealed before the transaction: IndexedDB transactions end at an await of anything else.
  const escrow = await escrowOf(owner, keys, secrets, password, 'password');
  const rec: IdentityRecord = { owner, ...keys.identity, created: Date.now(), escrow };
  const tx = db.transaction(['identities', 'kv'], 'readwrite');
  const identities = tx.objectStore('identities');
  const kv = tx.objectStore('kv');
  const theirs = await identities.get(owner);
  if (theirs) {
    await tx.done; // another tab made it first: theirs wins
    return theirs;
  }
  const kx = agreementKeysKey(owner);
  if (isStoredAgreementKeys(await kv.get(kx))) {
    // Key-agreement keys from before (room keys may be sealed to them): kept, and the
    // identity is not exportable, since its file could not carry them.
    delete rec.escrow;
  } else {
    await kv.put(keys.agreement, kx);
  }
  await identities.add(rec);
  await tx.done;
  return rec;
}

/** Whether `owner`'s identity can be exported, and with which secret. */
export async function exportStateOf(db: ParleyDb, owner: string): Promise<ExportState> {
  return (await db.get('identities', owner))?.escrow?.by ?? 'none';
}

/**
 * `owner`'s identity and its private keys' bytes, opened with `secret` (the password, or the
 * imported file's passphrase): for sealing into a file, then wiping. Throws an
 * `IdentityFileError` when the secret does not open them; an Error when there is nothing to
 * open or the key-agreement keys are no longer the ones sealed.
 */
export async function openForExport(
  db: ParleyDb,
  owner: string,
  secret: string,
): Promise<{ identity: IdentityRecord; agreementKey: string; secrets: KeySecrets }> {
  const identity = await db.get('identities', owner);
  const escrow = identity?.escrow;
  if (!identity || !escrow) throw new Error('This identity was made before export existed.');
  const kx: unknown = await db.get('kv', agreementKeysKey(owner));
  if (!isStoredAgreementKeys(kx) || kx.publicKey !== escrow.agreementKey)
    throw new Error("This account's key-agreement keys are not the ones sealed for export.");
  const bound = escrowBound(owner, identity.publicKey, escrow.agreementKey);
  const secrets = await openSeal(escrow, secret, bound);
  return { identity, agreementKey: escrow.agreementKey, secrets };
}

/**
 * Replaces `owner`'s identity and key-agreement keys with imported ones, in one transaction;
 * their private bytes are sealed again under `passphrase` (the file's), so the identity can be
 * exported from here too, and wiped.
 */
export async function replaceIdentity(
  db: ParleyDb,
  owner: string,
  keys: HeldKeys,
  secrets: KeySecrets,
  passphrase: string,
): Promise<IdentityRecord> {
  const escrow = await escrowOf(owner, keys, secrets, passphrase, 'file');
  const rec: IdentityRecord = { owner, ...keys.identity, created: Date.now(), escrow };
  const tx = db.transaction(['identities', 'kv'], 'readwrite');
  await Promise.all([
    tx.objectStore('identities').put(rec),
    tx.objectStore('kv').put(keys.agreement, agreementKeysKey(owner)),
    tx.done,
  ]);
  return rec;
}

/** The public part of an identity. */
export function publicPart(identity: Pick<Identity, 'id' | 'publicKey'>): PublicIdentity {
  return { id: identity.id, publicKey: identity.publicKey };
}
