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
import { addMessage, messagesSince, pageMessages } from '../store/history.js';
import { markSent, pendingOutgoing, queueOutgoing } from '../store/outbox.js';
import type { StoredMessage } from '../store/schema.js';
import {
  ChatBodySchema,
  describeIssues,
  EnvelopeSchema,
  SYNC_PAGE,
  SyncRequestSchema,
  SyncResponseSchema,
  type Envelope,
} from '../transport/protocol.js';
import type { EventMeta } from '../transport/types.js';
import { DEFAULT_ROOM, roomFromHash, roomProblem, writeRoomToHash } from './room-address.js';
import type { SessionController } from './session-controller.js';
import type { TransportController } from './transport-controller.js';
import { MessageList } from './message-list.js';

/** How far before our newest message a sync request starts, in ms. */
const SYNC_SLACK_MS = 60_000;
/** Bytes of messages per sync answer, under the 64 KiB payload cap. */
const SYNC_BYTES = 48 * 1024;

/** Splits envelopes into runs whose JSON stays under {@link SYNC_BYTES}. */
function pages(envs: Envelope[]): Envelope[][] {
  const out: Envelope[][] = [];
  let page: Envelope[] = [];
  let bytes = 0;
  for (const env of envs) {
    const size = JSON.stringify(env).length * 3; // worst-case UTF-8 growth, cheap to compute
    if (page.length > 0 && bytes + size > SYNC_BYTES) {
      out.push(page);
      page = [];
      bytes = 0;
    }
    page.push(env);
    bytes += size;
  }
  if (page.length > 0) out.push(page);
  return out;
}

/** Configuration of the room controller. */
export interface RoomConfig {
  session: SessionController;
  transport: TransportController;
  /** A fixed room (embedding); when undefined the page address (`#room=`) decides. */
  fixedRoom?: () => string | undefined;
  /** Whether joining may start (e.g. settings are loaded); defaults to always. */
  ready?: () => boolean;
}

