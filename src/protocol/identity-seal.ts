/**
 * The seal of an identity's private keys (signing and key agreement), under a secret a person
 * knows: AES-256-GCM with a key derived from the secret by PBKDF2-SHA-256 (600,000 iterations,
 * a 16-byte salt), bound by associated data to what it is kept for. The sealed identity file
 * (`identity-file.ts`) wraps it with a readable header; an account keeps one under its password
 * (`store/identity-escrow.ts`). No schema library here: a registration loads this, and what it
 * opens is checked field by field.
 */
import { fromBase64Url, toBase64Url } from './encoding.js';
import { MAX_PKCS8_BYTES, type KeySecrets } from './portable-keys.js';

/** PBKDF2 iterations of a new seal: the account passwords' figure (store/passwords.ts). */
export const SEAL_ITERATIONS = 600_000;
/** Longest secret used (bounds hashing work, as for passwords); longer ones are cut here. */
export const MAX_FILE_PASSPHRASE = 1024;

const SALT_BYTES = 16;
const IV_BYTES = 12;
const encoder = new TextEncoder();

/** A seal: PBKDF2 parameters, the AES-GCM IV and the ciphertext (all base64url). */
export interface Seal {
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
  cipher: { name: 'AES-GCM'; iv: string };
  sealed: string;
}

/** Why a file or seal was not taken, in words fit to show. */
export class IdentityFileError extends Error {
  constructor(
    readonly reason: 'unreadable' | 'changed' | 'wrong-passphrase',
    message: string,
  ) {
    super(message);
  }
}

/** The error for a file (or seal) whose contents are not what was sealed. */
export function changed(): IdentityFileError {
  return new IdentityFileError(
    'changed',
    'This identity file was changed after it was made: it was not imported.',
  );
}

async function derive(secret: string, salt: Uint8Array<ArrayBuffer>, iterations: number) {
  const base = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret.slice(0, MAX_FILE_PASSPHRASE).normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/**
 * Seals `secrets` under `secret` (a passphrase or password); `bound` is what the seal is bound
 * to (associated data: the file's header, or the account and keys it is kept for).
 */
export async function sealSecrets(
  secrets: KeySecrets,
  secret: string,
  bound: (seal: Omit<Seal, 'sealed'>) => string,
  iterations = SEAL_ITERATIONS,
): Promise<Seal> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const head: Omit<Seal, 'sealed'> = {
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: toBase64Url(salt) },
    cipher: { name: 'AES-GCM', iv: toBase64Url(iv) },
  };
  const plain = encoder.encode(
    JSON.stringify({
      signing: { alg: secrets.signing.alg, pkcs8: toBase64Url(secrets.signing.pkcs8) },
      agreement: { alg: secrets.agreement.alg, pkcs8: toBase64Url(secrets.agreement.pkcs8) },
    }),
  );
  const key = await derive(secret, salt, iterations);
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(bound(head)) },
    key,
    plain,
  );
  plain.fill(0);
  return { ...head, sealed: toBase64Url(new Uint8Array(ct)) };
}

/** PKCS#8 bytes of `alg` among `algs` from what a seal held, or undefined. */
function keyOf<A extends string>(
  part: unknown,
  algs: readonly A[],
): { alg: A; pkcs8: Uint8Array<ArrayBuffer> } | undefined {
  const p = part as { alg?: unknown; pkcs8?: unknown } | null;
  if (typeof p !== 'object' || p === null || Object.keys(p).length !== 2) return undefined;
  if (!algs.includes(p.alg as A) || typeof p.pkcs8 !== 'string') return undefined;
  if (p.pkcs8.length > MAX_PKCS8_BYTES * 2) return undefined;
  const pkcs8 = fromBase64Url(p.pkcs8);
  return pkcs8 && { alg: p.alg as A, pkcs8 };
}

/**
 * Opens a seal with `secret`. Throws {@link IdentityFileError} `wrong-passphrase` when it does
 * not open (a wrong secret, or a changed seal or header), `changed` when what it holds is not
 * keys.
 */
export async function openSeal(
  seal: Seal,
  secret: string,
  bound: (seal: Omit<Seal, 'sealed'>) => string,
): Promise<KeySecrets> {
  const salt = fromBase64Url(seal.kdf.salt);
  const iv = fromBase64Url(seal.cipher.iv);
  const ct = fromBase64Url(seal.sealed);
  if (!salt || !iv || !ct) throw changed();
  const key = await derive(secret, salt, seal.kdf.iterations);
  let plain: Uint8Array;
  try {
    const head = { kdf: seal.kdf, cipher: seal.cipher };
    plain = new Uint8Array(
      await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(bound(head)) },
        key,
        ct,
      ),
    );
  } catch {
    throw new IdentityFileError(
      'wrong-passphrase',
      'That passphrase does not open this file (or the file was changed).',
    );
  }
  let parsed: { signing?: unknown; agreement?: unknown } | undefined;
  try {
    parsed = JSON.parse(new TextDecoder().decode(plain)) as typeof parsed;
  } catch {
    parsed = undefined;
  } finally {
    plain.fill(0);
  }
  const signing = keyOf(parsed?.signing, ['ed25519', 'p256'] as const);
  const agreement = keyOf(parsed?.agreement, ['x25519', 'p256'] as const);
  if (!signing || !agreement || Object.keys(parsed!).length !== 2) throw changed();
  return { signing, agreement };
}
