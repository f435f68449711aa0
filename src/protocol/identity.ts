/**
 * Identity keys and signatures, the same code in the browser and on the server (WebCrypto in
 * both). An identity is a key pair whose private half is used as a non-extractable `CryptoKey`
 * (one made exportable is extractable once, and its bytes are sealed at once: see
 * `portable-keys.ts` and `identity-file.ts`); its public half travels as text
 * (`ed25519:<base64url>`, or `p256:<base64url>` where a browser lacks Ed25519), and the network
 * id of its owner is a hash of that text, so nobody can claim an id without the key behind it.
 *
 * Why Ed25519 first: 32-byte keys, 64-byte deterministic signatures, and in Chromium's WebCrypto
 * about as fast as ECDSA P-256 (sign ≈ 65 vs 78 µs, verify ≈ 115 vs 123 µs); P-256 remains for
 * browsers that do not have it, and both verify everywhere Parley runs.
 *
 * Every signature covers a purpose tag and a canonical encoding of the fields it vouches for,
 * so a signature made for one purpose (a message, a join) never passes for another.
 */
import { fromBase64Url, toBase64Url } from './encoding.js';

/** The signature algorithms an identity may use. */
export type IdentityAlgorithm = 'ed25519' | 'p256';

/** An identity we hold: the private key (never extractable) and what others see of it. */
export interface Identity {
  alg: IdentityAlgorithm;
  privateKey: CryptoKey;
  /** The public key as it travels: `ed25519:<base64url>` or `p256:<base64url>`. */
  publicKey: string;
  /** The network id derived from `publicKey` (see {@link identityIdOf}). */
  id: string;
}

/** What each signature vouches for; part of what is signed. */
export const SignaturePurposes = {
  envelope: 'parley/envelope/1',
  join: 'parley/join/1',
  signal: 'parley/signal/1',
  /** 1.4: a member's own word that it is here (`chat:here`, see `presence-proof.ts`). */
  here: 'parley/here/1',
  /** 1.4: a receipt (`chat:ack`), so only its signer can say it stored our messages. */
  ack: 'parley/ack/1',
  /** 1.4: a typing notice (`chat:typing`). */
  typing: 'parley/typing/1',
} as const;
/** One of {@link SignaturePurposes}. */
export type SignaturePurpose = (typeof SignaturePurposes)[keyof typeof SignaturePurposes];

const PARAMS = {
  ed25519: { gen: { name: 'Ed25519' }, sign: { name: 'Ed25519' }, rawLength: 32 },
  p256: {
    gen: { name: 'ECDSA', namedCurve: 'P-256' },
    sign: { name: 'ECDSA', hash: 'SHA-256' },
    rawLength: 65,
  },
} as const;

/** Characters of an identity id (base64url of SHA-256, 132 bits). */
export const IDENTITY_ID_LENGTH = 22;

const encoder = new TextEncoder();

/**
 * Makes a fresh identity: Ed25519 where WebCrypto has it, else ECDSA P-256. Its private key can
 * never be exported (for one that can, sealed, see `createPortableKeys` in `portable-keys.ts`).
 */
export async function createIdentity(prefer: IdentityAlgorithm = 'ed25519'): Promise<Identity> {
  const order: IdentityAlgorithm[] = prefer === 'ed25519' ? ['ed25519', 'p256'] : ['p256'];
  let lastError: unknown;
  for (const alg of order) {
    try {
      const pair = (await crypto.subtle.generateKey(PARAMS[alg].gen, false, [
        'sign',
        'verify',
      ])) as CryptoKeyPair;
      // The public half of a pair is always exportable; the private half here never is.
      const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
      const publicKey = `${alg}:${toBase64Url(raw)}`;
      return { alg, privateKey: pair.privateKey, publicKey, id: await identityIdOf(publicKey) };
    } catch (err) {
      lastError = err; // this browser lacks the algorithm: try the next
    }
  }
  throw lastError;
}

/** The algorithm and raw bytes of a public key's text, or undefined when it is not one. */
function parsePublicKey(
  text: unknown,
): { alg: IdentityAlgorithm; raw: Uint8Array<ArrayBuffer> } | undefined {
  if (typeof text !== 'string' || text.length > 128) return undefined;
  const colon = text.indexOf(':');
  const alg = text.slice(0, colon);
  if (alg !== 'ed25519' && alg !== 'p256') return undefined;
  const encoded = text.slice(colon + 1);
  const raw = fromBase64Url(encoded);
  if (raw?.length !== PARAMS[alg].rawLength) return undefined;
  // One key, one text: spare bits set in the last character would give the same key another
  // text, and so another id and safety code.
  return toBase64Url(raw) === encoded ? { alg, raw } : undefined;
}

