/**
 * `controllers/rooms/` — the room list's data: this controller, the summaries of each room and
 * background listening to the rooms not on screen.
 *
 * Rooms controller: the rooms the logged-in account has joined, for the room list — each with
 * its title (the name as typed), unread count and newest message — and the draft left in each
 * room's composer. It follows the session: an account's rooms load at its login and are
 * forgotten at its logout. With more than one room it listens to the others in the background
 * (room-watch.ts) so their counts move. The store and the watch are loaded on first need, so
 * the first download carries only this class.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ParleyDb } from '../../store/db.js';
import { identityFor } from '../../store/identities.js';
import type { RoomRecord } from '../../store/schema.js';
import type { LastMessage } from './room-summary.js';
import type { RoomWatch, WatchLink } from './room-watch.js';
import type { SessionController } from '../session/session-controller.js';

/** One room of the list, as views show it. */
export interface RoomEntry {
  room: string;
  /** What the person typed for the room, or its name. */
  title: string;
  /** Unread messages, counted up to 100 (views show 100 as "99+"). */
  unread: number;
  /** The newest message: author, text (or "Encrypted message" if no key opens it), time. */
  last?: LastMessage;
  /** It is the room on screen. */
  current: boolean;
}

/** Configuration of the rooms controller. */
export interface RoomsConfig {
  session: SessionController;
  /** The room on screen. */
  room: () => string;
  /** How to listen to the other rooms (undefined: not at all). */
  watch?: () => WatchLink | undefined;
}

/** How long typing rests before the draft is saved, in ms. */
const DRAFT_SAVE_MS = 300;

type Data = typeof import('./room-summary.js');

/** The logged-in account the rooms are loaded for. */
interface Account {
  owner: string;
  name: string;
  /** Our identity's id: the author id of our messages (not counted as unread). */
  self: string;
  db: ParleyDb;
  data: Data;
}

