/**
 * What a node remembers of directed sends that found nobody: "connection X is not in room R"
 * for a few seconds. Looking a connection up on other nodes costs a round through Redis and an
 * answer from every node, so a client sending frame after frame at an absent id (by mistake or
 * on purpose) must not make every node work for each one. A connection that joins the room
 * meanwhile is found again at the latest when the memory expires.
 */
import { refuse } from './handlers.js';
import type { Logger } from './log.js';
import { helloIn, isPeerId, memberData } from './members.js';
import { peerIdOf } from './peer-id.js';
import type { RelayServer, RelaySocket } from './types.js';

/**
 * How long "not there" is remembered, in ms: short, since a member who rejoins on another node
 * is out of reach of this node's directed sends for that long (receipts and resends cover it).
 */
export const ABSENT_TTL_MS = 1000;
/** Most (id, room) pairs remembered per node; the oldest go first. */
const MAX_ABSENT = 10_000;

/** Remembered misses of one node, and the lookups under way. */
export class AbsentTargets {
  private readonly until = new Map<string, number>();
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Whether `id` was found absent from `room` lately. */
  has(id: string, room: string): boolean {
    const key = `${id}\n${room}`;
    const until = this.until.get(key);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.until.delete(key);
    return false;
  }

  /** Remembers that `id` is not in `room`. */
  add(id: string, room: string): void {
    if (this.until.size >= MAX_ABSENT) this.until.delete(this.until.keys().next().value!);
    this.until.set(`${id}\n${room}`, this.now() + ABSENT_TTL_MS);
  }

  /**
   * `look(id)`, shared by every caller while it runs: frames sent together at one id cost one
   * lookup, not one each.
   */
  lookup<T>(id: string, look: (id: string) => Promise<T>): Promise<T> {
    let running = this.pending.get(id) as Promise<T> | undefined;
    if (!running) {
      running = look(id).finally(() => this.pending.delete(id));
      this.pending.set(id, running);
    }
    return running;
  }

  /** Forgets `id` (it joined a room here). */
  forget(id: string, room: string): void {
    this.until.delete(`${id}\n${room}`);
  }
}

/**
 * A directed send from `socket` to member `to` of `room`, on whichever node it is: `deliver`
 * runs with the sender's peer id once `to` is found in the room; otherwise the sender hears
 * `unknown-peer` for `event`, and the miss is remembered (see {@link AbsentTargets}).
 */
export function toMember(
  io: RelayServer,
  socket: RelaySocket,
  absent: AbsentTargets,
  target: { to: unknown; room: string; event: string },
  log: Logger,
  deliver: (from: string) => void,
): void {
  const { to, room, event } = target;
  const noPeer = () => refuse(socket, 'unknown-peer', 'no such peer in this room', event);
  const from = peerIdOf(socket);
  if (!isPeerId(to) || to === from || absent.has(to, room)) return noPeer();
  absent
    .lookup(to, (id) => memberData(io, id))
    .then(
      (data) => {
        if (!helloIn(data, room)) {
          absent.add(to, room);
          return noPeer();
        }
        deliver(from);
      },
      (err: unknown) => log('warn', 'member lookup failed', { err: String(err) }),
    );
}
