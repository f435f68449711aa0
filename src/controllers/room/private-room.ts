/**
 * Making a private room: an unguessable id bound to our identity (see `protocol/room-id.ts`),
 * a new random room key stored for it before anyone is there, and the title as typed. Nobody
 * who types the title finds the room; whoever gets its invite link has id, key and title.
 */
import { newPrivateRoom } from '../../protocol/room-id.js';
import { addRoomKey } from '../../store/room-keys.js';
import type { ActiveRoom } from './room-context.js';
import type { AdminContext } from './room-admin.js';
import { newInviteKey } from './room-keys.js';
import { titleFrom } from './room-choice.js';

/** A private room just made: its id, the nonce that proves who made it, and its title. */
export interface MadeRoom {
  room: string;
  nonce: string;
  title: string;
}

/**
 * Makes a private room for the account of `active` titled `typed`, with its key stored in this
 * browser; undefined when nothing usable was typed.
 */
export async function makePrivateRoom(
  active: ActiveRoom,
  typed: string,
): Promise<MadeRoom | undefined> {
  const title = titleFrom(typed);
  if (title === '') return undefined;
  const { room, nonce } = await newPrivateRoom(active.self.publicKey);
  await addRoomKey(active.db, active.owner, room, await newInviteKey());
  return { room, nonce, title };
}

/**
 * Makes a private room titled `typed` for the room on screen's account (see
 * {@link makePrivateRoom}); undefined, with the problem reported, when it cannot be made.
 */
export async function createPrivateRoom(
  ctx: AdminContext,
  typed: string,
): Promise<MadeRoom | undefined> {
  const active = ctx.active();
  if (!active) return void ctx.fail('not-joined', 'Log in first to make a room.');
  if (titleFrom(typed) === '')
    return void ctx.fail('invalid-room', 'A room needs a name: type one.');
  return makePrivateRoom(active, typed).catch((err: unknown) => {
    // Said as what it is: the storage, never "no name".
    ctx.fail('storage', `Could not make the room in this browser's storage: ${String(err)}`);
    return undefined;
  });
}
