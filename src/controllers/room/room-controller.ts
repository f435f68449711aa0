/**
 * `controllers/room/` — one room's messages: this controller and its parts (the room choice and
 * address, intake, incoming, outgoing, delivery and receipts, catch-up, sealing and keys,
 * retention, the message list).
 *
 * Room controller: the one place every message enters. It picks the room, loads its history,
 * sends our messages through the outbox, validates and de-duplicates incoming ones by id, and
 * stores them. Views read `messages` and call `send`, `loadOlder` and `setRoom`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Profile } from '../../store/accounts.js';
import type { ParleyDb } from '../../store/db.js';
import { DEFAULT_HISTORY_MAX, pageMessages } from '../../store/history.js';
import { identityFor } from '../../store/identities.js';
import { signerOf } from '../../protocol/identity.js';
import type { PeerId } from '../../transport/types.js';
import type { CatchUp } from './catch-up.js';
import { DEFAULT_HISTORY_LIMIT } from './page-size.js';
import { catchUpPort } from './room-context.js';
import { Delivery } from './delivery.js';
import type { PresenceController } from '../presence/presence-controller.js';
import type { Problem, ProblemCode } from '../shared/problem.js';
import type { MessageReport } from './message-report.js';
import type { ActiveRoom, RoomServices } from './room-context.js';
import { RoomChoice } from './room-choice.js';
import type { SessionController } from '../session/session-controller.js';
import type { TransportController } from '../connection/transport-controller.js';
import { Incoming } from './incoming.js';
import type { AuthorBudget, IntakeCounts } from './intake.js';
import { MessageList, type ChatMessage } from './message-list.js';
import { RoomSealing } from './room-sealing.js';
import { Outgoing } from './outgoing.js';
import { RoomHistory } from './room-history.js';
import type { ImportReport } from './history-import.js';
import { indexLater, reindexLater } from '../search/index-later.js';
import { statusOf } from './incoming.js';
import type { Retention } from './retention.js';
import type { LaneCounts, MemberLane } from './work-lanes.js';

/** Configuration of the room controller. */
export interface RoomConfig {
  session: SessionController;
  transport: TransportController;
  /** Who is in the room (delivery waits for company, catch-up asks members). */
  presence: PresenceController;
  /** A fixed room (embedding); when undefined the page address (`#room=`) decides. */
  fixedRoom?: () => string | undefined;
  /** Whether joining may start (e.g. settings are loaded); defaults to always. */
  ready?: () => boolean;
  /** Messages a newcomer asks the room for (default 500). */
  historyLimit?: () => number;
  /** Messages kept per room in this browser (default 50,000); older ones are pruned. */
  historyMax?: () => number;
  /** New messages one author may add to our history (default {@link AUTHOR_BUDGET}). */
  authorBudget?: AuthorBudget;
  /** Delays before each resend of an unacknowledged message (default: 3, 6, 12, 24, 48 s). */
  retryDelays?: readonly number[];
  /** Told of every message we send and every new one that arrives. */
  onMessages?: (reports: MessageReport[]) => void;
  /** Told once new messages of `room` (ours or others') are committed to storage. */
  onStored?: (room: string) => void;
  /**
   * When to load what can wait (pruning old history; default: at once). A chat passes its
   * load order, so that chunk comes once the room is live.
   */
  later?: <T>(load: () => Promise<T>) => Promise<T>;
}

/** Owns the current room and its messages. */
export class RoomController extends RoomHistory implements ReactiveController {
  /** The room shown is still loading its keys and history: what is sent waits for it. */
  protected opening = false;
  /** Which room we are in, from the page, its address or what was typed. */
  protected readonly choice: RoomChoice;
  /** Why the last room change or send was refused (or storage failed), with its code. */
  problem: Problem | undefined;
  /** Messages shown, oldest first. */
  readonly list = new MessageList();
  /** Whether older history can be loaded. */
  hasOlder = false;
  private readonly incoming: Incoming;
  /** The room's keys, and what none of them opens yet. */
  protected readonly sealing: RoomSealing;
  protected active: ActiveRoom | undefined;
  // Which (account, room) we have started for; set at once so updates don't start it twice.
  private activeKey: string | undefined;
  /** Our own storage work (sending), in order, in a lane of its own. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Other members' storage work, in turns and bounded (`work-lanes.ts`; loaded at first use). */
  private memberLane: MemberLane | undefined;
  private memberLaneReady: Promise<MemberLane> | undefined;
  private readonly cleanup: Array<() => void> = [];
  private readonly services: RoomServices;
  private readonly delivery: Delivery;
  /**
   * Catch-up: loaded in a chunk of its own at once (nothing needs it before the link is open);
   * what needs it before it is here waits for it.
   */
  private catchUp: CatchUp | undefined;
  private readonly catchUpReady: Promise<CatchUp>;
  protected readonly outgoing: Outgoing;
  /**
   * Keeps the room within `history-max`; loaded in a chunk of its own right after start (it
   * only prunes in the background), and started for the room on screen once it is here.
   */
  private retention: Retention | undefined;
  /** The room whose flush waits in the queue (it sends everything stored by the time it runs). */
  private flushWaiting: ActiveRoom | undefined;

