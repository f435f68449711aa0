/**
 * Whether two profiles are the same account with the same identity: an identity imported into
 * an account ("Import identity") keeps the account and changes its keys, so a desk that holds
 * the old keys must start again with the new ones.
 */
import type { Profile } from '../../store/accounts.js';

/** `a` and `b` are one account with one identity key (both known, or both not yet). */
export function sameAccount(a: Profile, b: Profile | undefined): boolean {
  return a.id === b?.id && a.identity?.publicKey === b.identity?.publicKey;
}
