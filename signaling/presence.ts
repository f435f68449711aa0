/**
 * Join and leave announcements, gathered per room and sent as `relay:presence` frames (join
 * storms, issue 14): however fast connections come and go — a loop of connects, a crowd
 * arriving after a restart — every member of a room receives at most one presence frame per
 * window (plus the first {@link PRESENCE_BURST}, sent at once) from this node, not one per change.
 */
import { PRESENCE_MAX_CHANGES, type PresenceChange } from '../src/protocol/relay-frames.js';
import type { PeerHello } from '../src/protocol/peer.js';
import { roomKey } from './members.js';
import type { RelayServer } from './types.js';

/**
 * How long a room's later changes are gathered before they go out, in ms: short enough that
 * a person sees no delay, long enough to fold a storm into a few frames.
 */
export const PRESENCE_WINDOW_MS = 100;

/**
 * How many changes of a quiet room go out at once, each in its own frame, before the rest of
 * the window is gathered. Two, not one: the second arrival right after the first (two people
 * opening the room together, a guest following its host, a reload's leave then join) would
 * otherwise wait out the whole window — its join answered ~100 ms late, before any WebRTC work
 * (bench latency-webrtc: join→open p50 ~121 ms, of which ~100 ms this wait). A storm still gets
 * one frame per window after these.
 */
export const PRESENCE_BURST = 2;

/** A room that announced something lately: what waits, and when the window ends. */
interface RoomWindow {
  pending: PresenceChange[];
  /** The connections whose joins wait: they hear of the others in their join reply. */
  joiners: string[];
  /** Join replies held until their join is announced. */
  announced: Array<() => void>;
  /** Changes this window may still send at once (only a quiet room's first window has any). */
  free: number;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The room changes of one relay node. The first {@link PRESENCE_BURST} changes of a quiet room
 * go out at once (a newcomer appears without delay); later ones within the window wait for its
 * end and go out together, and the window starts again (with nothing sent at once) while
 * changes keep coming.
 */
export class PresenceAnnouncer {
  private readonly rooms = new Map<string, RoomWindow>();

  constructor(private readonly io: RelayServer) {}

  /**
   * `hello` joined `room` on the connection `socketId`. Returns undefined when the join was
   * announced at once as a quiet room's first change, or a promise of its announcement (settled
   * already when it went out at once after another): the join reply must wait for it and list
   * the members as of then, so that when a join is answered the room has been told — as a
   * client whose join succeeded expects. A join sent at once right after another lists them
   * anew too: one that joined while ours looked for members heard of us only if it was in the
   * room already, and is listed in our reply otherwise. The joiner is never sent its own join.
   */
  joined(room: string, hello: PeerHello, socketId: string): Promise<void> | undefined {
    const window = this.rooms.get(room);
    if (!window) return void this.open(room, [{ join: hello }], [socketId]);
    if (this.sendNow(room, window, { join: hello }, [socketId])) return Promise.resolve();
    return new Promise<void>((resolve) => {
      window.pending.push({ join: hello });
      window.joiners.push(socketId);
      window.announced.push(resolve);
      this.sendIfFull(room, window);
    });
  }

  /** The member `id` whose join dates from `since` left `room`. */
  left(room: string, id: string, since: number): void {
    const window = this.rooms.get(room);
    if (!window) return this.open(room, [{ leave: id, since }], []);
    if (this.sendNow(room, window, { leave: id, since }, [])) return;
    window.pending.push({ leave: id, since });
    this.sendIfFull(room, window);
  }

  /** Sends everything waiting now (a server closing down says its last goodbyes). */
  flush(): void {
    for (const [room, window] of this.rooms) {
      clearTimeout(window.timer);
      this.sendWaiting(room, window);
    }
    this.rooms.clear();
  }

  /** A quiet room's first change: sent now, and a window opens. */
  private open(room: string, changes: PresenceChange[], skip: string[]): void {
    this.send(room, changes, skip);
    const window: RoomWindow = {
      pending: [],
      joiners: [],
      announced: [],
      free: PRESENCE_BURST - 1,
      timer: undefined!,
    };
    window.timer = this.windowEnd(room, window);
    this.rooms.set(room, window);
  }

  /**
   * Sends `change` at once if the window still may and nothing waits (which would have to go
   * first, in order); says whether it did.
   */
  private sendNow(room: string, window: RoomWindow, change: PresenceChange, skip: string[]) {
    if (window.free <= 0 || window.pending.length) return false;
    window.free--;
    this.send(room, [change], skip);
    return true;
  }

  /** A frame never grows past what clients take in one: a full one leaves at once. */
  private sendIfFull(room: string, window: RoomWindow): void {
    if (window.pending.length >= PRESENCE_MAX_CHANGES) this.sendWaiting(room, window);
  }

  /** At the window's end: what waited goes out and a new window starts, or the room is quiet. */
  private windowEnd(room: string, window: RoomWindow): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      if (!window.pending.length) return void this.rooms.delete(room);
      this.sendWaiting(room, window);
      // A busy room stays gathered: the next window sends nothing at once.
      window.free = 0;
      window.timer = this.windowEnd(room, window);
    }, PRESENCE_WINDOW_MS);
    // Announcements never keep a stopping process alive.
    timer.unref?.();
    return timer;
  }

  private sendWaiting(room: string, window: RoomWindow): void {
    this.send(room, window.pending.splice(0), window.joiners.splice(0));
    for (const announced of window.announced.splice(0)) announced();
  }

  private send(room: string, changes: PresenceChange[], skip: string[]): void {
    if (changes.length)
      this.io.to(roomKey(room)).except(skip).emit('relay:presence', room, changes);
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
