/**
 * Password hashing with WebCrypto: PBKDF2-SHA256, 600,000 iterations (OWASP's 2023 figure),
 * a 16-byte random salt per account, a 32-byte derived key. The password itself is never kept.
 */

/** Iterations for new accounts. Stored per account, so it can be raised later. */
export const PBKDF2_ITERATIONS = 600_000;
/** Salt length in bytes. */
export const SALT_BYTES = 16;
const HASH_BITS = 256;

/** A fresh random salt. */
export function newSalt(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(SALT_BYTES));
}

/** Derives the PBKDF2-SHA256 hash of `password` with `salt`. */
export async function hashPassword(
  password: string,
  salt: Uint8Array,
  iterations: number = PBKDF2_ITERATIONS,
): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(password.normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    key,
    HASH_BITS,
  );
  return new Uint8Array(bits);
}

/** Compares two byte strings in time independent of where they differ. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