  constructor(
    protected readonly host: ReactiveControllerHost,
    private readonly config: RoomConfig,
  ) {
    super();
    host.addController(this);
    const later = config.later ?? ((load) => load());
    void later(() => import('./retention.js')).then(({ Retention }) => {
      this.retention = new Retention(() => config.historyMax?.() ?? DEFAULT_HISTORY_MAX);
      // A room opened before it was here is started now.
      if (this.active && !this.opening) this.retention.start(this.active);
    });
    this.choice = new RoomChoice({
      fixedRoom: config.fixedRoom,
      invite: (linked, key, wanted) => {
        this.sealing.noteInvite(linked, key);
        if (this.active?.room === wanted) void this.sealing.takeInvite(this.active);
      },
      changed: (problem) => {
        this.problem = problem;
        host.requestUpdate();
      },
    });
    this.services = {
      transport: config.transport,
      roster: () => config.presence.roster,
      wasHere: (userId) => config.presence.wasHere(userId),
      list: this.list,
      changed: () => host.requestUpdate(),
      enqueue: (job) => this.enqueue(job),
    };
    this.delivery = new Delivery(this.services, config.retryDelays, (peer, job) =>
      this.memberWork(peer, job),
    );
    this.sealing = new RoomSealing({
      current: (active) => this.active === active,
      show: (opened) => {
        this.list.upsertMany(opened);
        host.requestUpdate();
      },
      fail: (code, message) => this.fail(code, message),
    });
    this.outgoing = new Outgoing({
      list: this.list,
      sealing: this.sealing,
      current: (active) => this.active === active,
      changed: () => host.requestUpdate(),
      flush: (active, _env, went) => {
        if (!went) this.flushSoon(active);
        config.onStored?.(active.room);
      },
      send: (active, env, local) =>
        this.active === active ? this.delivery.sendNow(active, env, local) : undefined,
      stored: (active, env) => indexLater(active.db, active.owner, [env]),
      resend: (active, id) => this.delivery.retry(active, id),
      fail: (code, message) => this.fail(code, message),
      sent: (r) => config.onMessages?.([r]),
      cap: () => config.transport.payloadCap,
      tabsOnly: () => config.transport.kind === 'broadcast',
    });
    this.catchUpReady = import('./catch-up.js').then(
      ({ CatchUp }) =>
        (this.catchUp = new CatchUp(
          {
            ...catchUpPort(this.services, () => this.active),
            // Answering reads history: a member's turn in the members' lane, bounded.
            enqueue: (job, from) => this.memberWork(from, job),
          },
          () => config.historyLimit?.() ?? DEFAULT_HISTORY_LIMIT,
        )),
    );
    this.incoming = new Incoming(
      {
        ...this.services,
        // Storing what a member sent waits its turn with that member's other work, never ahead
        // of our own sending nor of other members'; it is not dropped (it is already on screen).
        enqueue: (job, from) => void this.memberWork(from ?? '', job, false),
        sealing: this.sealing,
        delivery: this.delivery,
        distrust: (peer) => this.catchUp?.distrust(peer),
        current: (active) => this.active === active,
        arrived: (reports) => config.onMessages?.(reports),
        stored: (active, added) => {
          this.retention?.stored(active, added.length);
          indexLater(active.db, active.owner, added);
          if (added.length > 0) config.onStored?.(active.room);
        },
      },
      config.authorBudget,
    );
  }

  /** What incoming messages were refused, by reason (diagnostics). */
  get refused(): Readonly<IntakeCounts> {
    return this.incoming.counts;
  }

  /** What other members' storage work did: run, or dropped over its bound (diagnostics). */
  get memberWorkDone(): Readonly<LaneCounts> {
    return this.memberLane?.counts ?? { run: 0, dropped: 0 };
  }

  /** Incoming payloads refused so far, for any reason. */
  get dropped(): number {
    const { malformed, forged, conflicts, overBudget } = this.incoming.counts;
    return malformed + forged + conflicts + overBudget;
  }

  /** The room we are in (or about to be). */
  get room(): string {
    return this.choice.room;
  }

  /** Why the last room change or send was refused, in words. */
  get error(): string | undefined {
    return this.problem?.message;
  }

  /** Messages shown, oldest first. */
  get messages(): readonly ChatMessage[] {
    return this.list.items;
  }

