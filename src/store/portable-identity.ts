/**
 * Making an exportable identity (see `identities.ts` for the design): its keys generated so
 * their private bytes can be sealed, and stored with the account's key-agreement keys in one
 * transaction. Apart from the sealing (`identity-escrow.ts`), so that a registration can be in
 * its room before the sealing's code and its PBKDF2 run (`identityFor`'s `sealLater`).
 */
import {
  createPortableKeys,
  wipeSecrets,
  type HeldKeys,
  type KeySecrets,
} from '../protocol/portable-keys.js';
import type { ParleyDb } from './db.js';
import type { IdentityEscrow, IdentityRecord } from './schema.js';

/**
 * The kv key of an account's key-agreement keys: `agreementKeysKey` of agreement-keys.ts, not
 * imported from there because that brings key agreement into a registration's download.
 */
export const kxKey = (owner: string) => `kx:${owner}`;

/** A key pair as agreement-keys.ts stores it (its own check is stricter; this one is enough). */
export function isPair(value: unknown): value is { publicKey: string; privateKey: CryptoKey } {
  const v = value as { publicKey?: unknown; privateKey?: unknown } | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.publicKey === 'string' &&
    v.privateKey instanceof CryptoKey
  );
}

/**
 * Stores `keys` as `owner`'s identity and key-agreement keys, with `escrow` if given. Another
 * tab's identity made first wins (`ours` false); key-agreement keys from before are kept (room
 * keys may be sealed to them), and the identity is then not exportable (`ours` false, no
 * escrow), since its file could not carry them.
 */
export async function storePortable(
  db: ParleyDb,
  owner: string,
  keys: HeldKeys,
  escrow?: IdentityEscrow,
): Promise<{ rec: IdentityRecord; ours: boolean }> {
  const rec: IdentityRecord = { owner, ...keys.identity, created: Date.now() };
  if (escrow) rec.escrow = escrow;
  const tx = db.transaction(['identities', 'kv'], 'readwrite');
  const identities = tx.objectStore('identities');
  const kv = tx.objectStore('kv');
  const theirs = await identities.get(owner);
  if (theirs) {
    await tx.done; // another tab made it first: theirs wins
    return { rec: theirs, ours: false };
  }
  const kx = kxKey(owner);
  const ours = !isPair(await kv.get(kx));
  if (ours) await kv.put(keys.agreement, kx);
  else delete rec.escrow;
  await identities.add(rec);
  await tx.done;
  return { rec, ours };
}

/**
 * A new identity for `owner`, stored unsealed, and what `sealStored` (identity-escrow.ts) seals
 * later: its keys and private bytes, when they are the account's (else the bytes are wiped).
 */
export async function madePortable(
  db: ParleyDb,
  owner: string,
): Promise<{ rec: IdentityRecord; toSeal?: { keys: HeldKeys; secrets: KeySecrets } }> {
  const { secrets, ...keys } = await createPortableKeys();
  try {
    const { rec, ours } = await storePortable(db, owner, keys);
    if (ours) return { rec, toSeal: { keys, secrets } };
    wipeSecrets(secrets);
    return { rec };
  } catch (err) {
    wipeSecrets(secrets);
    throw err;
  }
}
