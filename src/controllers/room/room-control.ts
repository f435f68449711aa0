/**
 * A private room's control messages, between the room's sealing and its members' state
 * (`room-members.ts`): every opened message of a control kind is handed over in history order,
 * its quiet line kept for the timeline (the same line each time it is shown again), and a new
 * room key it brings us is passed on to be stored. Loaded only for private rooms (a chunk of its
 * own, with key agreement), so public rooms and the first download never carry it.
 */
import { toBase64Url } from '../../protocol/encoding.js';
import { isRoomRoleKind } from '../../protocol/room-roles.js';
import { agreementKeysFor } from '../../store/agreement-keys.js';
import type { ChatMessage } from './message-list.js';
import type { ActiveRoom } from './room-context.js';
import { RoomMembers, type MemberEntry } from './room-members.js';
import { markControl } from '../../store/control-messages.js';
import {
  announce,
  postControl,
  postRekey,
  type AdminContext,
  type MakePosting,
} from './room-admin.js';
import type { Posting } from './room-members.js';
import type { RoomSealing } from './room-sealing.js';
import { inviteKey } from './room-keys.js';

export type { MemberEntry, Posting } from './room-members.js';
export type { AdminContext } from './room-admin.js';

/** Quiet lines remembered per room (one per control message shown). */
const MAX_NOTES = 5000;

/** What taking a control message gave: its line, or that it is hidden; a key for us. */
export interface Control {
  /** The quiet line to show; undefined: the message is not shown (refused, or says nothing). */
  note?: string;
  /** A new room key given to us (its text), and whether another key won the race to it. */
  key?: { text: string; behind: boolean };
  /** Older keys of the room passed on (`prior`): to open what came before, never to seal. */
  earlier?: string[];
}

/** One private room's members and roles, fed by the messages shown. */
export class RoomControl {
  private readonly notes = new Map<string, string | undefined>();
  /** When each removed member was removed (the removing message's time). */
  private readonly removedAt = new Map<string, number>();

  private constructor(readonly members: RoomMembers) {}

  /** The control state of `active`'s private room, with this account's key-agreement keys. */
  static async open(active: ActiveRoom): Promise<RoomControl> {
    const kx = await agreementKeysFor(active.db, active.owner);
    const self = { id: active.self.id, key: active.self.publicKey };
    return new RoomControl(new RoomMembers({ room: active.room, self, kx }));
  }

  /** Whether `body` (an opened body) is a room-control message. */
  static is(body: unknown): boolean {
    return isRoomRoleKind(body);
  }

  /** Takes `msg` (opened: its inner `body`, the `kid` that opened it); see {@link Control}. */
  async take(msg: ChatMessage, body: unknown): Promise<Control> {
    if (this.notes.has(msg.id)) return { note: this.notes.get(msg.id) };
    const taken = await this.members.take({
      id: msg.id,
      room: msg.room,
      ts: msg.ts,
      from: msg.from,
      body,
      ...(msg.kid ? { kid: msg.kid } : {}),
    });
    const note = taken?.note;
    if (this.notes.size >= MAX_NOTES) this.notes.delete(this.notes.keys().next().value!);
    this.notes.set(msg.id, note);
    const removed = (body as { removed?: unknown }).removed;
    if (note && Array.isArray(removed)) {
      for (const id of removed) if (typeof id === 'string') this.removedAt.set(id, msg.ts);
    }
    const earlier = taken?.earlier?.map((k) => toBase64Url(k.raw));
    const out: Control = { note, ...(earlier?.length ? { earlier } : {}) };
    if (!taken?.key) return out;
    out.key = { text: toBase64Url(taken.key.raw), behind: taken.key.behind === true };
    taken.key.raw.fill(0);
    return out;
  }

  /**
   * Whether a message by `authorId` at `ts` was written after they were removed: it is not
   * shown (they can still seal with the keys they had; the others no longer take their words).
   */
  removedWhen(authorId: string, ts: number): boolean {
    const at = this.removedAt.get(authorId);
    return at !== undefined && ts > at && this.members.isRemoved(authorId);
  }

  /**
   * `msg` as shown: a control message as its quiet line (or not at all: refused, or it says
   * nothing), the keys it brings stored by `sealing`; words by a member after their removal
   * hidden.
   */
  async shown(
    msg: ChatMessage,
    body: unknown,
    sealing: RoomSealing,
    active: ActiveRoom,
  ): Promise<ChatMessage | undefined> {
    if (body === undefined || !RoomControl.is(body)) {
      return this.removedWhen(msg.from.id, msg.ts) ? undefined : msg;
    }
    const taken = await this.take(msg, body);
    this.seen.push(msg.id);
    const add = async (text: string, behind: boolean) => {
      const entry = await inviteKey(text);
      if (entry) await sealing.add(active, entry, behind);
    };
    if (taken.key) await add(taken.key.text, taken.key.behind);
    for (const text of taken.earlier ?? []) await add(text, true);
    // The key in force can change with any message (a race settled, a rekey made valid late):
    // we seal with the one the room's roles say, once we hold it.
    const inForce = sealing.entries.find((k) => k.kid === this.members.sealWith);
    if (inForce && sealing.entries[0] !== inForce) await sealing.add(active, inForce);
    if (taken.note === undefined) return undefined;
    const { unknown: _u, ...rest } = msg;
    return { ...rest, text: '', note: taken.note };
  }

  /** Control messages seen since the last {@link keep}. */
  private seen: string[] = [];

  /** Notes the control messages just seen as such in storage (never pruned, always served). */
  keep(active: ActiveRoom): void {
    const ids = this.seen.splice(0);
    if (ids.length === 0) return;
    markControl(active.db, active.owner, active.room, ids).catch(() => {
      // Not noted: retention may prune it one day, like any message — nothing else is lost.
    });
  }

  /** Posts the control body `make` gives (see `room-admin.ts`). */
  post(ctx: AdminContext, make: MakePosting): Promise<boolean> {
    return postControl(ctx, this.members, make);
  }

  /** Posts a new room key, then the key it replaced under it (see `room-admin.ts`). */
  rekey(ctx: AdminContext, make: (m: RoomMembers) => Promise<Posting>): Promise<boolean> {
    return postRekey(ctx, this.members, make);
  }

  /** Our charter (a room we just made) and our announcement (see `room-admin.ts`). */
  announce(ctx: AdminContext, active: ActiveRoom): Promise<void> {
    return announce(ctx, this.members, active);
  }

  /** The members as views show them. */
  get list(): MemberEntry[] {
    return this.members.members;
  }
}