  hostConnected(): void {
    const t = this.config.transport;
    const onHash = () => this.choice.fromAddress();
    window.addEventListener('hashchange', onHash);
    this.cleanup.push(
      () => window.removeEventListener('hashchange', onHash),
      // Live, a member sends only its own words: they must be by the identity it proved.
      t.subscribe('chat:message', (env, meta) => void this.receive([env], meta.from, true)),
      t.subscribe('chat:ack', (ack, meta) =>
        this.count(
          this.active &&
            this.delivery.received(this.active, ack, meta.from, () => this.incoming.forgedNotice()),
        ),
      ),
      t.subscribe('chat:sync-req', (req, meta) =>
        this.withCatchUp((c) =>
          this.count(this.active && c.answer(this.active.room, req, meta.from)),
        ),
      ),
      t.subscribe('chat:sync-res', (res, meta) =>
        this.withCatchUp((c) => {
          const envs = this.active && c.accept(this.active.room, res, meta.from);
          if (this.count(envs !== undefined)) void this.receive(envs!, meta.from, false);
        }),
      ),
      t.onPeerJoin((peer) =>
        this.withCatchUp((c) => this.active && c.askOne(this.active.room, peer)),
      ),
      t.onOpen(() => {
        const active = this.active;
        if (!active) return;
        this.flushSoon(active);
        this.withCatchUp((c) => this.active === active && c.ask(active.room));
      }),
    );
    this.choice.fromAddress();
  }

  hostDisconnected(): void {
    this.cleanup.splice(0).forEach((off) => off());
    this.active = undefined;
    this.activeKey = undefined;
    this.delivery.stop();
    this.catchUp?.stop();
    this.retention?.stop();
  }

  /** Sends one of our failed messages again (storing it first if that is what failed). */
  retry(id: string): void {
    if (this.active) this.outgoing.retry(this.active, id);
  }

  /** Messages of ours that are on screen but not yet in IndexedDB. */
  get saving(): number {
    return this.outgoing.saving;
  }

  hostUpdate(): void {
    if (this.cleanup.length === 0) return; // not connected: a detached chat joins nothing
    // Follow the session: join when someone logs in, leave when they log out.
    const profile = this.config.session.profile;
    const db = this.config.session.db;
    if (!profile || !db) {
      if (this.activeKey !== undefined) this.stop();
      return;
    }
    if (this.config.ready && !this.config.ready()) return;
    this.choice.followFixed();
    const key = `${profile.id}\n${this.room}`;
    if (this.activeKey !== key) {
      this.activeKey = key;
      // Another room: the last one's messages go at once, not once the next one's history has
      // been read (its title and draft already show). What is sent meanwhile waits for it.
      if (this.active) {
        this.active = undefined;
        this.list.clear();
        this.hasOlder = false;
        this.forgetJump(true);
      }
      void this.start(key, profile, db);
    }
  }

  /**
   * Moves to the room a person typed ("Design Team" → `design-team`; see `room-choice.ts`).
   * Returns the room's name, or undefined (with `problem` set) when nothing usable was typed.
   */
  setRoom(typed: string): string | undefined {
    return this.choice.set(typed);
  }

  /** Moves to `room`, a room name as it is (one from the room list). */
  openRoom(room: string): string | undefined {
    return this.choice.open(room);
  }

  /**
   * Sends `text` to the room: shown at once, sealed (in an encrypted room), signed and stored
   * (see `outgoing.ts`). Returns false, with `problem` set, when it is refused.
   */
  send(text: string, opts: { reply?: string } = {}): boolean {
    const active = this.active;
    // A room still opening takes the message once it is ready: before its keys have loaded it
    // would go out unsealed in an encrypted room.
    if ((!active || this.opening) && this.activeKey?.endsWith(`\n${this.room}`)) {
      this.outgoing.hold(this.room, text, opts.reply);
      return true;
    }
    if (!active) return this.fail('not-joined', 'Log in and join a room first.');
    this.problem = undefined;
    return this.outgoing.send(active, text, opts.reply);
  }

  /** Flushes the outbox after the storage work queued so far; one waiting flush covers all. */
  private flushSoon(active: ActiveRoom): void {
    if (this.flushWaiting === active) return;
    this.flushWaiting = active;
    this.enqueue(async () => {
      if (this.flushWaiting === active) this.flushWaiting = undefined;
      if (this.active === active) await this.delivery.flush(active);
    });
  }

  /** Loads the page of history before the oldest message shown. */
  async loadOlder(): Promise<void> {
    const active = this.active;
    const oldest = this.list.items[0];
    if (!active || !oldest) return;
    const page = await pageMessages(active.db, active.owner, active.room, oldest).catch(
      (err: unknown) => void this.fail('storage', `Could not read older messages: ${String(err)}`),
    );
    if (!page) return;
    const shown = await this.sealing.openAll(page.messages);
    if (active !== this.active) return;
    this.list.upsertMany(shown);
    this.hasOlder = page.more;
    this.host.requestUpdate();
  }

