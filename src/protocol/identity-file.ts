/**
 * The sealed identity file, `parley-identity-sealed/1`: how a person carries their identity
 * (signing key and key-agreement key) to another browser or origin. JSON, so people can see
 * what it is; its header — the name, both public keys, the safety code and how the seal was
 * made — is readable without the passphrase, so the importing screen can say whose identity it
 * is before asking for it. The private keys are in `sealed` only: AES-256-GCM under a key
 * derived from the passphrase with PBKDF2-SHA-256 (600,000 iterations, a 16-byte salt; the
 * count is in the file, bounded on reading so a file cannot make us hash for minutes), with the
 * whole header as associated data, so changing any word of it (another name, another key)
 * makes the seal refuse to open.
 *
 * Reading is strict: at most {@link MAX_IDENTITY_FILE_BYTES}, every field checked (valibot),
 * the safety code must be the public key's, and the opened private keys must give exactly the
 * public keys of the header. A wrong passphrase and a doctored seal look the same to AES-GCM,
 * so both are told as "the passphrase does not open this file"; everything else as "changed".
 *
 * The same seal (without the file around it) keeps an account's exportable keys in IndexedDB
 * under its password: see `store/identities.ts`.
 */
import * as v from 'valibot';
import { fromBase64Url, toBase64Url } from './encoding.js';
import { UserNameSchema } from './fields.js';
import { canonicalJson, isPublicKey, safetyCode } from './identity.js';
import { isAgreementKey } from './key-agreement.js';
import {
  keysFromSecrets,
  MAX_PKCS8_BYTES,
  type HeldKeys,
  type KeySecrets,
} from './portable-keys.js';

/** The format's name and version, the file's first field. */
export const SEALED_IDENTITY_FORMAT = 'parley-identity-sealed/1';
/** Largest file read (a real one is about 1 KB). */
export const MAX_IDENTITY_FILE_BYTES = 8 * 1024;
/** PBKDF2 iterations of a new seal: the account passwords' figure (store/passwords.ts). */
export const SEAL_ITERATIONS = 600_000;
/** Fewest and most iterations a file may ask for: weaker is refused, dearer is a trap. */
export const MIN_SEAL_ITERATIONS = 100_000;
export const MAX_SEAL_ITERATIONS = 5_000_000;
/** Shortest passphrase for a file. */
export const MIN_FILE_PASSPHRASE = 12;
/** Longest passphrase (bounds hashing work, as for passwords). */
export const MAX_FILE_PASSPHRASE = 1024;

const SALT_BYTES = 16;
const IV_BYTES = 12;
const encoder = new TextEncoder();

/** base64url text of exactly `bytes` bytes. */
const b64 = (bytes: number) =>
  v.pipe(
    v.string(),
    v.check((s) => fromBase64Url(s)?.length === bytes, `must be ${bytes} bytes of base64url`),
  );

/** A seal: PBKDF2 parameters, the AES-GCM IV and the ciphertext (all base64url). */
export const SealSchema = v.strictObject({
  kdf: v.strictObject({
    name: v.literal('PBKDF2'),
    hash: v.literal('SHA-256'),
    iterations: v.pipe(
      v.number(),
      v.integer(),
      v.minValue(MIN_SEAL_ITERATIONS),
      v.maxValue(MAX_SEAL_ITERATIONS),
    ),
    salt: b64(SALT_BYTES),
  }),
  cipher: v.strictObject({ name: v.literal('AES-GCM'), iv: b64(IV_BYTES) }),
  sealed: v.pipe(v.string(), v.maxLength(2048)),
});
/** A seal as stored or sent. */
export type Seal = v.InferOutput<typeof SealSchema>;

/** The sealed file. */
export const IdentityFileSchema = v.strictObject({
  format: v.literal(SEALED_IDENTITY_FORMAT),
  name: UserNameSchema,
  publicKey: v.pipe(
    v.string(),
    v.check((s: string) => isPublicKey(s), 'not an identity key'),
  ),
  agreementKey: v.pipe(
    v.string(),
    v.check((s: string) => isAgreementKey(s), 'not a key-agreement key'),
  ),
  safetyCode: v.pipe(v.string(), v.regex(/^\d{5}( \d{5}){5}$/)),
  ...SealSchema.entries,
});
/** A sealed identity file, checked. */
export type IdentityFile = v.InferOutput<typeof IdentityFileSchema>;

/** What is inside a seal, once opened. */
const SecretsSchema = v.strictObject({
  signing: v.strictObject({
    alg: v.picklist(['ed25519', 'p256']),
    pkcs8: v.pipe(v.string(), v.maxLength(MAX_PKCS8_BYTES * 2)),
  }),
  agreement: v.strictObject({
    alg: v.picklist(['x25519', 'p256']),
    pkcs8: v.pipe(v.string(), v.maxLength(MAX_PKCS8_BYTES * 2)),
  }),
});

