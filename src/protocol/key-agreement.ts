/**
 * Key agreement for private rooms: how a new room key reaches each remaining member and nobody
 * else. Every identity holds a key-agreement key pair beside its signing key (X25519 where
 * WebCrypto has it, else ECDH P-256); its public half travels as text (`x25519:<base64url>` or
 * `p256:<base64url>`), announced in the room signed by the identity (see `room-roles.ts`).
 *
 * A room key is wrapped for one member as ECIES does it: an ephemeral key pair per rotation,
 * ECDH(ephemeral private, member's public) → HKDF-SHA-256, whose info binds the room, the
 * epoch, the member's id and both public keys (so a wrapped key moved to another member, room
 * or rotation no longer opens) → AES-256-GCM of the 32 raw bytes. The ephemeral private key is
 * dropped once the rotation is built. The same code runs in browsers and in Node (WebCrypto).
 */
import { fromBase64Url, toBase64Url } from './encoding.js';
import { canonicalJson } from './identity.js';
import { keyIdOf, KID_LENGTH } from './room-key.js';

/** The key-agreement algorithms a member may use. */
export type AgreementAlgorithm = 'x25519' | 'p256';

/** A key-agreement key pair we hold: the private key is never extractable. */
export interface AgreementKeys {
  alg: AgreementAlgorithm;
  privateKey: CryptoKey;
  /** The public key as it travels: `x25519:<base64url>` or `p256:<base64url>`. */
  publicKey: string;
}

/** One member's copy of a new room key. */
export interface WrappedKey {
  /** The member's identity id. */
  to: string;
  /** The 96-bit IV, base64url (16 characters). */
  iv: string;
  /** The AES-256-GCM ciphertext of the 32-byte key and its tag, base64url (64 characters). */
  ct: string;
}

/** What a wrapped key is bound to besides its recipient. */
export interface WrapContext {
  room: string;
  epoch: number;
  /**
   * Another use than a room's new key (a help-desk knock, `desk.ts`): its label and the
   * author it is bound to, in place of the rekey's label and epoch.
   */
  label?: string;
  author?: string;
}

/** Bytes of a room key. */
export const RAW_KEY_BYTES = 32;
/** Characters of a key id (see `room-key.ts`'s `keyIdOf`). */
export const KEY_ID_LENGTH = KID_LENGTH;
/** Characters of a wrapped key's IV (12 bytes, base64url). */
export const WRAPPED_IV_LENGTH = 16;
/** Characters of a wrapped key's ciphertext (32 bytes and a 16-byte tag, base64url). */
export const WRAPPED_CT_LENGTH = 64;
/** Longest key-agreement public key text. */
export const MAX_AGREEMENT_KEY = 100;

const PARAMS = {
  x25519: { gen: { name: 'X25519' }, rawLength: 32 },
  p256: { gen: { name: 'ECDH', namedCurve: 'P-256' }, rawLength: 65 },
} as const;

const encoder = new TextEncoder();
const AES = { name: 'AES-GCM', length: 256 } as const;

/** Makes a key-agreement key pair: X25519 where WebCrypto has it, else ECDH P-256. */
export async function createAgreementKeys(
  prefer: AgreementAlgorithm = 'x25519',
): Promise<AgreementKeys> {
  const order: AgreementAlgorithm[] = prefer === 'x25519' ? ['x25519', 'p256'] : ['p256'];
  let lastError: unknown;
  for (const alg of order) {
    try {
      const pair = (await crypto.subtle.generateKey(PARAMS[alg].gen, false, [
        'deriveBits',
      ])) as CryptoKeyPair;
      // The public half is always exportable; the private half here never is.
      const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
      return { alg, privateKey: pair.privateKey, publicKey: `${alg}:${toBase64Url(raw)}` };
    } catch (err) {
      lastError = err; // this runtime lacks the algorithm: try the next
    }
  }
  throw lastError;
}

/** The algorithm and raw bytes of a key-agreement key's text; undefined when it is not one. */
function parseAgreementKey(
  text: unknown,
): { alg: AgreementAlgorithm; raw: Uint8Array<ArrayBuffer> } | undefined {
  if (typeof text !== 'string' || text.length > MAX_AGREEMENT_KEY) return undefined;
  const colon = text.indexOf(':');
  const alg = text.slice(0, colon);
  if (alg !== 'x25519' && alg !== 'p256') return undefined;
  const encoded = text.slice(colon + 1);
  const raw = fromBase64Url(encoded);
  if (raw?.length !== PARAMS[alg].rawLength) return undefined;
  // One key, one text (spare bits zero), as for identity keys.
  return toBase64Url(raw) === encoded ? { alg, raw } : undefined;
}

/** Whether `text` is a key-agreement public key's text this version can use. */
export function isAgreementKey(text: unknown): text is string {
  return parseAgreementKey(text) !== undefined;
}

/** The algorithm of a key-agreement key's text (which must be one). */
export function agreementAlgorithmOf(text: string): AgreementAlgorithm | undefined {
  return parseAgreementKey(text)?.alg;
}

