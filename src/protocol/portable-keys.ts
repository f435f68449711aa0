/**
 * Identity and key-agreement keys that can be moved to another browser, sealed (see
 * `identity-file.ts`). Every other key of Parley is made non-extractable and never leaves its
 * CryptoKey; these are made extractable exactly once, their private halves copied out as
 * PKCS#8 bytes for sealing, and then imported again as non-extractable CryptoKeys for daily
 * use — so what signs and agrees keys in a running chat can no more be read than before. The
 * PKCS#8 bytes exist only in memory, only until they are sealed, and are overwritten after.
 *
 * Going the other way, {@link keysFromSecrets} takes PKCS#8 bytes (from an opened file), works
 * out each public key from the private one and refuses bytes that do not give the public keys
 * the file claims, so a file cannot show one identity and install another.
 */
import { toBase64Url, fromBase64Url } from './encoding.js';
import { identityIdOf, type Identity, type IdentityAlgorithm } from './identity.js';
import type { AgreementAlgorithm, AgreementKeys } from './key-agreement.js';

/** The private halves of an identity and its key-agreement key, as PKCS#8 bytes. */
export interface KeySecrets {
  signing: { alg: IdentityAlgorithm; pkcs8: Uint8Array<ArrayBuffer> };
  agreement: { alg: AgreementAlgorithm; pkcs8: Uint8Array<ArrayBuffer> };
}

/** An identity and key-agreement key pair in daily-use form (non-extractable private keys). */
export interface HeldKeys {
  identity: Identity;
  agreement: AgreementKeys;
}

const SIGNING = {
  ed25519: { algo: { name: 'Ed25519' }, crv: 'Ed25519' },
  p256: { algo: { name: 'ECDSA', namedCurve: 'P-256' }, crv: 'P-256' },
} as const;
const AGREEING = {
  x25519: { algo: { name: 'X25519' }, crv: 'X25519' },
  p256: { algo: { name: 'ECDH', namedCurve: 'P-256' }, crv: 'P-256' },
} as const;

/** Longest PKCS#8 text accepted (an Ed25519 or X25519 key is 48 bytes, P-256 at most ~140). */
export const MAX_PKCS8_BYTES = 256;

/** The raw public key of a JWK: `x` for the Edwards/Montgomery curves, 04‖x‖y for P-256. */
function rawPublicOf(jwk: JsonWebKey): Uint8Array | undefined {
  const x = jwk.x ? fromBase64Url(jwk.x) : undefined;
  if (!x) return undefined;
  if (jwk.kty === 'OKP') return x;
  const y = jwk.y ? fromBase64Url(jwk.y) : undefined;
  if (jwk.kty !== 'EC' || !y) return undefined;
  return new Uint8Array([4, ...x, ...y]);
}

/** A non-extractable private key from PKCS#8, and its public key's text. */
async function fromPkcs8(
  tag: string,
  algo: AlgorithmIdentifier | EcKeyImportParams,
  crv: string,
  pkcs8: Uint8Array<ArrayBuffer>,
  usages: KeyUsage[],
): Promise<{ privateKey: CryptoKey; publicKey: string }> {
  if (pkcs8.length > MAX_PKCS8_BYTES) throw new Error('key too long');
  // Extractable only here, to read the public half off the private one; dropped at once.
  const open = await crypto.subtle.importKey('pkcs8', pkcs8, algo, true, usages);
  const jwk = await crypto.subtle.exportKey('jwk', open);
  const raw = jwk.crv === crv ? rawPublicOf(jwk) : undefined;
  if (!raw) throw new Error('not a key of its algorithm');
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, algo, false, usages);
  return { privateKey, publicKey: `${tag}:${toBase64Url(raw)}` };
}

/**
 * The daily-use keys of `secrets`: non-extractable, with the public keys worked out from the
 * private ones. Throws when the bytes are not keys of their algorithms.
 */
export async function keysFromSecrets(secrets: KeySecrets): Promise<HeldKeys> {
  const s = SIGNING[secrets.signing.alg];
  const a = AGREEING[secrets.agreement.alg];
  const signing = await fromPkcs8(secrets.signing.alg, s.algo, s.crv, secrets.signing.pkcs8, [
    'sign',
  ]);
  const agreeing = await fromPkcs8(secrets.agreement.alg, a.algo, a.crv, secrets.agreement.pkcs8, [
    'deriveBits',
  ]);
  return {
    identity: {
      alg: secrets.signing.alg,
      privateKey: signing.privateKey,
      publicKey: signing.publicKey,
      id: await identityIdOf(signing.publicKey),
    },
    agreement: { alg: secrets.agreement.alg, ...agreeing },
  };
}

/** A fresh extractable pair of the first algorithm this runtime has; its PKCS#8 bytes. */
async function generate<T extends string>(
  order: readonly T[],
  params: Record<T, { algo: AlgorithmIdentifier | EcKeyGenParams }>,
  usages: KeyUsage[],
): Promise<{ alg: T; pkcs8: Uint8Array<ArrayBuffer> }> {
  let lastError: unknown;
  for (const alg of order) {
    try {
      const pair = (await crypto.subtle.generateKey(
        params[alg].algo,
        true,
        usages,
      )) as CryptoKeyPair;
      return {
        alg,
        pkcs8: new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey)),
      };
    } catch (err) {
      lastError = err; // this runtime lacks the algorithm: try the next
    }
  }
  throw lastError;
}

/**
 * A new identity and key-agreement key pair that can be sealed for export: the daily-use keys
 * (non-extractable) and the private halves' bytes, which the caller seals and then wipes with
 * {@link wipeSecrets}.
 */
export async function createPortableKeys(): Promise<HeldKeys & { secrets: KeySecrets }> {
  const signing = await generate(['ed25519', 'p256'] as const, SIGNING, ['sign', 'verify']);
  const agreement = await generate(['x25519', 'p256'] as const, AGREEING, ['deriveBits']);
  const secrets: KeySecrets = { signing, agreement };
  return { ...(await keysFromSecrets(secrets)), secrets };
}

/** Overwrites the private bytes once they are sealed (the CryptoKeys keep working). */
export function wipeSecrets(secrets: KeySecrets): void {
  secrets.signing.pkcs8.fill(0);
  secrets.agreement.pkcs8.fill(0);
}
