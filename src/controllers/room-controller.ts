/**
 * Room controller: the one place every message enters. It picks the room, loads its history,
 * sends our messages through the outbox, validates and de-duplicates incoming ones by id, and
 * stores them. Views read `messages` and call `send`, `loadOlder` and `setRoom`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { uuidv7 } from 'uuidv7';
import * as v from 'valibot';
import type { Profile } from '../store/accounts.js';
import type { ParleyDb } from '../store/db.js';
import { addMessages, pageMessages } from '../store/history.js';
import { queueOutgoing } from '../store/outbox.js';
import type { StoredMessage } from '../store/schema.js';
import { ChatBodySchema, EnvelopeSchema, type Envelope } from '../protocol/chat-events.js';
import { describeIssues } from '../protocol/fields.js';
import { MAX_CLOCK_SKEW_MS } from '../protocol/limits.js';
import type { PeerId } from '../transport/types.js';
import { CatchUp, DEFAULT_HISTORY_LIMIT } from './catch-up.js';
import { Delivery } from './delivery.js';
import type { PresenceController } from './presence-controller.js';
import type { Problem, ProblemCode } from './problem.js';
import { report, type MessageReport } from './message-report.js';
import type { ActiveRoom, RoomServices } from './room-context.js';
import { DEFAULT_ROOM, roomFromHash, roomProblem, writeRoomToHash } from './room-address.js';
import type { SessionController } from './session-controller.js';
import type { TransportController } from './transport-controller.js';
import { MessageList } from './message-list.js';
import { UnsavedGuard } from './unsaved-guard.js';

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
  /** Delays before each resend of an unacknowledged message (default: 3, 6, 12, 24, 48 s). */
  retryDelays?: readonly number[];
  /** Told of every message we send and every new one that arrives. */
  onMessages?: (reports: MessageReport[]) => void;
}

/** Our own words can come back (another tab of ours, or a peer's copy after a catch-up). */
function statusOf(env: Envelope, active: ActiveRoom) {
  return env.from.id === active.owner ? ('delivered' as const) : ('received' as const);
}

