/**
 * Join and leave announcements, gathered per room for a short window and sent as one
 * `relay:presence` frame (join storms, issue 14): however fast connections come and go — a
 * loop of connects, a crowd arriving after a restart — every member of a room receives at most
 * one presence frame per window from this node, not one per change.
 */
import { PRESENCE_MAX_CHANGES, type PresenceChange } from '../src/protocol/relay-frames.js';
import type { PeerHello } from '../src/protocol/peer.js';
import { roomKey } from './members.js';
import type { RelayServer } from './types.js';

/**
 * How long a room's changes are gathered before they go out, in ms: short enough that a
 * newcomer appears at once to a person, long enough to fold a storm into a few frames.
 */
export const PRESENCE_WINDOW_MS = 100;

/** The room changes of one relay node waiting to be announced. */
export class PresenceAnnouncer {
  private readonly pending = new Map<string, PresenceChange[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly io: RelayServer) {}

  /** `hello` joined `room` (the joiner receives its own hello too; clients skip their own id). */
  joined(room: string, hello: PeerHello): void {
    this.queue(room, { join: hello });
  }

  /** The member `id` whose join dates from `since` left `room`. */
  left(room: string, id: string, since: number): void {
    this.queue(room, { leave: id, since });
  }

  /** Sends everything waiting now (a server closing down says its last goodbyes). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const room of [...this.pending.keys()]) this.send(room);
  }

  private queue(room: string, change: PresenceChange): void {
    let changes = this.pending.get(room);
    if (!changes) this.pending.set(room, (changes = []));
    changes.push(change);
    // A frame never grows past what clients take in one; a full one leaves at once.
    if (changes.length >= PRESENCE_MAX_CHANGES) return this.send(room);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), PRESENCE_WINDOW_MS);
      // Announcements never keep a stopping process alive.
      this.timer.unref?.();
    }
  }

  private send(room: string): void {
    const changes = this.pending.get(room);
    this.pending.delete(room);
    if (changes?.length) this.io.to(roomKey(room)).emit('relay:presence', room, changes);
  }
}

/** Each relay's announcer. */
const announcers = new WeakMap<RelayServer, PresenceAnnouncer>();

/** The announcer of the relay on `io` (made on first use). */
export function presenceOf(io: RelayServer): PresenceAnnouncer {
  let announcer = announcers.get(io);
  if (!announcer) announcers.set(io, (announcer = new PresenceAnnouncer(io)));
  return announcer;
}
