/**
 * Signed notices (protocol 1.4): a member's hello and heartbeat (`chat:here`), its receipts
 * (`chat:ack`) and its typing notices (`chat:typing`), each signed by the member's identity key.
 * Before 1.4 these were believed because the relay said who sent them; a relay operator holding
 * no one's key could then keep a member "here" after they left, show them typing, and answer
 * with receipts in their name for messages it swallowed. Now only the member can say any of
 * these things; the relay can still drop them (and can always say someone left).
 *
 * What each signature covers (canonical JSON of the purpose and the fields, see `identity.ts`):
 * - hello: `room, peer, userId, name, key, at` — bound to the connection (`peer`) it speaks for,
 *   so it cannot be pinned on another connection, and to a time, so a replay is seen as old;
 * - receipt: `room, by, ids, unread` (`[]` when absent);
 * - typing: `room, userId, name, typing, at`.
 */
import { isIdOf, SignaturePurposes, verify, type Signer } from './identity.js';
import type { Ack, Here, Typing } from './chat-events.js';

/** A hello before it is signed. */
export type UnsignedHere = Omit<Here, 'sig' | 'userId' | 'key'>;

/** A receipt before it is signed (`by` and `key` come from the signer). */
export type UnsignedAck = Pick<Ack, 'room' | 'ids' | 'unread'>;

/** A typing notice before it is signed (`userId` comes from the signer). */
export type UnsignedTyping = Pick<Typing, 'room' | 'name' | 'typing'> & { at: number };

function hereFields(h: Omit<Here, 'sig'>): unknown[] {
  return [h.room, h.peer, h.userId, h.name, h.key, h.at];
}

function ackFields(a: Pick<Ack, 'room' | 'by' | 'ids' | 'unread'>): unknown[] {
  return [a.room, a.by, a.ids, a.unread ?? []];
}

function typingFields(t: Pick<Typing, 'room' | 'userId' | 'name' | 'typing'> & { at: number }) {
  return [t.room, t.userId, t.name, t.typing, t.at];
}

/** Our hello for connection `peer` in `room`, signed by `signer`. */
export async function signHere(signer: Signer, here: UnsignedHere): Promise<Here> {
  const whole = { ...here, userId: signer.id, key: signer.publicKey };
  return { ...whole, sig: await signer.sign(SignaturePurposes.here, hereFields(whole)) };
}

/** Whether `here` (already checked against `HereSchema`) is signed by the key it names. */
export async function verifyHere(here: Here): Promise<boolean> {
  if (!(await isIdOf(here.userId, here.key))) return false;
  return verify(here.key, SignaturePurposes.here, hereFields(here), here.sig);
}

/** Our receipt, signed by `signer` (its `by` and `key`). */
export async function signAck(signer: Signer, ack: UnsignedAck): Promise<Ack> {
  const whole: Ack = { ...ack, by: signer.id, key: signer.publicKey };
  return { ...whole, sig: await signer.sign(SignaturePurposes.ack, ackFields(whole)) };
}

/**
 * Whether `ack` is signed by the identity it names (`by` is the id of `key`, and the
 * signature covers room, by, ids and unread). False for an unsigned (pre-1.4) receipt.
 */
export async function verifyAck(ack: Ack): Promise<boolean> {
  if (ack.key === undefined || ack.sig === undefined) return false;
  if (!(await isIdOf(ack.by, ack.key))) return false;
  return verify(ack.key, SignaturePurposes.ack, ackFields(ack), ack.sig);
}

/** Our typing notice, signed by `signer`. */
export async function signTyping(signer: Signer, typing: UnsignedTyping): Promise<Typing> {
  const whole = { ...typing, userId: signer.id };
  return { ...whole, sig: await signer.sign(SignaturePurposes.typing, typingFields(whole)) };
}

/**
 * Whether `typing` is signed with `key` (the key of the member's own hello; its id must be
 * `typing.userId`). False for an unsigned (pre-1.4) notice.
 */
export async function verifyTyping(typing: Typing, key: string): Promise<boolean> {
  if (typing.at === undefined || typing.sig === undefined) return false;
  if (!(await isIdOf(typing.userId, key))) return false;
  const fields = typingFields({ ...typing, at: typing.at });
  return verify(key, SignaturePurposes.typing, fields, typing.sig);
}

/**
 * How far a hello's or typing notice's time may be from ours, in ms: a stale copy held back by
 * a relay is refused past it, and a hello holds no longer than this past its own time plus its
 * time to live. Members' clocks must agree within it (browsers' are set by the network).
 */
export const NOTICE_SKEW_MS = 30_000;

/** Whether a notice dated `at` (the sender's clock) is close enough to `now` to be fresh. */
export function isFresh(at: number, now = Date.now()): boolean {
  return Math.abs(now - at) <= NOTICE_SKEW_MS;
}
