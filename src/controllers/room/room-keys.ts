/**
 * Where a room's key comes from: the room's passphrase (PBKDF2, the same key for everyone who
 * types it) or a random key (a private room's, or one an invite link brought), which travels
 * in the link's fragment (`#room=…&key=…&title=…`) — the part of an address browsers never send
 * to a server. Every entry knows its key's text, so every "Copy invite link" copies the same
 * link for the same key, and its identifier (`kid`), so a message sealed under another key is
 * told apart at once.
 */
import { toBase64Url } from '../../protocol/encoding.js';
import { newRoomKeyText, textRoomKey } from '../../protocol/room-key.js';
import { passphraseKeyBytes } from '../../protocol/room-key-derive.js';
import type { RoomKeyEntry } from '../../protocol/room-key.js';

/** Shortest passphrase accepted: a key is only as strong as what it is derived from. */
export const MIN_PASSPHRASE = 8;

/** Why `passphrase` cannot be used, or undefined when it can. */
export function passphraseProblem(passphrase: string): string | undefined {
  if ([...passphrase.trim()].length < MIN_PASSPHRASE) {
    return `A room passphrase has at least ${MIN_PASSPHRASE} characters.`;
  }
  return undefined;
}

/**
 * The key of `room` for `passphrase` (takes a moment: 600,000 PBKDF2 iterations), with its text
 * so an invite link can carry it: whoever has the link reads the room as whoever has the
 * passphrase does, without learning the passphrase.
 */
export async function passphraseKey(passphrase: string, room: string): Promise<RoomKeyEntry> {
  const raw = await passphraseKeyBytes(passphrase.trim(), room);
  const entry = (await inviteKey(toBase64Url(raw)))!;
  raw.fill(0);
  return { ...entry, source: 'passphrase' };
}

/** The key in an invite link's `key=` text, or undefined when it is not one. */
export async function inviteKey(text: string): Promise<RoomKeyEntry | undefined> {
  const found = await textRoomKey(text);
  return found && { ...found, source: 'invite', invite: text, added: Date.now() };
}

/** A fresh random key for a new invite link. */
export async function newInviteKey(): Promise<RoomKeyEntry> {
  return (await inviteKey(newRoomKeyText()))!;
}

/** The plain link to `room` on the page at `base` (`#room=…`). */
export function roomLink(base: string, room: string): string {
  return `${base.replace(/#.*$/, '')}#${new URLSearchParams({ room }).toString()}`;
}

/**
 * The invite link to `room` with key text `key` (and the room's `title` when it has one of its
 * own, a private room's), on the page at `base`.
 */
export function inviteLink(base: string, room: string, key: string, title?: string): string {
  const fragment = new URLSearchParams({
    room,
    key,
    ...(title && title !== room ? { title } : {}),
  });
  return `${base.replace(/#.*$/, '')}#${fragment.toString()}`;
}
