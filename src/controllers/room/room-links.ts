/**
 * A room's keys as people handle them — a passphrase entered, a key an invite link brought,
 * the room's one link copied — for the room controller, loaded when one of these is first
 * asked for (a chunk of its own: the first download never carries it). Every "Copy invite link"
 * copies the same link for the same key; nothing here makes or changes a key but a passphrase.
 * And, while a passphrase is typed in Settings, how many stored messages it would open.
 */
import { readBody, readMessage } from '../../protocol/message-body.js';
import { messagesSince } from '../../store/history.js';
import type { ProblemCode } from '../shared/problem.js';
import type { ActiveRoom } from './room-context.js';
import { inviteKey, inviteLink, passphraseKey, passphraseProblem, roomLink } from './room-keys.js';
import type { AdminContext } from './room-admin.js';
import type { RoomSealing } from './room-sealing.js';

type Fail = (code: ProblemCode, message: string) => false;

/**
 * Derives the room's key from `passphrase` and seals with it from now on (it also opens what
 * was sealed with it); false, with the problem reported, when it is refused.
 */
export async function usePassphrase(ctx: AdminContext, passphrase: string): Promise<boolean> {
  const active = ctx.active();
  if (!active) return ctx.fail('not-joined', 'Log in and join a room first.');
  const why = passphraseProblem(passphrase);
  if (why) return ctx.fail('invalid-passphrase', why);
  ctx.ok();
  return ctx.sealing.add(active, await passphraseKey(passphrase, active.room));
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
 * The link to the room on screen, on the page at `base`: with the key we seal with (a private
 * room's, a passphrase's, one a link brought) and the room's title, else the plain `#room=`
 * link (undefined outside a room). A key stored before keys kept their text gives the plain link; its passphrase typed
 * again gives the full one.
 */
export function roomInviteLink(ctx: AdminContext, base: string): string | undefined {
  const active = ctx.active();
  if (!active) return undefined;
  const invite = ctx.sealing.entries[0]?.invite;
  const title = ctx.title(active.room);
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

/** Sealed messages looked at (the newest ones). */
export const PREVIEW_SCAN = 5000;

/**
 * How many of the room on screen's newest {@link PREVIEW_SCAN} stored messages are sealed, and how many
 * of those the key of `passphrase` opens (none for a passphrase that would be refused).
 */
export async function previewPassphrase(
  ctx: AdminContext,
  passphrase: string,
): Promise<{ opens: number; sealed: number }> {
  const active = ctx.active();
  if (!active) return { opens: 0, sealed: 0 };
  if (passphraseProblem(passphrase)) return { opens: 0, sealed: 0 };
  const entry = await passphraseKey(passphrase, active.room);
  const stored = await messagesSince(active.db, active.owner, active.room, 0, PREVIEW_SCAN, {
    local: true,
  });
  const sealed = stored.filter((m) => readBody(m.body)?.kind === 'sealed');
  const opened = await Promise.all(
    sealed.map((m) => readMessage(m, [entry]).then((r) => r !== undefined)),
  );
  return { opens: opened.filter(Boolean).length, sealed: sealed.length };
}