/** Owns the current room and its messages. */
export class RoomController implements ReactiveController {
  /** The room we are in (or about to be). */
  room = DEFAULT_ROOM;
  /** Why the last room change or send was refused. */
  error: string | undefined;
  /** Messages shown, oldest first. */
  readonly list = new MessageList();
  /** Whether older history can be loaded. */
  hasOlder = false;
  /** Incoming payloads dropped because they failed validation. */
  dropped = 0;
  private active: { owner: string; room: string; db: ParleyDb } | undefined;
  // Which (account, room) we have started for; set at once so updates don't start it twice.
  private activeKey: string | undefined;
  private seq = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly cleanup: Array<() => void> = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: RoomConfig,
  ) {
    host.addController(this);
  }

  /** Messages shown, oldest first. */
  get messages(): readonly StoredMessage[] {
    return this.list.items;
  }

  hostConnected(): void {
    const onHash = () => this.pickRoom();
    window.addEventListener('hashchange', onHash);
    this.cleanup.push(
      () => window.removeEventListener('hashchange', onHash),
      this.config.transport.subscribe('chat:message', (env) => this.receive(env)),
      this.config.transport.subscribe('chat:sync-req', (req, meta) => this.answerSync(req, meta)),
      this.config.transport.subscribe('chat:sync-res', (res) => this.mergeSync(res)),
      this.config.transport.onOpen(() => {
        this.flush();
        this.askSync();
      }),
    );
    this.pickRoom();
  }

  hostDisconnected(): void {
    this.cleanup.splice(0).forEach((off) => off());
    this.active = undefined;
    this.activeKey = undefined;
  }

  hostUpdate(): void {
    // Follow the session: join when someone logs in, leave when they log out.
    const profile = this.config.session.profile;
    const db = this.config.session.db;
    if (!profile || !db) {
      if (this.activeKey !== undefined) this.stop();
      return;
    }
    if (this.config.ready && !this.config.ready()) return;
    const key = `${profile.id}\n${this.room}`;
    if (this.activeKey !== key) {
      this.activeKey = key;
      void this.start(key, profile, db);
    }
  }

  /** Moves to another room (through the address, so the link stays shareable). */
  setRoom(name: string): boolean {
    const room = name.trim();
    const problem = roomProblem(room);
    if (problem) return this.fail(`Cannot join that room: ${problem}.`);
    this.error = undefined;
    if (this.config.fixedRoom?.() === undefined) writeRoomToHash(room);
    this.room = room;
    this.host.requestUpdate();
    return true;
  }

  /** Sends `text` to the room; it is stored first, so nothing is lost if the link is down. */
  send(text: string): boolean {
    const active = this.active;
    const profile = this.config.session.profile;
    if (!active || !profile) return this.fail('Log in and join a room first.');
    const body = v.safeParse(ChatBodySchema, { text });
    if (!body.success || text.trim() === '') {
      return this.fail(body.success ? 'A message cannot be blank.' : describeIssues(body.issues));
    }
    const env: Envelope = {
      id: uuidv7(),
      room: active.room,
      from: { id: profile.id, name: profile.name },
      ts: Date.now(),
      seq: this.seq++,
      body: body.output,
    };
    this.error = undefined;
    this.list.upsert({ ...env, owner: active.owner, status: 'queued' });
    this.host.requestUpdate();
    this.enqueue(async () => {
      await queueOutgoing(active.db, active.owner, env);
      await this.flushNow();
    });
    return true;
  }

  /** Loads the page of history before the oldest message shown. */
  async loadOlder(): Promise<void> {
    const active = this.active;
    const oldest = this.list.items[0];
    if (!active || !oldest) return;
    const page = await pageMessages(active.db, active.owner, active.room, oldest);
    if (active !== this.active) return;
    page.messages.forEach((m) => this.list.upsert(m));
    this.hasOlder = page.more;
    this.host.requestUpdate();
  }

  private pickRoom(): void {
    const wanted = this.config.fixedRoom?.() ?? roomFromHash() ?? DEFAULT_ROOM;
    const problem = roomProblem(wanted);
    this.room = problem ? DEFAULT_ROOM : wanted;
    this.error = problem
      ? `The address names an unusable room (${problem}); you are in "${DEFAULT_ROOM}".`
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
    const page = await pageMessages(db, active.owner, active.room);
    if (this.active !== active) return;
    page.messages.forEach((m) => this.list.upsert(m));
    this.hasOlder = page.more;
    this.host.requestUpdate();
    void this.config.transport.join(active.room, { userId: profile.id, name: profile.name });
  }

  private stop(): void {
    this.active = undefined;
    this.activeKey = undefined;
    this.list.clear();
    this.config.transport.leave();
    this.host.requestUpdate();
  }

  private receive(payload: unknown): void {
    const parsed = v.safeParse(EnvelopeSchema, payload);
    const active = this.active;
    if (!parsed.success || !active || parsed.output.room !== active.room) {
      this.dropped++;
      return;
    }
    const env = parsed.output;
    if (this.list.has(env.id)) return; // seen already: shown once, stored once
    // Our own words can come back (another tab of ours, or a peer's copy after a sync).
    const status = env.from.id === active.owner ? 'sent' : 'received';
    this.list.upsert({ ...env, owner: active.owner, status });
    this.host.requestUpdate();
    this.enqueue(() => addMessage(active.db, active.owner, env, status));
  }

  /** Asks the room for what we may have missed while switching or offline. */
  private askSync(): void {
    const active = this.active;
    if (!active) return;
    const newest = this.list.items.findLast((m) => m.status !== 'queued');
    // A minute of slack: messages sent just before ours may reach us after it.
    const since = newest ? Math.max(0, newest.ts - SYNC_SLACK_MS) : 0;
    this.config.transport.emit('chat:sync-req', { room: active.room, since });
  }

  /** Answers a peer's sync request from our history, in pages that fit the payload cap. */
  private answerSync(payload: unknown, meta: EventMeta): void {
    const active = this.active;
    const req = v.safeParse(SyncRequestSchema, payload);
    if (!active || !req.success || req.output.room !== active.room) return void this.dropped++;
    this.enqueue(async () => {
      const found = await messagesSince(
        active.db,
        active.owner,
        active.room,
        req.output.since,
        SYNC_PAGE,
      );
      for (const messages of pages(found)) {
        this.config.transport.emitTo(meta.from, 'chat:sync-res', { room: active.room, messages });
      }
    });
  }

  private mergeSync(payload: unknown): void {
    const res = v.safeParse(SyncResponseSchema, payload);
    if (!res.success || res.output.room !== this.active?.room) return void this.dropped++;
    res.output.messages.forEach((env) => this.receive(env));
  }

  /** Sends every queued message of the room, oldest first, while the link is open. */
  private flush(): void {
    this.enqueue(() => this.flushNow());
  }

  private async flushNow(): Promise<void> {
    const active = this.active;
    if (!active) return;
    for (const env of await pendingOutgoing(active.db, active.owner, active.room)) {
      if (!this.config.transport.emit('chat:message', env)) return;
      await markSent(active.db, active.owner, env.id);
      this.list.setStatus(env.id, 'sent');
      this.host.requestUpdate();
    }
  }

  /** Runs storage work one job at a time, so sends keep their order. */
  private enqueue(job: () => Promise<unknown>): void {
    this.queue = this.queue.then(job).catch((err: unknown) => {
      this.fail(`Could not save to this browser's storage: ${String(err)}`);
    });
  }

  private fail(message: string): false {
    this.error = message;
    this.host.requestUpdate();
    return false;
  }
}
