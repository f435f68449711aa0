/**
 * The help desk (protocol 1.5, docs/PROTOCOL.md §19): how a visitor's private conversation
 * reaches a site's agents without the server, the keeper or anyone else in between learning
 * what it says or even which room it is.
 *
 * - An **agent card** is what a site owner copies from each agent's Settings: the agent's
 *   identity key and key-agreement key, `<identity key>~<key-agreement key>`. A page lists
 *   them in `agents="CARD CARD…"`.
 * - A site's **desk** is the public room `desk.<site>`: agents stay in it while their inbox is
 *   open, and each visitor posts a **knock** there — a signed message in the clear whose body
 *   holds her conversation's room key wrapped for each listed agent (as a private room's new
 *   key is wrapped for its members, §11.3, under another label) and, sealed under that key, the
 *   room's id, the nonce that proves she made it, its title and the email she gave. So the desk
 *   shows who knocked and when; only the agents learn the room, and only they and she hold its
 *   key.
 */
import * as v from 'valibot';
import { fromBase64Url, toBase64Url } from './encoding.js';
import { identityIdOf, isPublicKey } from './identity.js';
import {
  agreementAlgorithmOf,
  isAgreementKey,
  unwrapRoomKey,
  wrapRoomKey,
  type AgreementKeys,
} from './key-agreement.js';
import { madeRoom } from './room-id.js';
import { open, roomKeyOfRaw, seal, SEALED } from './room-key.js';
import { AgreementKeySchema, RoomTitleSchema, WrappedKeySchema } from './room-roles.js';

/** What binds a knock's wrapped keys and sealed part: neither opens in another context. */
export const KNOCK_LABEL = 'parley/knock/1';
/** Most agents a knock is addressed to. */
export const MAX_AGENTS = 16;
/** Longest sealed part of a knock (base64url characters). */
export const MAX_KNOCK_CT = 1200;
/** Longest email a knock carries. */
export const MAX_EMAIL = 254;
/** The separator of an agent card's two keys (in neither key's alphabet). */
const CARD_SEPARATOR = '~';
/** A site's name: what `support="…"` may be. */
const SITE = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** An agent, as a card names them. */
export interface Agent {
  /** Identity key text. */
  key: string;
  /** Identity id (the hash of `key`). */
  id: string;
  /** Key-agreement key text. */
  kx: string;
}

/** A site name's problem, or undefined when `site` is usable (`shop`, `acme-help`). */
export function siteProblem(site: string): string | undefined {
  return SITE.test(site)
    ? undefined
    : 'a site name has 1–40 lower-case letters, digits or "-", starting with a letter or digit';
}

/** The desk room of `site` (which must be usable). */
export function deskRoomOf(site: string): string {
  return `desk.${site}`;
}

/** The card an agent gives their site owner. */
export function agentCard(key: string, kx: string): string {
  return `${key}${CARD_SEPARATOR}${kx}`;
}

/** The agent a card names; undefined when it is not a card this version can use. */
export async function readAgentCard(card: string): Promise<Agent | undefined> {
  const [key, kx, more] = card.trim().split(CARD_SEPARATOR);
  if (more !== undefined || !isPublicKey(key) || !isAgreementKey(kx)) return undefined;
  return { key, kx, id: await identityIdOf(key) };
}

/** The agents of an `agents` attribute (cards separated by spaces), each once, and the bad ones. */
export async function readAgentCards(text: string): Promise<{ agents: Agent[]; bad: number }> {
  const cards = text.split(/\s+/u).filter((c) => c !== '');
  const read = await Promise.all(cards.map(readAgentCard));
  const agents = new Map<string, Agent>();
  for (const a of read) if (a && !agents.has(a.id)) agents.set(a.id, a);
  return { agents: [...agents.values()].slice(0, MAX_AGENTS), bad: read.filter((a) => !a).length };
}

