/**
 * What one message weighs where it travels: the catch-up page that carries it alone is the
 * largest frame it ever goes in, so that page must fit the server's payload cap — checked before
 * a message is shown (ours) or taken in (others'). Apart from `catch-up.ts` so the first download
 * carries this and not catch-up, which loads right after.
 */
import { canonicalJson } from '../../protocol/identity.js';
import { jsonSize, utf8Length } from '../../protocol/limits.js';
import type { ChatBody } from '../../protocol/message-body.js';
import { KID_LENGTH, SEALED } from '../../protocol/room-key.js';
import type { UnsignedEnvelope } from '../../protocol/signed-envelope.js';

/** Messages a newcomer asks for by default. */
export const DEFAULT_HISTORY_LIMIT = 500;

/**
 * The size of the catch-up frame that carries `env` alone (`[{room, messages: [env]}]`, UTF-8
 * bytes) — the largest frame a message ever travels in, so the one that must fit the cap: a
 * message is sent, taken in and served only when it does.
 */
export function alonePageSize(room: string, env: unknown): number {
  return jsonSize([{ room, messages: [env] }]) ?? Infinity;
}

/** Characters of a signature as it travels (Ed25519 and P-256 alike: 64 bytes, base64url). */
const SIGNATURE_CHARS = 86;
/** Bytes AES-GCM adds to what it seals (its tag). */
const GCM_TAG = 16;

/**
 * The exact size of the catch-up page that carries this message alone — the largest frame it
 * will ever travel in (see {@link alonePageSize}): the body sealed or not, the signature as long as
 * every signature is. Computed before sealing, so nothing is shown that cannot be sent.
 */
export function pageSize(
  header: Omit<UnsignedEnvelope, 'body'>,
  body: ChatBody | object,
  sealed: boolean,
): number {
  const plain = utf8Length(canonicalJson(body));
  const ct = 'x'.repeat(Math.ceil(((plain + GCM_TAG) * 4) / 3));
  // Sealed bodies name their key (1.1): the id is counted whether or not the key has one.
  const travels = sealed
    ? { enc: SEALED, kid: 'x'.repeat(KID_LENGTH), iv: 'x'.repeat(16), ct }
    : body;
  return alonePageSize(header.room, { ...header, body: travels, sig: 'x'.repeat(SIGNATURE_CHARS) });
}

/** Why a message of `size` bytes (its page alone) cannot be sent where the cap is `cap`. */
export function tooLong(size: number, cap: number): string {
  const kb = (n: number) => `${Math.ceil(n / 1024)} KB`;
  return `This message is too long to send here: it takes ${kb(size)} and this server carries at most ${kb(cap)} — shorten it or send it in parts.`;
}
