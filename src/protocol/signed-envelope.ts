/**
 * Signed messages. The author signs every field of an envelope (id, room, author id, name and
 * key, time, sequence, body — the sealed body in an encrypted room), so any member can check a
 * message on its own: live, or in a catch-up page served by a third member while the author
 * is away. The id begins with the author's id, so nobody can take the id of someone else's
 * message: whoever arrives first, only the author's signature makes a message theirs.
 */
import {
  canonicalJson,
  IDENTITY_ID_LENGTH,
  isIdOf,
  SignaturePurposes,
  verify,
  type Signer,
} from './identity.js';
import type { Envelope } from './chat-events.js';

/** An envelope before its author signs it. */
export type UnsignedEnvelope = Omit<Envelope, 'sig'>;

/** The header of a message: what its sealed body is bound to (additional data). */
export type EnvelopeHeader = Pick<Envelope, 'id' | 'room' | 'from' | 'ts' | 'seq'>;

/** A new message id of author `authorId`: the author's id, then `unique` (a UUIDv7). */
export function messageIdOf(authorId: string, unique: string): string {
  return `${authorId}${unique}`;
}

/** Whether `id` is one of the author's message ids. */
function isIdBy(id: string, authorId: string): boolean {
  return (
    authorId.length === IDENTITY_ID_LENGTH && id.length > authorId.length && id.startsWith(authorId)
  );
}

/** What the signature covers: every field, in a fixed order. */
function signedFields(env: UnsignedEnvelope): unknown[] {
  const { id, room, from, ts, seq, body } = env;
  return [id, room, from.id, from.name, from.key, ts, seq, body];
}

/** What a sealed body is bound to: the header, so it cannot be moved to another message. */
export function sealingHeader(env: EnvelopeHeader): unknown[] {
  return [env.id, env.room, env.from.id, env.from.name, env.from.key, env.ts, env.seq];
}

/** `env` signed by `signer`, which must be its author. */
export async function signEnvelope(signer: Signer, env: UnsignedEnvelope): Promise<Envelope> {
  const sig = await signer.sign(SignaturePurposes.envelope, signedFields(env));
  return { ...env, sig };
}

/**
 * Whether `env` (already checked against `EnvelopeSchema`) is its author's: the author id is
 * the hash of the key, the message id is one of the author's, and the signature covers every
 * field. Never throws. Checks of many envelopes may run at once (`Promise.all`).
 */
export async function verifyEnvelope(env: Envelope): Promise<boolean> {
  if (!isIdBy(env.id, env.from.id)) return false;
  if (!(await isIdOf(env.from.id, env.from.key))) return false;
  return verify(env.from.key, SignaturePurposes.envelope, signedFields(env), env.sig);
}

/** Whether two envelopes with one id say the same thing (a repeat, not a conflict). */
export function sameEnvelope(a: UnsignedEnvelope, b: UnsignedEnvelope): boolean {
  return canonicalJson(signedFields(a)) === canonicalJson(signedFields(b));
}
