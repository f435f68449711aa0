/**
 * A bot's identity kept in a key file: made on first run (Ed25519), written with mode 0600 so
 * only its owner can read it, and refused when anyone else can — a key others can read is a
 * key others can sign with. Once read, the private key lives in a non-extractable WebCrypto
 * key: the file is the one place its bytes exist.
 *
 * The file is JSON: `{ "format": "parley-identity/1", "alg", "publicKey", "privateKey" }`,
 * the private key as base64url PKCS #8.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { fromBase64Url, toBase64Url } from '../protocol/encoding.js';
import {
  identityIdOf,
  isPublicKey,
  SignaturePurposes,
  sign,
  verify,
  type Identity,
  type IdentityAlgorithm,
} from '../protocol/identity.js';

/** The format tag inside every key file. */
export const KEY_FILE_FORMAT = 'parley-identity/1';

/** Largest key file read (a real one is about 250 bytes). */
const MAX_KEY_FILE = 4096;

const ALGS = {
  ed25519: { name: 'Ed25519' },
  p256: { name: 'ECDSA', namedCurve: 'P-256' },
} as const;

/** Why a key file cannot be used; `code` for programs, the message for people. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
  constructor(
    readonly code: 'exposed' | 'unreadable' | 'malformed',
    message: string,
  ) {
    super(message);
  }
}

/** The identity in the key file at `path`, made (and the file written, mode 0600) if absent. */
export async function loadOrCreateIdentity(path: string): Promise<Identity> {
  try {
    return await loadIdentity(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  try {
    return await createKeyFile(path);
  } catch (err) {
    // Another process made it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadIdentity(path);
    throw err;
  }
}

/**
 * Makes a new identity and writes it to `path`, which must not exist: created with mode 0600
 * in one step (never a moment readable by others), then the identity is read back from it.
 */
export async function createKeyFile(path: string): Promise<Identity> {
  const pair = (await crypto.subtle.generateKey(ALGS.ed25519, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const text = JSON.stringify({
    format: KEY_FILE_FORMAT,
    alg: 'ed25519',
    publicKey: `ed25519:${toBase64Url(raw)}`,
    privateKey: toBase64Url(pkcs8),
  });
  const handle = await open(path, 'wx', 0o600);
  try {
    // The umask can only take bits away; this makes sure none was added either.
    await handle.chmod(0o600);
    await handle.writeFile(`${text}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return loadIdentity(path);
}

/**
 * The identity in the key file at `path`. Refused (a {@link KeyFileError} saying why) when the
 * file is readable or writable by anyone but its owner, is not a key file, or its two halves do
 * not belong together; a missing file rejects with Node's `ENOENT` error.
 */
export async function loadIdentity(path: string): Promise<Identity> {
  // Opened once, never through a symbolic link, and every check made on that open file: a path
  // swapped between a check and a read cannot hand us someone else's key.
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    if ((err as { code?: string }).code === 'ELOOP') {
      throw new KeyFileError('unreadable', `refusing the key file ${path}: it is a symbolic link`);
    }
    throw err; // ENOENT: the caller makes a new identity
  }
  let text: string;
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new KeyFileError('unreadable', `${path} is not a file`);
    const uid = process.getuid?.();
    if (uid !== undefined && info.uid !== uid) {
      throw new KeyFileError(
        'exposed',
        `refusing the key file ${path}: it belongs to another user (uid ${info.uid}), who could ` +
          `sign as this bot. Use a key file of your own.`,
      );
    }
    const loose = info.mode & 0o077;
    if (loose !== 0) {
      const octal = (info.mode & 0o777).toString(8).padStart(3, '0');
      throw new KeyFileError(
        'exposed',
        `refusing the key file ${path}: its mode is ${octal}, so users other than its owner ` +
          `can read or change it and could sign as this bot. Run \`chmod 600 ${path}\` if nobody ` +
          `else has read it, or delete it to make a new identity.`,
      );
    }
    if (info.size > MAX_KEY_FILE) throw new KeyFileError('malformed', `${path} is not a key file`);
    text = await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
  let parsed: { format?: unknown; alg?: unknown; publicKey?: unknown; privateKey?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new KeyFileError('malformed', `${path} is not a key file (not JSON)`);
  }
  const { format, alg, publicKey, privateKey } = parsed ?? {};
  if (
    format !== KEY_FILE_FORMAT ||
    (alg !== 'ed25519' && alg !== 'p256') ||
    !isPublicKey(publicKey) ||
    !publicKey.startsWith(`${alg}:`) ||
    typeof privateKey !== 'string'
  ) {
    throw new KeyFileError('malformed', `${path} is not a ${KEY_FILE_FORMAT} key file`);
  }
  const pkcs8 = fromBase64Url(privateKey);
  let key: CryptoKey;
  try {
    if (!pkcs8) throw new Error('not base64url');
    // Non-extractable: from here on the private key cannot be read out of the process's keys.
    key = await crypto.subtle.importKey('pkcs8', pkcs8, ALGS[alg], false, ['sign']);
  } catch {
    throw new KeyFileError('malformed', `${path} holds no usable private key`);
  }
  const identity = await pairedIdentity(alg, key, publicKey);
  if (!identity) {
    throw new KeyFileError('malformed', `${path}: its private key does not match its public key`);
  }
  return identity;
}

/** The identity of `privateKey` and `publicKey`, if one signs what the other verifies. */
async function pairedIdentity(
  alg: IdentityAlgorithm,
  privateKey: CryptoKey,
  publicKey: string,
): Promise<Identity | undefined> {
  const probe = ['key-file check', publicKey];
  const sig = await sign({ alg, privateKey }, SignaturePurposes.envelope, probe);
  if (!(await verify(publicKey, SignaturePurposes.envelope, probe, sig))) return undefined;
  return { alg, privateKey, publicKey, id: await identityIdOf(publicKey) };
}
