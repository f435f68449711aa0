/**
 * Where a room's key comes from: the room's passphrase (PBKDF2, the same key for everyone who
 * types it) or a random key made for an invite link, which travels in the link's fragment
 * (`#room=name&key=…`) — the part of an address browsers never send to a server.
 */
import { newRoomKeyText, roomKeyFromPassphrase, roomKeyFromText } from '../../protocol/room-key.js';
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

/** The key of `room` for `passphrase` (takes a moment: 600,000 PBKDF2 iterations). */
export async function passphraseKey(passphrase: string, room: string): Promise<RoomKeyEntry> {
  const key = await roomKeyFromPassphrase(passphrase.trim(), room);
  return { key, source: 'passphrase', added: Date.now() };
}

/** The key in an invite link's `key=` text, or undefined when it is not one. */
export async function inviteKey(text: string): Promise<RoomKeyEntry | undefined> {
  const key = await roomKeyFromText(text);
  return key && { key, source: 'invite', invite: text, added: Date.now() };
}

/** A fresh random key for a new invite link. */
export async function newInviteKey(): Promise<RoomKeyEntry> {
  return (await inviteKey(newRoomKeyText()))!;
}

/** The plain link to `room` on the page at `base` (`#room=…`). */
export function roomLink(base: string, room: string): string {
  return `${base.replace(/#.*$/, '')}#${new URLSearchParams({ room }).toString()}`;
}

/** The invite link to `room` with key text `key`, on the page at `base` (no fragment). */
export function inviteLink(base: string, room: string, key: string): string {
  const fragment = new URLSearchParams({ room, key });
  return `${base.replace(/#.*$/, '')}#${fragment.toString()}`;
}
