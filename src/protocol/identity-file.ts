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
 * The seal itself is `identity-seal.ts`; the same seal, without the file around it, keeps an
 * account's exportable keys in IndexedDB under its password (`store/identity-escrow.ts`).
 */
import * as v from 'valibot';
import { fromBase64Url } from './encoding.js';
import { UserNameSchema } from './fields.js';
import { canonicalJson, isPublicKey, safetyCode } from './identity.js';
import { isAgreementKey } from './key-agreement.js';
import {
  changed,
  IdentityFileError,
  MAX_FILE_PASSPHRASE,
  openSeal,
  SEAL_ITERATIONS,
  sealSecrets,
  type Seal,
} from './identity-seal.js';
import { keysFromSecrets, type HeldKeys, type KeySecrets } from './portable-keys.js';

/** The format's name and version, the file's first field. */
export const SEALED_IDENTITY_FORMAT = 'parley-identity-sealed/1';
/** Largest file read (a real one is about 1 KB). */
export const MAX_IDENTITY_FILE_BYTES = 8 * 1024;
/** Fewest iterations a file may ask for: a weaker seal is refused. */
export const MIN_SEAL_ITERATIONS = 100_000;
/** Most iterations a file may ask for: a dearer one would be a trap (minutes of hashing). */
export const MAX_SEAL_ITERATIONS = 5_000_000;
/** Shortest passphrase for a file. */
export const MIN_FILE_PASSPHRASE = 12;

const SALT_BYTES = 16;
const IV_BYTES = 12;

export { IdentityFileError, MAX_FILE_PASSPHRASE, openSeal, SEAL_ITERATIONS, sealSecrets };
export type { Seal };

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