/** Whether `text` is a public key's text this version can verify with. */
export function isPublicKey(text: unknown): text is string {
  return parsePublicKey(text) !== undefined;
}

/**
 * The network id of the holder of `publicKey`: the first 22 characters of the base64url
 * SHA-256 of its text. Self-certifying: whoever shows the key shows the id.
 */
export async function identityIdOf(publicKey: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(publicKey));
  return toBase64Url(new Uint8Array(digest)).slice(0, IDENTITY_ID_LENGTH);
}

// Imported keys by their text: verifying a whole catch-up page imports each author once.
const imported = new Map<string, Promise<CryptoKey | undefined>>();
const MAX_IMPORTED = 1024;

function importPublicKey(text: string): Promise<CryptoKey | undefined> {
  let key = imported.get(text);
  if (!key) {
    const parsed = parsePublicKey(text);
    key = parsed
      ? crypto.subtle
          .importKey('raw', parsed.raw, PARAMS[parsed.alg].gen, false, ['verify'])
          .catch(() => undefined) // not a point on the curve
      : Promise.resolve(undefined);
    if (imported.size >= MAX_IMPORTED) imported.delete(imported.keys().next().value!);
    imported.set(text, key);
  }
  return key;
}

/**
 * JSON with object keys in sorted order at every depth, so the same value always encodes to
 * the same bytes whoever encodes it. Only for plain JSON values.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The bytes a signature covers: the purpose and the fields, canonically encoded. */
function signedBytes(
  purpose: SignaturePurpose,
  fields: readonly unknown[],
): Uint8Array<ArrayBuffer> {
  return encoder.encode(canonicalJson([purpose, ...fields]));
}

/** Signs `fields` for `purpose` with `identity`; the signature as base64url text. */
export async function sign(
  identity: Pick<Identity, 'alg' | 'privateKey'>,
  purpose: SignaturePurpose,
  fields: readonly unknown[],
): Promise<string> {
  const data = signedBytes(purpose, fields);
  const sig = await crypto.subtle.sign(PARAMS[identity.alg].sign, identity.privateKey, data);
  return toBase64Url(new Uint8Array(sig));
}

/**
 * What signs on an identity's behalf: its public key and id, and a way to sign with the
 * private key without handing the key itself around (transports and controllers get this).
 */
export interface Signer {
  /** The public key as it travels. */
  readonly publicKey: string;
  /** The network id derived from it. */
  readonly id: string;
  /** Signs `fields` for `purpose`; the signature as base64url text. */
  sign(purpose: SignaturePurpose, fields: readonly unknown[]): Promise<string>;
}

/** The {@link Signer} of an identity we hold. */
export function signerOf(identity: Identity): Signer {
  return {
    publicKey: identity.publicKey,
    id: identity.id,
    sign: (purpose, fields) => sign(identity, purpose, fields),
  };
}

// Network ids by key text, so checking every envelope of a page hashes each author once.
const ids = new Map<string, Promise<string>>();

/** Whether `publicKey`'s network id is `id` (each key is hashed once, then remembered). */
export async function isIdOf(id: string, publicKey: string): Promise<boolean> {
  let known = ids.get(publicKey);
  if (!known) {
    known = identityIdOf(publicKey);
    if (ids.size >= MAX_IMPORTED) ids.delete(ids.keys().next().value!);
    ids.set(publicKey, known);
  }
  return (await known) === id;
}

/**
 * Whether `signature` was made over `fields` for `purpose` by the holder of `publicKey`.
 * Never throws: anything malformed is simply not a valid signature.
 */
export async function verify(
  publicKey: string,
  purpose: SignaturePurpose,
  fields: readonly unknown[],
  signature: unknown,
): Promise<boolean> {
  const parsed = parsePublicKey(publicKey);
  const sig = typeof signature === 'string' ? fromBase64Url(signature) : undefined;
  if (!parsed || !sig || sig.length > 80) return false;
  const key = await importPublicKey(publicKey);
  if (!key) return false;
  try {
    return await crypto.subtle.verify(
      PARAMS[parsed.alg].sign,
      key,
      sig,
      signedBytes(purpose, fields),
    );
  } catch {
    return false;
  }
}

/**
 * A safety code people can compare out of band: 30 digits in six groups of five, from the
 * SHA-256 of the public key (each group from 5 bytes, modulo 100,000).
 */
export async function safetyCode(publicKey: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', encoder.encode(`parley/safety/1:${publicKey}`)),
  );
  const groups: string[] = [];
  for (let g = 0; g < 6; g++) {
    let n = 0;
    for (let i = 0; i < 5; i++) n = n * 256 + digest[g * 5 + i]!;
    groups.push(String(n % 100_000).padStart(5, '0'));
  }
  return groups.join(' ');
}
