/**
 * How a bot joins a room (`JoinOptions`, given to `ParleyClient.join`) and what a room needs of
 * its client (`RoomSetup`): kept apart from the room itself (room.ts), which they configure.
 */
import type { Envelope } from '../protocol/chat-events.js';
import type { Identity } from '../protocol/identity.js';
import type { AuthorBudget } from '../controllers/room/intake.js';
import { inviteKey, passphraseKey, passphraseProblem } from '../controllers/room/room-keys.js';

/** How to join a room. */
export interface JoinOptions {
  /** The room's passphrase (at least 8 characters): messages are sealed under its key. */
  passphrase?: string;
  /** The key text of an invite link (`key=` in its fragment): sealed under that key. */
  inviteKey?: string;
  /**
   * Envelopes the bot kept from an earlier run (e.g. read from its archive): checked again,
   * then known, so they are not reported twice, and catch-up asks only from the newest on.
   */
  history?: Iterable<unknown>;
  /** Messages a newcomer asks for (default 500, at most 2,000). */
  historyLimit?: number;
  /** Most messages held in memory (default 100,000); the oldest go first. */
  maxHistory?: number;
  /** New messages one author may add (the browser's default). */
  authorBudget?: AuthorBudget;
  /**
   * Called with each new verified message, sealed ones no key of the bot opens included,
   * before its receipt can leave (the keeper writes each here, durably). When it throws, the
   * message is not acknowledged (its sender sends it again) and the room reports the error.
   */
  keep?: (env: Envelope) => void;
  /**
   * Which payloads the room takes at all (a help desk's desk takes knocks only): the others are
   * dropped before any check — not held, reported, acknowledged or served — so what no one here
   * needs costs nothing to hold.
   */
  only?: (payload: unknown) => boolean;
}

/** What a room needs of its client. */
export interface RoomSetup {
  identity: Identity;
  name: string;
  url: string | readonly string[];
  joinTimeout?: number;
  /** The server's keeper token: only the keeper's own rooms carry it (see `ConnectOptions`). */
  keeperToken?: string;
}

/** The keys `options` give for room `name` (a passphrase's, an invite key); throws on a bad one. */
export async function roomKeysFor(name: string, options: JoinOptions): Promise<CryptoKey[]> {
  const keys: CryptoKey[] = [];
  if (options.passphrase !== undefined) {
    const why = passphraseProblem(options.passphrase);
    if (why) throw new Error(`cannot join "${name}": ${why}`);
    keys.push((await passphraseKey(options.passphrase, name)).key);
  }
  if (options.inviteKey !== undefined) {
    const entry = await inviteKey(options.inviteKey);
    if (!entry) throw new Error(`cannot join "${name}": the invite key is not a room key`);
    keys.push(entry.key);
  }
  return keys;
}
