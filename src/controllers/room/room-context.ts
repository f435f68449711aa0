/**
 * What the room controller's helpers (delivery, catch-up) share: the room being shown, for
 * whom, in which database, who else is there, and how to reach them — and catch-up's port to
 * it (catch-up itself knows no browser, see `catch-up.ts`).
 */
import type { Signer } from '../../protocol/identity.js';
import type { ParleyDb } from '../../store/db.js';
import { messagesSince } from '../../store/history.js';
import { isPrivateRoom } from '../../protocol/room-kind.js';
import type { CatchUpPort } from './catch-up.js';
import type { MessageList } from './message-list.js';
import type { RosterMember } from '../presence/roster.js';
import type { PeerId } from '../../transport/types.js';
import type { TransportController } from '../connection/transport-controller.js';

/** The room being shown, for one account. */
export interface ActiveRoom {
  /** Account id: owner of the stored history. */
  owner: string;
  room: string;
  db: ParleyDb;
  /** Our identity: its id is the author id of our messages; it signs them. */
  self: Signer;
  /** Our display name. */
  name: string;
}

/** Services the helpers use. */
export interface RoomServices {
  transport: TransportController;
  /** Who is in the room now, ourselves first (the presence controller's roster). */
  roster: () => readonly RosterMember[];
  /**
   * Whether identity `userId` said, signed, that it is here — now or in the last two minutes
   * (see `presence/here.ts`): only such a member's receipt makes a message *delivered*.
   */
  wasHere: (userId: string) => boolean;
  list: MessageList;
  /** Asks the host to render again. */
  changed: () => void;
  /**
   * Runs storage work in order with everything else the room does; `from`, for work a member's
   * frame asked for, is whose turn it takes (see the room controller's members' lane).
   */
  enqueue: (job: () => Promise<unknown>, from?: PeerId) => void;
}

/**
 * Catch-up's view of the room on screen (`active()`): its members (direct links first), its
 * newest settled message, its history in IndexedDB, the live link.
 */
export function catchUpPort(s: RoomServices, active: () => ActiveRoom | undefined): CatchUpPort {
  return {
    emitTo: (peer, ev, payload) => {
      try {
        const send = s.transport.emitTo.bind(s.transport) as (
          to: string,
          ev: string,
          arg: unknown,
        ) => boolean;
        return send(peer, ev, payload);
      } catch {
        return false; // refused by the link (too large for it, say): nothing was sent
      }
    },
    // Everyone the link lists, not only who said they are here: a newcomer asks before their
    // hellos arrive, and every message of an answer is checked on its own anyway.
    members: () => {
      const reach = s.transport.reach();
      if (!reach) return [];
      return reach.members
        .filter((m) => m.hello.userId !== reach.me.userId)
        .sort((a, b) => Number(b.link === 'direct') - Number(a.link === 'direct'))
        .map((m) => m.hello.id);
    },
    newest: () => s.list.items.findLast((m) => m.status !== 'queued' && m.status !== 'saving')?.ts,
    history: async (room, since, limit) => {
      const a = active();
      // What was written for this browser's tabs only is served only over the tabs' link.
      const local = s.transport.kind === 'broadcast';
      if (a?.room !== room) return [];
      if (!isPrivateRoom(room)) return messagesSince(a.db, a.owner, room, since, limit, { local });
      // A private room's control messages go along whatever the limit (loaded with the room).
      const { messagesWithControl } = await import('../../store/control-messages.js');
      return messagesWithControl(a.db, a.owner, room, since, limit, { local });
    },
    enqueue: s.enqueue,
    cap: () => s.transport.payloadCap,
  };
}
