/**
 * Envelopes for tests, signed as Parley signs them: a test can be an honest author (a real
 * identity, a valid signature) or an attacker (a doctored copy, someone else's id) with the
 * same few lines.
 */
import { uuidv7 } from '../../src/protocol/message-id.js';
import type { ChatBody, Envelope } from '../../src/protocol/chat-events.js';
import { createIdentity, signerOf, type Signer } from '../../src/protocol/identity.js';
import {
  messageIdOf,
  signEnvelope,
  type UnsignedEnvelope,
} from '../../src/protocol/signed-envelope.js';

/** A fresh author: a new identity's signer, under `name`. */
export async function author(name: string): Promise<Signer & { name: string }> {
  return { ...signerOf(await createIdentity()), name };
}

/** What a test says about a message; the rest is filled in. */
export interface EnvelopeFields {
  room: string;
  text?: string;
  body?: UnsignedEnvelope['body'];
  ts?: number;
  seq?: number;
  id?: string;
}

/** A message by `who`, signed by `who` (a valid envelope). */
export function signedBy(
  who: Signer & { name: string },
  fields: EnvelopeFields,
): Promise<Envelope> {
  return signEnvelope(who, unsignedBy(who, fields));
}

/** A message by `who`, not signed yet (to doctor before signing, or to sign with another key). */
export function unsignedBy(
  who: Signer & { name: string },
  fields: EnvelopeFields,
): UnsignedEnvelope {
  return {
    id: fields.id ?? messageIdOf(who.id, uuidv7()),
    room: fields.room,
    from: { id: who.id, name: who.name, key: who.publicKey },
    ts: fields.ts ?? Date.now(),
    seq: fields.seq ?? 0,
    body: fields.body ?? ({ text: fields.text ?? 'hello' } satisfies ChatBody),
  };
}

/** The text of a body in the clear ('' for a sealed one), for assertions. */
export function textOf(env: Pick<Envelope, 'body'>): string {
  const text = (env.body as { text?: unknown }).text;
  return typeof text === 'string' ? text : '';
}
