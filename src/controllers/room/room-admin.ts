/**
 * Posting a private room's control messages (part of the room-control chunk, loaded for private
 * rooms only): a grant, a removal or a new key, each sealed under the key the room's roles name,
 * signed, stored and sent like a message, then taken into the room's state as if it had come
 * back; after a new key, the key it replaced passed on under it; and on entering, our charter
 * (a room we just made) and our announcement.
 */
import { fromBase64Url } from '../../protocol/encoding.js';
import type { ProblemCode } from '../shared/problem.js';
import type { MessageList } from './message-list.js';
import type { Outgoing } from './outgoing.js';
import type { ActiveRoom } from './room-context.js';
import type { Posting, RoomMembers } from './room-members.js';
import type { RoomSealing } from './room-sealing.js';

/** How long a newcomer to a private room waits for its history before announcing itself. */
export const ANNOUNCE_WAIT_MS = 2000;

/** What posting needs of the room controller. */
export interface AdminContext {
  /** The room on screen now. */
  active: () => ActiveRoom | undefined;
  sealing: RoomSealing;
  outgoing: Outgoing;
  list: MessageList;
  fail: (code: ProblemCode, message: string) => false;
  /** The title of `room` a link or a new room brought, if any. */
  title: (room: string) => string | undefined;
  /** Private rooms we just made, by id, with the nonce their charter shows (taken once). */
  charters: Map<string, string>;
  /** A change went out: clears the last problem and renders. */
  ok: () => void;
}

/** Makes the body to post from the room's members' state (or says why not). */
export type MakePosting = (members: RoomMembers) => Posting | Promise<Posting>;

/** Posts the body `make` gives (ours, sealed under its key) and takes it in; false if refused. */
export async function postControl(
  ctx: AdminContext,
  members: RoomMembers,
  make: MakePosting,
): Promise<boolean> {
  const active = ctx.active();
  if (!active) return ctx.fail('not-joined', 'Log in and join a room first.');
  const posting = await make(members);
  if (!posting.body) return ctx.fail('not-allowed', posting.reason);
  if (ctx.active() !== active) return false;
  const row = ctx.outgoing.post(active, posting.body, '', posting.sealWith);
  if (!row) return false;
  const shown = await ctx.sealing.own({ ...row, kid: posting.sealWith ?? row.kid }, posting.body);
  if (ctx.active() !== active) return false;
  const now = ctx.list.get(row.id);
  // A control message that says nothing to people (our own announcement, a passed-on key)
  // is stored and sent, not shown.
  if (now && shown?.note) ctx.list.upsert({ ...now, note: shown.note });
  else ctx.list.remove(row.id);
  ctx.ok();
  return true;
}

/**
 * Posts a new room key (`make`), then the key it replaced sealed under the new one, so
 * members invited later (their link has the newest key) can open what came before.
 */
export async function postRekey(
  ctx: AdminContext,
  members: RoomMembers,
  make: (members: RoomMembers) => Promise<Posting>,
): Promise<boolean> {
  let replaced: string | undefined;
  const posted = await postControl(ctx, members, async (m) => {
    const posting = await make(m);
    replaced = ctx.sealing.entries.find((k) => k.kid === posting.sealWith)?.invite;
    return posting;
  });
  if (!posted || replaced === undefined) return posted;
  const raw = fromBase64Url(replaced)!;
  await postControl(ctx, members, (m) => m.priorBody(raw));
  raw.fill(0);
  return true;
}

/**
 * On entering a private room: our charter first when we just made it, then our
 * announcement (our key-agreement key, so admins can send us new keys) unless the room's history
 * already holds it — a newcomer waits a moment for the history its catch-up brings.
 */
export async function announce(
  ctx: AdminContext,
  members: RoomMembers,
  active: ActiveRoom,
): Promise<void> {
  const nonce = ctx.charters.get(active.room);
  ctx.charters.delete(active.room);
  const title = ctx.title(active.room) ?? active.room;
  if (nonce) await postControl(ctx, members, (m) => m.charterBody(nonce, title));
  else await new Promise((r) => setTimeout(r, ANNOUNCE_WAIT_MS));
  if (ctx.active() !== active) return;
  if (members.memberBody().body) await postControl(ctx, members, (m) => m.memberBody());
}
