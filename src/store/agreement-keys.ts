/**
 * Each account's key-agreement key pair (see `protocol/key-agreement.ts`), made on first use
 * and kept in the `kv` store under `kx:<owner>` — a CryptoKey is stored as itself, so the
 * private key stays non-extractable, as the identity's does (`identities.ts`). One pair per
 * account serves every private room; new room keys reach the account wrapped to it.
 *
 * An account whose identity is exportable has its pair made with the identity instead, and an
 * imported identity brings its own (both written under the same kv key by
 * `identity-escrow.ts`), so room keys sealed to the pair on another device open here too.
 */
import {
  createAgreementKeys,
  isAgreementKey,
  type AgreementKeys,
} from '../protocol/key-agreement.js';
import type { ParleyDb } from './db.js';

/** The kv key of `owner`'s key-agreement key pair. */
export const agreementKeysKey = (owner: string) => `kx:${owner}`;

/** Whether a kv value is a key pair as stored here (anything else is replaced). */
function isStored(value: unknown): value is AgreementKeys {
  const v = value as Partial<AgreementKeys> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    (v.alg === 'x25519' || v.alg === 'p256') &&
    v.privateKey instanceof CryptoKey &&
    isAgreementKey(v.publicKey) &&
    v.publicKey.startsWith(`${v.alg}:`)
  );
}

/**
 * `owner`'s key-agreement key pair, made and stored if it has none yet. Two tabs making it at
 * the same moment end with one pair: the write happens in one transaction that keeps a pair
 * another tab stored first.
 */
export async function agreementKeysFor(db: ParleyDb, owner: string): Promise<AgreementKeys> {
  const key = agreementKeysKey(owner);
  const found = await db.get('kv', key);
  if (isStored(found)) return found;
  // Made outside the transaction: IndexedDB transactions end at an await of anything else.
  const made = await createAgreementKeys();
  const tx = db.transaction('kv', 'readwrite');
  const theirs = await tx.store.get(key);
  if (isStored(theirs)) {
    await tx.done;
    return theirs;
  }
  await tx.store.put(made, key);
  await tx.done;
  return made;
}