  private async start(key: string, profile: Profile, dbPromise: Promise<ParleyDb>): Promise<void> {
    const room = this.room;
    const db = await dbPromise;
    if (this.activeKey !== key) return; // superseded while the database opened
    let self;
    try {
      self = signerOf(await identityFor(db, profile.id));
    } catch (err) {
      this.activeKey = undefined;
      this.fail('storage', `Could not read your identity key from this browser: ${String(err)}`);
      return;
    }
    if (this.activeKey !== key) return;
    const active: ActiveRoom = { owner: profile.id, room, db, self, name: profile.name };
    this.active = active;
    this.opening = true;
    this.list.clear();
    this.list.self = self.id;
    this.forgetJump(true);
    reindexLater(db, profile.id);
    this.incoming.clear();
    this.hasOlder = false;
    try {
      await this.sealing.load(active);
      await this.sealing.takeInvite(active);
      const page = await pageMessages(db, active.owner, active.room);
      const shown = await this.sealing.openAll(page.messages);
      if (this.active !== active) return;
      this.list.upsertMany(shown);
      this.hasOlder = page.more;
    } catch (err) {
      // Still join: the conversation goes on even if this browser cannot show its history.
      this.fail(
        'storage',
        `Could not read this room's history from this browser's storage: ${String(err)}`,
      );
    }
    if (this.active !== active) return;
    this.opening = false;
    this.retention?.start(active);
    this.outgoing.release(active);
    this.host.requestUpdate();
    void this.config.transport.join(active.room, { userId: self.id, name: profile.name }, self);
    this.announce(active);
    void this.takeJump();
  }

  /** Shows what an import added to the room on screen, and indexes it. */
  protected imported(active: ActiveRoom, report: ImportReport): void {
    indexLater(active.db, active.owner, report.fresh);
    this.config.onStored?.(report.room);
    // An import may take the room past its history limit: retention keeps it within.
    if (report.room === active.room) this.retention?.stored(active, report.fresh.length);
    if (report.room !== active.room || this.active !== active) return;
    const stored = report.fresh.map((env) => ({
      ...env,
      owner: active.owner,
      status: statusOf(env, active.self),
    }));
    void this.sealing.openAll(stored).then((shown) => {
      if (this.active !== active) return;
      this.list.upsertMany(shown);
      this.host.requestUpdate();
    });
  }

  private stop(): void {
    this.opening = false;
    this.active = undefined;
    this.activeKey = undefined;
    this.retention?.stop();
    this.delivery.stop();
    this.catchUp?.stop();
    this.outgoing.clear(true);
    this.incoming.clear();
    this.sealing.clear();
    this.list.clear();
    this.config.transport.leave();
    this.host.requestUpdate();
  }

  /** Runs `job` with catch-up: at once, or as soon as its chunk is here (in order). */
  private withCatchUp(job: (catchUp: CatchUp) => unknown): void {
    if (this.catchUp) void job(this.catchUp);
    else void this.catchUpReady.then(job);
  }

  /** Takes incoming messages into the room being shown (see `incoming.ts`). */
  private receive(payloads: readonly unknown[], from: PeerId, live: boolean): Promise<void> {
    return this.active
      ? this.incoming.receive(this.active, payloads, from, live)
      : Promise.resolve();
  }

  /** Counts a refused payload; returns whether it was accepted. */
  private count(accepted: boolean | undefined): boolean {
    if (!accepted) this.incoming.refused();
    return accepted === true;
  }

  /** Runs our own storage work one job at a time, so sends keep their order. */
  private enqueue(job: () => Promise<unknown>): void {
    this.queue = this.queue.then(job).catch((err: unknown) => this.storageFailed(err));
  }

  /**
   * Queues another member's storage work in the members' lane (never ahead of or in the way of
   * our own); false when that member has too much waiting (dropped and counted). `bounded:
   * false` for work that must not be lost (storing a message already shown).
   */
  private memberWork(peer: string, job: () => Promise<unknown>, bounded = true): boolean {
    if (this.memberLane) return this.memberLane.add(peer, job, bounded);
    this.memberLaneReady ??= import('./work-lanes.js').then(
      ({ MemberLane }) => (this.memberLane = new MemberLane((err) => this.storageFailed(err))),
    );
    void this.memberLaneReady.then((lane) => lane.add(peer, job, bounded));
    return true;
  }

  private storageFailed(err: unknown): void {
    this.fail('storage', `Could not save to this browser's storage: ${String(err)}`);
  }

  protected fail(code: ProblemCode, message: string): false {
    this.problem = { code, message };
    this.host.requestUpdate();
    return false;
  }
}