async function importAgreementKey(text: string): Promise<CryptoKey | undefined> {
  const parsed = parseAgreementKey(text);
  if (!parsed) return undefined;
  try {
    return await crypto.subtle.importKey('raw', parsed.raw, PARAMS[parsed.alg].gen, false, []);
  } catch {
    return undefined; // not a point on the curve
  }
}

/**
 * The AES key that wraps a room key for `to`: ECDH of `mine` with `theirs`, through HKDF whose
 * info binds the context, the recipient and both public keys. Undefined when the public key
 * is unusable (wrong curve, a point off it, a low-order point).
 */
async function wrappingKey(
  mine: Pick<AgreementKeys, 'alg' | 'privateKey'>,
  theirs: string,
  info: unknown[],
  usage: 'encrypt' | 'decrypt',
): Promise<CryptoKey | undefined> {
  const pub = await importAgreementKey(theirs);
  if (!pub || agreementAlgorithmOf(theirs) !== mine.alg) return undefined;
  try {
    const name = mine.alg === 'x25519' ? 'X25519' : 'ECDH';
    const shared = await crypto.subtle.deriveBits({ name, public: pub }, mine.privateKey, 256);
    const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
    return await crypto.subtle.deriveKey(
      {
        name: 'HKDF',
        hash: 'SHA-256',
        salt: new Uint8Array(32),
        info: encoder.encode(canonicalJson(info)),
      },
      ikm,
      AES,
      false,
      [usage],
    );
  } catch {
    return undefined;
  }
}

/** What the HKDF info of one wrapped key binds. */
function infoOf(ctx: WrapContext, to: string, eph: string, recipient: string): unknown[] {
  if (ctx.label !== undefined) return [ctx.label, ctx.room, ctx.author ?? '', to, eph, recipient];
  return ['parley/rekey/1', ctx.room, ctx.epoch, to, eph, recipient];
}

/**
 * `raw` (a 32-byte room key) wrapped for each of `recipients` (identity id and announced
 * key-agreement key). One ephemeral key pair per algorithm among the recipients; its public
 * halves are `eph`. Recipients whose key is unusable are left out and named in `skipped`.
 */
export async function wrapRoomKey(
  raw: Uint8Array,
  ctx: WrapContext,
  recipients: readonly { to: string; kx: string }[],
): Promise<{ eph: string[]; keys: WrappedKey[]; skipped: string[] }> {
  if (raw.length !== RAW_KEY_BYTES) throw new RangeError('a room key has 32 bytes');
  const plain = Uint8Array.from(raw);
  const ephemeral = new Map<AgreementAlgorithm, AgreementKeys>();
  const keys: WrappedKey[] = [];
  const skipped: string[] = [];
  for (const { to, kx } of recipients) {
    const alg = agreementAlgorithmOf(kx);
    if (!alg) {
      skipped.push(to);
      continue;
    }
    let eph = ephemeral.get(alg);
    if (!eph) {
      eph = await createAgreementKeys(alg);
      if (eph.alg !== alg) {
        skipped.push(to); // this runtime cannot make a key of that algorithm
        continue;
      }
      ephemeral.set(alg, eph);
    }
    const key = await wrappingKey(eph, kx, infoOf(ctx, to, eph.publicKey, kx), 'encrypt');
    if (!key) {
      skipped.push(to);
      continue;
    }
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain));
    keys.push({ to, iv: toBase64Url(iv), ct: toBase64Url(ct) });
  }
  return { eph: [...ephemeral.values()].map((k) => k.publicKey), keys, skipped };
}

/**
 * The room key in `wrapped` (addressed to `to`, which must be us), opened with our key pair
 * `mine`: undefined when it was not wrapped for this key pair, room, epoch and recipient, or
 * was changed. Never throws.
 */
export async function unwrapRoomKey(
  ctx: WrapContext,
  eph: readonly string[],
  wrapped: WrappedKey,
  to: string,
  mine: AgreementKeys,
): Promise<Uint8Array | undefined> {
  if (wrapped.to !== to) return undefined;
  const theirs = eph.find((e) => agreementAlgorithmOf(e) === mine.alg);
  const iv = fromBase64Url(wrapped.iv);
  const ct = fromBase64Url(wrapped.ct);
  if (!theirs || iv?.length !== 12 || !ct) return undefined;
  const key = await wrappingKey(mine, theirs, infoOf(ctx, to, theirs, mine.publicKey), 'decrypt');
  if (!key) return undefined;
  try {
    const raw = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, ct));
    return raw.length === RAW_KEY_BYTES ? raw : undefined;
  } catch {
    return undefined;
  }
}

/** A fresh random 32-byte room key and its id. */
export async function newRawRoomKey(): Promise<{ raw: Uint8Array; kid: string }> {
  const raw = crypto.getRandomValues(new Uint8Array(RAW_KEY_BYTES));
  return { raw, kid: await keyIdOf(raw) };
}
