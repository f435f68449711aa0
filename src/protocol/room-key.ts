/**
 * Room keys for end-to-end encrypted rooms, the same code wherever it runs (WebCrypto). A
 * room's key is AES-256-GCM, either derived from the room's passphrase (PBKDF2-SHA256, 600,000
 * iterations, the salt bound to the room's name and a Parley constant, so one passphrase gives
 * different keys in different rooms) or drawn at random for an invite link, where it travels
 * in the URL fragment, which browsers never send to a server. Keys are non-extractable.
 *
 * A body is sealed with a fresh 96-bit IV and the envelope's header as additional data: a
 * sealed body moved to another message, room or author no longer opens. Since protocol 1.1 a
 * sealed body also names the key that sealed it (`kid`, a hash of the key — never the key),
 * so a member holding another key is told at once instead of seeing silence.
 */
import { fromBase64Url, toBase64Url } from './encoding.js';
import { canonicalJson } from './identity.js';

/** Bytes of a random room key (256 bits). */
export const ROOM_KEY_BYTES = 32;
/** Tag of the sealing scheme, carried in every sealed body. */
export const SEALED = 'aes-256-gcm/1';

/** Characters of a key identifier (base64url of 12 bytes: 96 bits). */
export const KID_LENGTH = 16;

/** A body as it travels in an encrypted room. */
export interface SealedBody {
  enc: typeof SEALED;
  /** Which key sealed it ({@link keyIdOf}); absent from members of protocol 1.0. */
  kid?: string;
  /** The 96-bit IV, base64url. */
  iv: string;
  /** Ciphertext and tag, base64url. */
  ct: string;
}

/**
 * A room key as a member holds it: the key itself (non-extractable), where it came from, the
 * invite link's text (so the link can be copied again) and when it was added.
 */
export interface RoomKeyEntry {
  key: CryptoKey;
  /** The key's identifier; absent for keys stored before protocol 1.1 (they are tried in turn). */
  kid?: string;
  source: 'passphrase' | 'invite';
  invite?: string;
  added: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const AES = { name: 'AES-GCM', length: 256 } as const;

/** A usable room key and its identifier. */
export interface RoomKey {
  key: CryptoKey;
  kid: string;
}

/**
 * The identifier of the raw room key `raw`: the first 12 bytes of SHA-256("parley/kid/1" ‖ raw),
 * base64url. It tells keys apart without revealing them (a 256-bit key cannot be found from
 * its hash); for a passphrase key it lets a guess be checked offline — as any sealed message
 * already does, which is why passphrases are stretched (PBKDF2) and at least 8 characters.
 */
export async function keyIdOf(raw: Uint8Array): Promise<string> {
  const tag = encoder.encode('parley/kid/1');
  const data = new Uint8Array(tag.length + raw.length);
  data.set(tag);
  data.set(raw, tag.length);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return toBase64Url(digest.subarray(0, 12));
}

/** The non-extractable key and identifier of raw key bytes (which the caller then forgets). */
export async function roomKeyOfRaw(raw: Uint8Array): Promise<RoomKey> {
  const bytes = new Uint8Array(raw);
  const key = await crypto.subtle.importKey('raw', bytes, AES, false, ['encrypt', 'decrypt']);
  const kid = await keyIdOf(bytes);
  bytes.fill(0);
  return { key, kid };
}

/** A fresh random room key as text, for an invite link's fragment (`#room=…&key=…`). */
export function newRoomKeyText(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(ROOM_KEY_BYTES)));
}

/**
 * Whether `text` is an invite key's one text: base64url without padding of exactly 32 bytes,
 * spare bits zero. Any other spelling of the same bytes is refused, so one key is stored (and
 * compared) as one text.
 */
export function isRoomKeyText(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const raw = fromBase64Url(text);
  return raw?.length === ROOM_KEY_BYTES && toBase64Url(raw) === text;
}

/** The key (and identifier) in an invite link's text, or undefined when it is not one. */
export async function textRoomKey(text: string): Promise<RoomKey | undefined> {
  return isRoomKeyText(text) ? roomKeyOfRaw(fromBase64Url(text)!) : undefined;
}

/** The key in an invite link's text, or undefined when the text is not one (see above). */
export async function roomKeyFromText(text: string): Promise<CryptoKey | undefined> {
  return (await textRoomKey(text))?.key;
}

/**
 * Seals `body` under `key`, bound to `header` (the envelope's other fields), naming the key by
 * `kid` when given (the author signs the whole body, so the name cannot be changed in transit).
 */
export async function seal(
  key: CryptoKey,
  header: readonly unknown[],
  body: unknown,
  kid?: string,
): Promise<SealedBody> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(canonicalJson(header)) },
    key,
    encoder.encode(canonicalJson(body)),
  );
  const named = kid === undefined ? {} : { kid };
  return { enc: SEALED, ...named, iv: toBase64Url(iv), ct: toBase64Url(new Uint8Array(ct)) };
}

/**
 * The body inside `sealed`, or undefined when `key` is not the room's key, the header is not
 * the one it was sealed with, or anything was changed. Never throws.
 */
export async function open(
  key: CryptoKey,
  header: readonly unknown[],
  sealed: SealedBody,
): Promise<unknown> {
  // From the wire: any shape at all until checked.
  if (sealed?.enc !== SEALED || typeof sealed.iv !== 'string' || typeof sealed.ct !== 'string')
    return undefined;
  const iv = fromBase64Url(sealed.iv);
  const ct = fromBase64Url(sealed.ct);
  if (iv?.length !== 12 || !ct) return undefined;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData: encoder.encode(canonicalJson(header)) },
      key,
      ct,
    );
    return JSON.parse(decoder.decode(plain)) as unknown;
  } catch {
    return undefined;
  }
}
