/**
 * How many of a room's stored sealed messages a passphrase would open, before it is used:
 * Settings says so while it is typed. Nothing is stored or changed. Loaded when first asked
 * (a chunk of its own: the first download never carries it).
 */
import { readBody, readMessage } from '../../protocol/message-body.js';
import { messagesSince } from '../../store/history.js';
import type { ActiveRoom } from './room-context.js';
import { passphraseKey, passphraseProblem } from './room-keys.js';

/** Sealed messages looked at (the newest ones). */
export const PREVIEW_SCAN = 5000;

/**
 * How many of `active`'s newest {@link PREVIEW_SCAN} stored messages are sealed, and how many
 * of those the key of `passphrase` opens (none for a passphrase that would be refused).
 */
export async function previewPassphrase(
  active: ActiveRoom,
  passphrase: string,
): Promise<{ opens: number; sealed: number }> {
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