/** Owns the room list, unread counts and drafts of the logged-in account. */
export class RoomsController implements ReactiveController {
  /** Whether the logged-in account's rooms are loaded. */
  loaded = false;
  private entries: RoomEntry[] = [];
  private stale = true;
  private readonly records = new Map<string, RoomRecord>();
  /** Each room's count and newest message; `late`: of the count, late arrivals (see `readLate`). */
  private readonly summaries = new Map<
    string,
    Pick<RoomEntry, 'unread' | 'last'> & { late?: number }
  >();
  private readonly drafts = new Map<string, string>();
  private readonly unsaved = new Set<string>();
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  /** Rooms being counted; `true` when another count was asked for meanwhile. */
  private readonly counting = new Map<string, boolean>();
  private account: Account | undefined;
  /** The account being loaded or loaded (its id), and the load itself. */
  private following: string | undefined;
  private ready: Promise<Account | undefined> = Promise.resolve(undefined);
  private current = '';
  private connected = false;
  private watch: RoomWatch | undefined;
  private watchLoading = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: RoomsConfig,
  ) {
    host.addController(this);
  }

  /** This account's rooms, the most recently active first; empty when logged out. */
  get list(): RoomEntry[] {
    if (this.stale) {
      this.stale = false;
      const current = this.config.room();
      this.entries = [...this.records.values()]
        .sort((a, b) => b.lastActivity - a.lastActivity || (a.room < b.room ? -1 : 1))
        .map(({ room, title }) => ({
          room,
          title,
          unread: 0,
          ...this.summaries.get(room),
          current: room === current,
        }));
    }
    return this.entries;
  }

  /** Messages the rooms listened to in the background refused so far (diagnostics). */
  get refused(): number {
    return this.watch?.refused ?? 0;
  }

  hostConnected(): void {
    this.connected = true;
    this.hostUpdate();
  }

  hostUpdate(): void {
    this.follow();
    const room = this.config.room();
    if (room !== this.current) {
      this.current = room;
      this.stale = true;
      this.flushDrafts();
    }
    this.refreshWatch();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.flushDrafts();
    this.watch?.close();
    this.watch = undefined;
  }

  /** The display title of `room`: as typed when it was joined, else its name. */
  title(room: string): string {
    return this.records.get(room)?.title ?? room;
  }

  /** The person opened `room`: it is added to the list (or kept, taking `title` if given). */
  async visit(room: string, title?: string): Promise<void> {
    const acc = await this.ready;
    if (!acc || acc !== this.account) return;
    const record = await acc.data.putRoom(acc.db, acc.owner, room, title);
    if (acc !== this.account) return;
    const draft = this.drafts.get(room);
    this.records.set(room, draft === undefined ? record : { ...record, draft });
    if (draft === undefined) this.drafts.set(room, record.draft);
    else if (draft !== record.draft) this.unsaved.add(room);
    this.evict(acc.data.MAX_ROOMS, room);
    this.changed();
    this.recount(room);
  }

  /** The person has seen the messages of `room` up to `ts`. */
  read(room: string, ts: number): void {
    // Read up to now at most: a message dated ahead must not hide the ones that follow it.
    ts = Math.min(ts, Date.now());
    const acc = this.account;
    const record = this.records.get(room);
    if (!acc || !record) return;
    this.readLate(room);
    if (ts <= record.lastRead) return;
    this.records.set(room, { ...record, lastRead: ts });
    const summary = this.summaries.get(room);
    if (summary && summary.unread > 0 && (!summary.last || ts >= summary.last.ts)) {
      this.summaries.set(room, { ...summary, unread: 0 });
      this.changed();
    }
    void acc.data
      .setLastRead(acc.db, acc.owner, room, ts)
      .then(() => this.recount(room))
      .catch(() => {});
  }

  /**
   * The room is seen: its late arrivals (dated before what was read, so reading up to a date
   * does not clear them) are read too.
   */
  private readLate(room: string): void {
    const acc = this.account;
    const summary = this.summaries.get(room);
    if (!acc || !summary?.late) return;
    this.summaries.set(room, { ...summary, unread: summary.unread - summary.late, late: 0 });
    this.changed();
    void acc.data
      .seenLate(acc.db, acc.owner, room)
      .then(() => this.recount(room))
      .catch(() => {});
  }

  /** Messages were stored in `room`: its count and newest message are worked out again. */
  noticed(room: string): void {
    this.recount(room);
  }

  /** The saved draft of `room` ('' if none). */
  draft(room: string): string {
    return this.drafts.get(room) ?? '';
  }

  /**
   * Keeps `text` as the draft of `room`, saved once typing rests, at a room switch and when
   * the host goes (the store cuts it to the longest message).
   */
  setDraft(room: string, text: string): void {
    if (this.drafts.get(room) === text) return;
    this.drafts.set(room, text);
    this.unsaved.add(room);
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.flushDrafts(), DRAFT_SAVE_MS);
  }

  /**
   * Takes `room` off the list; with `deleteHistory` its messages are deleted too, except ours
   * still waiting to be delivered (they stay and go out if the room is joined again). Resolves
   * with how many were kept that way.
   */
  async leave(room: string, opts: { deleteHistory: boolean }): Promise<{ kept: number }> {
    const acc = await this.ready;
    if (!acc || acc !== this.account) return { kept: 0 };
    this.records.delete(room);
    this.summaries.delete(room);
    this.drafts.delete(room);
    this.unsaved.delete(room);
    this.changed();
    return acc.data.removeRoom(acc.db, acc.owner, room, opts.deleteHistory);
  }

  /** Loads the logged-in account's rooms, or forgets the last one's at a logout. */
  private follow(): void {
    const { profile, db } = this.config.session;
    const owner = profile && db ? profile.id : undefined;
    if (owner === this.following) return;
    this.flushDrafts();
    this.watch?.close();
    this.watch = undefined;
    this.account = undefined;
    this.following = owner;
    this.loaded = false;
    this.records.clear();
    this.summaries.clear();
    this.drafts.clear();
    this.unsaved.clear();
    this.stale = true;
    this.ready = owner ? this.load(owner, profile!.name, db!) : Promise.resolve(undefined);
  }

  private async load(
    owner: string,
    name: string,
    dbp: Promise<ParleyDb>,
  ): Promise<Account | undefined> {
    try {
      const [db, data] = await Promise.all([dbp, import('./room-summary.js')]);
      const self = (await identityFor(db, owner)).id;
      const records = await data.listRooms(db, owner);
      if (this.following !== owner) return undefined;
      const acc: Account = { owner, name, self, db, data };
      this.account = acc;
      for (const r of records) {
        this.records.set(
          r.room,
          this.drafts.has(r.room) ? { ...r, draft: this.drafts.get(r.room)! } : r,
        );
        if (!this.drafts.has(r.room)) this.drafts.set(r.room, r.draft);
      }
      this.loaded = true;
      this.changed();
      records.forEach((r) => this.recount(r.room));
      this.flushDrafts();
      return acc;
    } catch {
      // Storage failing: the list stays empty; the chat itself goes on.
      if (this.following === owner) this.loaded = true;
      this.changed();
      return undefined;
    }
  }

  /** Works out `room`'s unread count and newest message; one count at a time per room. */
  private recount(room: string): void {
    if (this.counting.has(room)) return void this.counting.set(room, true);
    this.counting.set(room, false);
    void (async () => {
      try {
        do {
          this.counting.set(room, false);
          const acc = this.account;
          const record = this.records.get(room);
          if (!acc || !record) return;
          const s = await acc.data.summarize(acc.db, record, acc.self);
          const now = this.records.get(room);
          if (acc !== this.account || !now) return;
          if (s.record.lastActivity > now.lastActivity) {
            this.records.set(room, { ...now, lastActivity: s.record.lastActivity });
          }
          this.summaries.set(room, {
            unread: s.unread,
            ...(s.last ? { last: s.last } : {}),
            ...(s.late ? { late: s.late } : {}),
          });
          this.changed();
        } while (this.counting.get(room));
      } catch {
        // Storage failing: the count stays as it was.
      } finally {
        this.counting.delete(room);
      }
    })();
  }

  /** Saves the drafts changed since the last save (of rooms on the list). */
  private flushDrafts(): void {
    clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    const acc = this.account;
    if (!acc) return;
    for (const room of this.unsaved) {
      const record = this.records.get(room);
      const draft = this.drafts.get(room) ?? '';
      if (!record) continue; // saved when the room is visited
      this.records.set(room, { ...record, draft });
      void acc.data.setDraft(acc.db, acc.owner, room, draft).catch(() => {});
    }
    this.unsaved.clear();
  }

  /** Keeps at most `max` rooms in memory too, as the store does (never `keep`). */
  private evict(max: number, keep: string): void {
    const order = [...this.records.values()].sort((a, b) => a.lastActivity - b.lastActivity);
    for (const r of order) {
      if (this.records.size <= max) break;
      if (r.room !== keep) this.records.delete(r.room);
    }
  }

  /** Listens to the rooms not on screen while there is more than one (see room-watch.ts). */
  private refreshWatch(): void {
    const acc = this.account;
    const link = this.connected && acc && this.records.size > 1 ? this.config.watch?.() : undefined;
    if (!acc || !link) {
      this.watch?.close();
      this.watch = undefined;
      return;
    }
    const others = this.list.filter((e) => !e.current).map((e) => e.room);
    if (this.watch) return this.watch.follow(others, link);
    if (this.watchLoading) return;
    this.watchLoading = true;
    void import('./room-watch.js')
      .then(({ RoomWatch }) => {
        this.watchLoading = false;
        if (acc !== this.account || this.watch) return;
        this.watch = new RoomWatch({
          db: acc.db,
          owner: acc.owner,
          name: acc.name,
          noticed: (room) => this.noticed(room),
        });
        this.refreshWatch();
      })
      .catch(() => (this.watchLoading = false));
  }

  private changed(): void {
    this.stale = true;
    this.host.requestUpdate();
  }
}
