/**
 * A room's keys as people handle them — a passphrase entered, a key an invite link brought,
 * the room's one link copied — for the room controller, loaded when one of these is first
 * asked for (a chunk of its own: the first download never carries it). Every "Copy invite link"
 * copies the same link for the same key; nothing here makes or changes a key but a passphrase.
 */
import type { ProblemCode } from '../shared/problem.js';
import type { ActiveRoom } from './room-context.js';
import { inviteKey, inviteLink, passphraseKey, passphraseProblem, roomLink } from './room-keys.js';
import type { RoomSealing } from './room-sealing.js';

type Fail = (code: ProblemCode, message: string) => false;

/** Derives `active`'s key from `passphrase` and seals with it; false when it is refused. */
export async function usePassphrase(
  sealing: RoomSealing,
  active: ActiveRoom,
  passphrase: string,
  fail: Fail,
): Promise<boolean> {
  const why = passphraseProblem(passphrase);
  if (why) return fail('invalid-passphrase', why);
  return sealing.add(active, await passphraseKey(passphrase, active.room));
}

/**
 * Adds the key an invite link brought for `active`'s room (`text` from its fragment). A room
 * that has a key already keeps sealing with it: a link (which anyone can send) only adds a key
 * to open what was sealed with it, so it can never make us write in someone else's key.
 */
export async function useInvite(
  sealing: RoomSealing,
  active: ActiveRoom,
  text: string,
  fail: Fail,
): Promise<boolean> {
  const entry = await inviteKey(text);
  if (entry) return sealing.add(active, entry, sealing.entries.length > 0);
  return fail(
    'invalid-passphrase',
    'The invite link carries a broken room key; ask for a new link.',
  );
}

/**
 * The link to `active`'s room on the page at `base`: with the key we seal with (a private
 * room's, a passphrase's, one a link brought) and the room's `title`, else the plain `#room=`
 * link. A key stored before keys kept their text gives the plain link; its passphrase typed
 * again gives the full one.
 */
export function roomInviteLink(
  sealing: RoomSealing,
  active: ActiveRoom,
  base: string,
  title?: string,
): string {
  const invite = sealing.entries[0]?.invite;
  return invite ? inviteLink(base, active.room, invite, title) : roomLink(base, active.room);
}

/** Puts `link` on the clipboard; says whether the clipboard took it (else it is shown to copy). */
export async function toClipboard(link: string): Promise<{ link: string; copied: boolean }> {
  const copied = await navigator.clipboard?.writeText(link).then(
    () => true,
    () => false,
  );
  return { link, copied: copied === true };
}