/** What a knock carries sealed: the conversation and how to answer. */
export const KnockPayloadSchema = v.strictObject({
  room: v.string(),
  nonce: v.string(),
  title: RoomTitleSchema,
  email: v.optional(v.pipe(v.string(), v.maxLength(MAX_EMAIL), v.email())),
});
/** What a knock carries sealed. */
export type KnockPayload = v.InferOutput<typeof KnockPayloadSchema>;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** A knock's body as it travels (in the clear, signed by the visitor like any message). */
export const KnockSchema = v.strictObject({
  kind: v.literal('knock'),
  eph: v.pipe(v.array(AgreementKeySchema), v.minLength(1), v.maxLength(2)),
  keys: v.pipe(
    v.array(WrappedKeySchema),
    v.minLength(1),
    v.maxLength(MAX_AGENTS),
    v.check((k) => new Set(k.map((w) => w.to)).size === k.length, 'each agent once'),
  ),
  iv: v.pipe(v.string(), v.length(16), v.regex(BASE64URL)),
  ct: v.pipe(v.string(), v.minLength(22), v.maxLength(MAX_KNOCK_CT), v.regex(BASE64URL)),
});
/** A knock's body. */
export type Knock = v.InferOutput<typeof KnockSchema>;

/** The context every part of a knock is bound to: the label, the desk and its author. */
function bound(desk: string, author: string) {
  return { room: desk, epoch: 0, label: KNOCK_LABEL, author };
}

/**
 * A knock by identity `author` in `desk`: `raw` (the conversation's 32-byte room key) wrapped
 * for each agent, and `payload` sealed under it. Agents whose key cannot be used are skipped
 * (their ids in `skipped`); undefined when none is left.
 */
export async function makeKnock(
  desk: string,
  author: string,
  raw: Uint8Array,
  payload: KnockPayload,
  agents: readonly Agent[],
): Promise<{ knock: Knock; skipped: string[] } | undefined> {
  const usable = agents.filter((a) => agreementAlgorithmOf(a.kx));
  const { eph, keys, skipped } = await wrapRoomKey(
    raw,
    bound(desk, author),
    usable.map((a) => ({ to: a.id, kx: a.kx })),
  );
  if (keys.length === 0) return undefined;
  const { key } = await roomKeyOfRaw(raw);
  const sealed = await seal(key, [KNOCK_LABEL, desk, author], payload);
  const knock = { kind: 'knock' as const, eph, keys, iv: sealed.iv, ct: sealed.ct };
  return { knock, skipped };
}

/** A knock opened by one of its agents: the conversation, its key's text and the payload. */
export interface OpenedKnock extends KnockPayload {
  /** The conversation's room key, as an invite link's text. */
  key: string;
}

/**
 * Opens `body`, a knock by the identity `author` (id and key) in `desk`, with our key pair
 * `mine` (our id `self`): undefined unless it is a well-formed knock addressed to us whose
 * sealed part opens, names a private room `author` made (the nonce proves it), and is
 * well-formed itself. Never throws.
 */
export async function openKnock(
  desk: string,
  author: { id: string; key: string },
  body: unknown,
  self: string,
  mine: AgreementKeys,
): Promise<OpenedKnock | undefined> {
  const parsed = v.safeParse(KnockSchema, body);
  if (!parsed.success) return undefined;
  const entry = parsed.output.keys.find((k) => k.to === self);
  if (!entry) return undefined;
  const raw = await unwrapRoomKey(bound(desk, author.id), parsed.output.eph, entry, self, mine);
  if (!raw) return undefined;
  try {
    const { key } = await roomKeyOfRaw(raw);
    const { iv, ct } = parsed.output;
    const inner = await open(key, [KNOCK_LABEL, desk, author.id], { enc: SEALED, iv, ct });
    const payload = v.safeParse(KnockPayloadSchema, inner);
    if (!payload.success) return undefined;
    if (!(await madeRoom(payload.output.room, author.key, payload.output.nonce))) return undefined;
    return { ...payload.output, key: toBase64Url(raw) };
  } finally {
    raw.fill(0);
  }
}

/** Whether `room` is a help desk's desk (`desk.<site>`), where only knocks belong. */
export function isDeskRoom(room: string): boolean {
  return room.startsWith('desk.') && siteProblem(room.slice(5)) === undefined;
}

/**
 * Whether `payload` (an envelope as it arrived, unchecked) carries a knock: what a desk's
 * members and its keeper take, before anything else is checked (the rest of it is checked as
 * any message is).
 */
export function carriesKnock(payload: unknown): boolean {
  const body = (payload as { body?: { kind?: unknown } } | null)?.body;
  return typeof body === 'object' && body !== null && body.kind === 'knock';
}

/** The raw bytes of a room key's text (an invite text); undefined when it is not one. */
export function rawOfKeyText(text: string): Uint8Array | undefined {
  const raw = fromBase64Url(text);
  return raw?.length === 32 ? raw : undefined;
}
