/**
 * Each account's identity key pair in IndexedDB: found, or made on first need — at the
 * account's creation, or at the next login of an account older than identities. The private
 * key is stored as a non-extractable CryptoKey, so even code that reads the database cannot
 * copy it out (it can still use it while it runs in this origin).
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

/** The identity of account `owner`, made and stored if it has none yet. */
export async function identityFor(db: ParleyDb, owner: string): Promise<Identity> {
  const found = await db.get('identities', owner);
  if (found) return found;
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

/** The public part of an identity. */
export function publicPart(identity: Pick<Identity, 'id' | 'publicKey'>): PublicIdentity {
  return { id: identity.id, publicKey: identity.publicKey };
}
