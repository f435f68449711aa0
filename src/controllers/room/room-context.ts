/**
 * What the room controller's helpers (delivery, catch-up) share: the room being shown, for
 * whom, in which database, who else is there, and how to reach them.
 */
import type { Signer } from '../../protocol/identity.js';
import type { ParleyDb } from '../../store/db.js';
import type { MessageList } from './message-list.js';
import type { RosterMember } from '../presence/roster.js';
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
  list: MessageList;
  /** Asks the host to render again. */
  changed: () => void;
  /** Runs storage work in order with everything else the room does. */
  enqueue: (job: () => Promise<unknown>) => void;
}