/** Why a file was not taken, in words fit to show. */
export class IdentityFileError extends Error {
  constructor(
    readonly reason: 'unreadable' | 'changed' | 'wrong-passphrase',
    message: string,
  ) {
    super(message);
  }
}

async function derive(secret: string, salt: Uint8Array<ArrayBuffer>, iterations: number) {
  const base = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret.normalize('NFC')),
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
  const key = await derive(secret.slice(0, MAX_FILE_PASSPHRASE), salt, seal.kdf.iterations);
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(plain));
  } catch {
    parsed = undefined;
  } finally {
    plain.fill(0);
  }
  const inner = v.safeParse(SecretsSchema, parsed);
  const signing = inner.success ? fromBase64Url(inner.output.signing.pkcs8) : undefined;
  const agreement = inner.success ? fromBase64Url(inner.output.agreement.pkcs8) : undefined;
  if (!inner.success || !signing || !agreement) throw changed();
  return {
    signing: { alg: inner.output.signing.alg, pkcs8: signing },
    agreement: { alg: inner.output.agreement.alg, pkcs8: agreement },
  };
}

function changed(): IdentityFileError {
  return new IdentityFileError(
    'changed',
    'This identity file was changed after it was made: it was not imported.',
  );
}

/** The associated data of a file's seal: its whole header, canonically encoded. */
function headerOf(file: Omit<IdentityFile, 'sealed' | 'kdf' | 'cipher'>) {
  return (seal: Omit<Seal, 'sealed'>) =>
    canonicalJson({
      format: SEALED_IDENTITY_FORMAT,
      name: file.name,
      publicKey: file.publicKey,
      agreementKey: file.agreementKey,
      safetyCode: file.safetyCode,
      ...seal,
    });
}

/**
 * The sealed file of `keys` (whose private halves are `secrets`), for the person called `name`,
 * under `passphrase`, as the text to save.
 */
export async function writeIdentityFile(
  name: string,
  keys: { publicKey: string; agreementKey: string },
  secrets: KeySecrets,
  passphrase: string,
): Promise<string> {
  // A file this version could not read back is never written.
  if (!v.is(UserNameSchema, name)) throw new Error(`"${name}" cannot name an identity file.`);
  const header = {
    format: SEALED_IDENTITY_FORMAT,
    name,
    publicKey: keys.publicKey,
    agreementKey: keys.agreementKey,
    safetyCode: await safetyCode(keys.publicKey),
  } as const;
  const seal = await sealSecrets(secrets, passphrase, headerOf(header));
  return `${JSON.stringify({ ...header, ...seal }, null, 2)}\n`;
}

/**
 * Reads a file's header, without the passphrase: what the import screen shows. Throws
 * {@link IdentityFileError} when it is not a sealed identity file of this version, or its
 * safety code is not its key's.
 */
export async function readIdentityFile(text: string): Promise<IdentityFile> {
  if (text.length > MAX_IDENTITY_FILE_BYTES)
    throw new IdentityFileError('unreadable', 'This file is too large to be an identity file.');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = v.safeParse(IdentityFileSchema, json);
  if (!parsed.success) {
    const format = (json as { format?: unknown } | undefined)?.format;
    throw new IdentityFileError(
      typeof format === 'string' && format.startsWith('parley-identity') ? 'changed' : 'unreadable',
      typeof format === 'string' && format.startsWith('parley-identity')
        ? 'This identity file was changed or is of another version: it was not imported.'
        : 'This is not a sealed Parley identity file.',
    );
  }
  if ((await safetyCode(parsed.output.publicKey)) !== parsed.output.safetyCode) throw changed();
  return parsed.output;
}

/**
 * Opens a file read by {@link readIdentityFile} with its passphrase: the daily-use keys
 * (non-extractable) and the private bytes (for the caller to seal again, then wipe). Throws
 * {@link IdentityFileError} for a wrong passphrase or keys that are not the header's.
 */
export async function openIdentityFile(
  file: IdentityFile,
  passphrase: string,
): Promise<HeldKeys & { secrets: KeySecrets }> {
  const secrets = await openSeal(file, passphrase, headerOf(file));
  let keys: HeldKeys;
  try {
    keys = await keysFromSecrets(secrets);
  } catch {
    throw changed();
  }
  if (keys.identity.publicKey !== file.publicKey || keys.agreement.publicKey !== file.agreementKey)
    throw changed();
  return { ...keys, secrets };
}