/** Owns the current room and its messages. */
export class RoomController implements ReactiveController {
  /** The room we are in (or about to be). */
  room = DEFAULT_ROOM;
  /** Why the last room change or send was refused (or storage failed), with its code. */
  problem: Problem | undefined;
  /** Messages shown, oldest first. */
  readonly list = new MessageList();
  /** Whether older history can be loaded. */
  hasOlder = false;
  /** Incoming payloads dropped because they failed validation. */
  dropped = 0;
  private active: ActiveRoom | undefined;
  // Which (account, room) we have started for; set at once so updates don't start it twice.
  private activeKey: string | undefined;
  private seq = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly cleanup: Array<() => void> = [];
  private readonly services: RoomServices;
  private readonly delivery: Delivery;
  private readonly catchUp: CatchUp;
  /** Asks before the page goes while a sent message is not stored yet. */
  private readonly guard = new UnsavedGuard();
  /** Our messages whose write failed: Retry stores them first. */
  private readonly unsaved = new Map<string, Envelope>();
  /** The room whose flush waits in the queue (it sends everything stored by the time it runs). */
  private flushWaiting: ActiveRoom | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: RoomConfig,
  ) {
    host.addController(this);
    this.services = {
      transport: config.transport,
      roster: () => config.presence.roster,
      list: this.list,
      changed: () => host.requestUpdate(),
      enqueue: (job) => this.enqueue(job),
    };
    this.delivery = new Delivery(this.services, config.retryDelays);
    this.catchUp = new CatchUp(
      this.services,
      () => config.historyLimit?.() ?? DEFAULT_HISTORY_LIMIT,
    );
  }

  /** Why the last room change or send was refused, in words. */
  get error(): string | undefined {
    return this.problem?.message;
  }

  /** Messages shown, oldest first. */
  get messages(): readonly StoredMessage[] {
    return this.list.items;
  }

  hostConnected(): void {
    const t = this.config.transport;
    const onHash = () => this.pickRoom();
    window.addEventListener('hashchange', onHash);
    this.cleanup.push(
      () => window.removeEventListener('hashchange', onHash),
      t.subscribe('chat:message', (env, meta) => this.receive([env], meta.from)),
      t.subscribe('chat:ack', (ack, meta) =>
        this.count(this.active && this.delivery.received(this.active, ack, meta.from)),
      ),
      t.subscribe('chat:sync-req', (req, meta) =>
        this.count(this.active && this.catchUp.answer(this.active, req, meta.from)),
      ),
      t.subscribe('chat:sync-res', (res, meta) => {
        const envs = this.active && this.catchUp.accept(this.active, res, meta.from);
        if (this.count(envs !== undefined)) this.receive(envs!, meta.from);
      }),
      t.onPeerJoin((peer) => this.active && this.catchUp.askOne(this.active, peer)),
      t.onOpen(() => {
        const active = this.active;
        if (!active) return;
        this.flushSoon(active);
        this.catchUp.ask(active);
      }),
    );
    this.pickRoom();
  }

  hostDisconnected(): void {
    this.cleanup.splice(0).forEach((off) => off());
    this.active = undefined;
    this.activeKey = undefined;
    this.delivery.stop();
    this.catchUp.stop();
  }

  /** Sends one of our failed messages again (storing it first if that is what failed). */
  retry(id: string): void {
    const active = this.active;
    if (!active) return;
    const env = this.unsaved.get(id);
    if (!env) return this.delivery.retry(active, id);
    this.unsaved.delete(id);
    this.list.setStatus(id, 'saving');
    this.host.requestUpdate();
    this.save(active, env);
  }

  /** Messages of ours that are on screen but not yet in IndexedDB. */
  get saving(): number {
    return this.guard.count;
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
    this.followFixedRoom();
    const key = `${profile.id}\n${this.room}`;
    if (this.activeKey !== key) {
      this.activeKey = key;
      void this.start(key, profile, db);
    }
  }

  /** An embedding page changed the `room` attribute: move there (if the name is usable). */
  private followFixedRoom(): void {
    const fixed = this.config.fixedRoom?.();
    if (fixed === undefined || fixed === this.room) return;
    const problem = roomProblem(fixed);
    this.problem = problem
      ? { code: 'invalid-room', message: `The page names an unusable room (${problem}).` }
      : undefined;
    if (!problem) this.room = fixed;
  }

  /** Moves to another room (through the address, so the link stays shareable). */
  setRoom(name: string): boolean {
    const room = name.trim();
    const problem = roomProblem(room);
    if (problem) return this.fail('invalid-room', `Cannot join that room: ${problem}.`);
    this.problem = undefined;
    if (this.config.fixedRoom?.() === undefined) writeRoomToHash(room);
    this.room = room;
    this.host.requestUpdate();
    return true;
  }

  /**
   * Sends `text` to the room. It is written to IndexedDB at once, in this task, and shows as
   * "saving…" until the write commits, then "queued" until the transport takes it: what the
   * user sees as queued is already stored, so a reload or a crash cannot lose it.
   */
  send(text: string): boolean {
    const active = this.active;
    const profile = this.config.session.profile;
    if (!active || !profile) return this.fail('not-joined', 'Log in and join a room first.');
    const body = v.safeParse(ChatBodySchema, { text });
    if (!body.success || text.trim() === '') {
      const why = body.success ? 'A message cannot be blank.' : describeIssues(body.issues);
      return this.fail('invalid-message', why);
    }
    const env: Envelope = {
      id: uuidv7(),
      room: active.room,
      from: { id: profile.id, name: profile.name },
      ts: Date.now(),
      seq: this.seq++,
      body: body.output,
    };
    this.problem = undefined;
    this.list.upsert({ ...env, owner: active.owner, status: 'saving' });
    this.host.requestUpdate();
    this.save(active, env);
    this.config.onMessages?.([report(env, 'out')]);
    return true;
  }

  /**
   * Stores one of our messages: the transaction starts now, never behind network work in the
   * queue (IndexedDB still commits overlapping transactions in the order they were made, so
   * messages keep their order). Once committed it shows as queued and the outbox is flushed.
   */
  private save(active: ActiveRoom, env: Envelope): void {
    this.guard.track(queueOutgoing(active.db, active.owner, env)).then(
      () => {
        if (this.active !== active) return;
        if (this.list.get(env.id)?.status === 'saving') this.list.setStatus(env.id, 'queued');
        this.host.requestUpdate();
        this.flushSoon(active);
      },
      (err: unknown) => {
        if (this.active !== active) return;
        this.unsaved.set(env.id, env);
        this.list.setStatus(env.id, 'failed');
        this.fail(
          'storage',
          `Could not save your message in this browser's storage: ${String(err)}`,
        );
      },
    );
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
    if (active !== this.active) return;
    this.list.upsertMany(page.messages);
    this.hasOlder = page.more;
    this.host.requestUpdate();
  }

  private pickRoom(): void {
    const wanted = this.config.fixedRoom?.() ?? roomFromHash() ?? DEFAULT_ROOM;
    const problem = roomProblem(wanted);
    this.room = problem ? DEFAULT_ROOM : wanted;
    this.problem = problem
      ? {
          code: 'invalid-room',
          message: `The address names an unusable room (${problem}); you are in "${DEFAULT_ROOM}".`,
        }
      : undefined;
    this.host.requestUpdate();
  }

  private async start(key: string, profile: Profile, dbPromise: Promise<ParleyDb>): Promise<void> {
    const room = this.room;
    const db = await dbPromise;
    if (this.activeKey !== key) return; // superseded while the database opened
    const active = { owner: profile.id, room, db };
    this.active = active;
    this.list.clear();
    this.hasOlder = false;
    try {
      const page = await pageMessages(db, active.owner, active.room);
      if (this.active !== active) return;
      this.list.upsertMany(page.messages);
      this.hasOlder = page.more;
    } catch (err) {
      // Still join: the conversation goes on even if this browser cannot show its history.
      this.fail(
        'storage',
        `Could not read this room's history from this browser's storage: ${String(err)}`,
      );
    }
    if (this.active !== active) return;
    this.host.requestUpdate();
    void this.config.transport.join(active.room, { userId: profile.id, name: profile.name });
  }

  private stop(): void {
    this.active = undefined;
    this.activeKey = undefined;
    this.delivery.stop();
    this.catchUp.stop();
    this.unsaved.clear();
    this.list.clear();
    this.config.transport.leave();
    this.host.requestUpdate();
  }

  /**
   * The one door every incoming message passes: validated (and not dated in the future),
   * de-duplicated by id, shown, stored, and acknowledged to its sender.
   */
  private receive(payloads: readonly unknown[], from: PeerId): void {
    const active = this.active;
    if (!active) return;
    const fresh: Envelope[] = [];
    const seen = new Set<string>();
    const latest = Date.now() + MAX_CLOCK_SKEW_MS;
    for (const payload of payloads) {
      const parsed = v.safeParse(EnvelopeSchema, payload);
      // Not of this room, or dated in the future (beyond clock skew): refused.
      if (!parsed.success || parsed.output.room !== active.room || parsed.output.ts > latest) {
        this.dropped++;
        continue;
      }
      const env = parsed.output;
      // Acknowledge repeats too: the sender may not have heard our first receipt.
      this.delivery.acknowledge(active, from, env.id);
      if (this.list.has(env.id) || seen.has(env.id)) continue;
      seen.add(env.id);
      fresh.push(env);
    }
    if (fresh.length === 0) return;
    this.list.upsertMany(
      fresh.map((env) => ({ ...env, owner: active.owner, status: statusOf(env, active) })),
    );
    this.host.requestUpdate();
    this.enqueue(() => addMessages(active.db, active.owner, fresh, (env) => statusOf(env, active)));
    this.config.onMessages?.(fresh.map((env) => report(env, 'in')));
  }

  /** Counts a refused payload; returns whether it was accepted. */
  private count(accepted: boolean | undefined): boolean {
    if (!accepted) this.dropped++;
    return accepted === true;
  }

  /** Runs storage work one job at a time, so sends keep their order. */
  private enqueue(job: () => Promise<unknown>): void {
    this.queue = this.queue.then(job).catch((err: unknown) => {
      this.fail('storage', `Could not save to this browser's storage: ${String(err)}`);
    });
  }

  private fail(code: ProblemCode, message: string): false {
    this.problem = { code, message };
    this.host.requestUpdate();
    return false;
  }
}
