/**
 * What the room controller's helpers (delivery, catch-up, presence) share: the room being
 * shown, for whom, in which database, and how to reach the others.
 */
import type { ParleyDb } from '../store/db.js';
import type { MessageList } from './message-list.js';
import type { TransportController } from './transport-controller.js';

/** The room being shown, for one account. */
export interface ActiveRoom {
  /** Account id: owner of the stored history. */
  owner: string;
  room: string;
  db: ParleyDb;
}

/** Services the helpers use. */
export interface RoomServices {
  transport: TransportController;
  list: MessageList;
  /** Asks the host to render again. */
  changed: () => void;
  /** Runs storage work in order with everything else the room does. */
  enqueue: (job: () => Promise<unknown>) => void;
}
