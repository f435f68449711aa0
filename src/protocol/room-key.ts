/**
 * Room keys for end-to-end encrypted rooms, the same code wherever it runs (WebCrypto). A
 * room's key is AES-256-GCM, either derived from the room's passphrase (PBKDF2-SHA256, 600,000
 * iterations, the salt bound to the room's name and a Parley constant, so one passphrase gives
 * different keys in different rooms) or drawn at random for an invite link, where it travels
 * in the URL fragment, which browsers never send to a server. Keys are non-extractable.
 *
 * A body is sealed with a fresh 96-bit IV and the envelope's header as additional data: a
 * sealed body moved to another message, room or author no longer opens.
 */
import { fromBase64Url, toBase64Url } from './encoding.js';
import { canonicalJson } from './identity.js';

/** PBKDF2 iterations of a passphrase (as for passwords: OWASP's figure for PBKDF2-SHA256). */
export const ROOM_KEY_ITERATIONS = 600_000;
/** Bytes of a random room key (256 bits). */
export const ROOM_KEY_BYTES = 32;
/** Tag of the sealing scheme, carried in every sealed body. */
export const SEALED = 'aes-256-gcm/1';

/** A body as it travels in an encrypted room. */
export interface SealedBody {
  enc: typeof SEALED;
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
  source: 'passphrase' | 'invite';
  invite?: string;
  added: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const AES = { name: 'AES-GCM', length: 256 } as const;

/** The key of `room` for `passphrase`; `iterations` only lower in tests. */
export async function roomKeyFromPassphrase(
  passphrase: string,
  room: string,
  iterations = ROOM_KEY_ITERATIONS,
): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    'raw',
    encoder.encode(passphrase.normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  const salt = encoder.encode(`parley/room-key/1:${room}`);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    AES,
    false,
    ['encrypt', 'decrypt'],
  );
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

/** The key in an invite link's text, or undefined when the text is not one (see above). */
export async function roomKeyFromText(text: string): Promise<CryptoKey | undefined> {
  if (!isRoomKeyText(text)) return undefined;
  return crypto.subtle.importKey('raw', fromBase64Url(text)!, AES, false, ['encrypt', 'decrypt']);
}

/** Seals `body` under `key`, bound to `header` (the envelope's other fields). */
export async function seal(
  key: CryptoKey,
  header: readonly unknown[],
  body: unknown,
): Promise<SealedBody> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(canonicalJson(header)) },
    key,
    encoder.encode(canonicalJson(body)),
  );
  return { enc: SEALED, iv: toBase64Url(iv), ct: toBase64Url(new Uint8Array(ct)) };
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
