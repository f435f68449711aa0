/**
 * Exportable identities (see `identities.ts` for the design and its costs): making one with
 * the account's password at hand, opening its sealed copy for "Export identity", and replacing
 * an account's identity and key-agreement keys with imported ones. A chunk of its own, loaded
 * once a registration's chat is in its room (see `identityFor`'s `sealLater`) and by the
 * Settings panel: neither the first download nor the way into the room carries it.
 */
import { canonicalJson } from '../protocol/identity.js';
import { openSeal, sealSecrets, type Seal } from '../protocol/identity-seal.js';
import {
  createPortableKeys,
  wipeSecrets,
  type HeldKeys,
  type KeySecrets,
} from '../protocol/portable-keys.js';
import type { ParleyDb } from './db.js';
import { sealDone } from './identities.js';
import { isPair, kxKey, storePortable } from './portable-identity.js';
import type { IdentityEscrow, IdentityRecord } from './schema.js';

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
 * A new exportable identity and key-agreement key pair for `owner`, stored together (the
 * identity of another tab that made one first wins).
 */
export async function exportableIdentity(db: ParleyDb, owner: string, password: string) {
  const { secrets, ...keys } = await createPortableKeys();
  // Sealed before the transaction: IndexedDB transactions end at an await of anything else.
  const escrow = await escrowOf(owner, keys, secrets, password, 'password');
  return (await storePortable(db, owner, keys, escrow)).rec;
}

/**
 * Seals the identity `madePortable` (portable-identity.ts) stored for `owner` under the
 * account's `password`, and adds the seal to it while it is still that identity with those
 * key-agreement keys (another import may have replaced them meanwhile). The bytes are wiped.
 */
export async function sealStored(
  db: ParleyDb,
  owner: string,
  keys: HeldKeys,
  secrets: KeySecrets,
  password: string,
): Promise<void> {
  const escrow = await escrowOf(owner, keys, secrets, password, 'password');
  const tx = db.transaction(['identities', 'kv'], 'readwrite');
  const identities = tx.objectStore('identities');
  const [rec, kx] = await Promise.all([
    identities.get(owner),
    tx.objectStore('kv').get(kxKey(owner)),
  ]);
  const same =
    rec !== undefined &&
    !rec.escrow &&
    rec.publicKey === keys.identity.publicKey &&
    isPair(kx) &&
    kx.publicKey === keys.agreement.publicKey;
  if (same) await identities.put({ ...rec, escrow });
  await tx.done;
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
  await sealDone(owner); // a registration's seal may still be on its way
  const identity = await db.get('identities', owner);
  const escrow = identity?.escrow;
  if (!identity || !escrow) throw new Error('This identity was made before export existed.');
  const kx: unknown = await db.get('kv', kxKey(owner));
  if (!isPair(kx) || kx.publicKey !== escrow.agreementKey)
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
    tx.objectStore('kv').put(keys.agreement, kxKey(owner)),
    tx.done,
  ]);
  return rec;
}
