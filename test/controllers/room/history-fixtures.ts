/**
 * A room's history for the export and import tests: real identities, real signatures, a real
 * room key — a clear room or a sealed one, with replies and message events among the messages.
 */
import type { Envelope } from '../../../src/protocol/chat-events.js';
import { roomKeyOfRaw, seal } from '../../../src/protocol/room-key.js';
import { sealingHeader, signEnvelope } from '../../../src/protocol/signed-envelope.js';
import type { ParleyDb } from '../../../src/store/db.js';
import { addMessages } from '../../../src/store/history.js';
import type { RoomKeyEntry } from '../../../src/store/room-keys.js';
import { author, unsignedBy } from '../../support/envelopes.js';

/** An author, as `author()` makes one. */
export type Author = Awaited<ReturnType<typeof author>>;

/** A fresh room key, as a member holds it. */
export async function roomKey(): Promise<RoomKeyEntry> {
  const { key, kid } = await roomKeyOfRaw(crypto.getRandomValues(new Uint8Array(32)));
  return { key, kid, source: 'passphrase', added: Date.now() };
}

/** A message by `who` with `body`, sealed under `key` when given, signed. */
export async function message(
  who: Author,
  room: string,
  body: object,
  ts: number,
  key?: RoomKeyEntry,
): Promise<Envelope> {
  const bare = unsignedBy(who, { room, ts, body: body as Envelope['body'] });
  if (!key) return signEnvelope(who, bare);
  const sealed = await seal(key.key, sealingHeader(bare), body, key.kid);
  return signEnvelope(who, { ...bare, body: sealed });
}

/** What a history holds, by name. */
export interface History {
  alice: Author;
  bob: Author;
  envs: Envelope[];
  hello: Envelope;
  reply: Envelope;
}

/**
 * Stores a small history of `room` for `owner` (Alice is this account): a text, Bob's reply
 * to it, Alice's edit of her text, Bob's reaction, and a second text with a line break, one
 * minute apart from `start`; sealed under `key` when given.
 */
export async function storeHistory(
  db: ParleyDb,
  owner: string,
  room: string,
  key?: RoomKeyEntry,
  start = Date.UTC(2026, 11, 6, 9, 0),
): Promise<History> {
  const alice = await author('Alice');
  const bob = await author('Bob');
  const t = (n: number) => start + n * 60_000;
  const hello = await message(alice, room, { text: 'Hello, secret world' }, t(0), key);
  const reply = await message(bob, room, { text: 'Hi Alice', reply: hello.id }, t(1), key);
  const edit = await message(
    alice,
    room,
    { kind: 'edit', target: hello.id, text: 'Hello, edited world' },
    t(2),
    key,
  );
  const react = await message(
    bob,
    room,
    { kind: 'react', target: hello.id, emoji: '👍', on: true },
    t(3),
    key,
  );
  const more = await message(alice, room, { text: 'two\nlines' }, t(4), key);
  const envs = [hello, reply, edit, react, more];
  await addMessages(db, owner, envs, (e) => (e.from.id === alice.id ? 'delivered' : 'received'));
  return { alice, bob, envs, hello, reply };
}

/** The lines of an export's text: header, envelopes, closing. */
export function linesOf(text: string): string[] {
  return text.trimEnd().split('\n');
}
