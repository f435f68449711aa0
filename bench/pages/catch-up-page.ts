/**
 * Browser side of the catch-up benchmark (`bench/catch-up.ts`). Bundled with esbuild and loaded
 * into headless Chromium pages; Node drives it through `window.bench`.
 *
 * Each page holds at most one member at a time: Parley's real `SessionController`,
 * `TransportController`, `PresenceController` and `RoomController` on a bare host object
 * (`test/support/bare-host.ts`, no element), with a fresh IndexedDB database and the real lazy
 * transport registry (`loadTransport`). The host runs `hostUpdate` on every requested update,
 * as a Lit element would, and lets the page watch every update synchronously, so "B shows all
 * messages" is timed at the very update that made it true.
 *
 * The room controller is held back (its `ready` gate) until Node says go: the account is made
 * and the history seeded first, and only then does the member join the room.
 *
 * Every seeded message is signed by the member's own identity key (the one the room controller
 * signs with, `identityFor`), and in an encrypted run sealed under a room key both members
 * hold: the key of an invite link's text, added to each member's room key store before the
 * room controller starts (`addRoomKey`, as opening an invite link does). So the joining
 * member's controller really verifies every signature and opens every body while catching up.
 *
 * The joining member's messages are drawn by the real `<parley-messages>` element, in the page
 * (800 × 600), handed `room.messages` at every update as `<parley-chat>` does: the headline
 * is its newest message's row in that list's DOM at an animation frame, timed at a task posted
 * from that frame (after the frame's style, layout and paint were queued).
 */
import { uuidv7 } from '../../src/protocol/message-id.js';
import { PresenceController } from '../../src/controllers/presence/presence-controller.js';
import { RoomController } from '../../src/controllers/room/room-controller.js';
import { SessionController } from '../../src/controllers/session/session-controller.js';
import { TransportController } from '../../src/controllers/connection/transport-controller.js';
import { deleteParleyDb, type ParleyDb } from '../../src/store/db.js';
import { addMessages, messagesSince } from '../../src/store/history.js';
import { identityFor } from '../../src/store/identities.js';
import { addRoomKey } from '../../src/store/room-keys.js';
import type { MessageStatus } from '../../src/store/schema.js';
import { loadTransport } from '../../src/transport/index.js';
import { inviteKey } from '../../src/controllers/room/room-keys.js';
import type { ChatBody, Envelope } from '../../src/protocol/chat-events.js';
import { signerOf } from '../../src/protocol/identity.js';
import { seal } from '../../src/protocol/room-key.js';
import {
  messageIdOf,
  sealingHeader,
  signEnvelope,
  type EnvelopeHeader,
} from '../../src/protocol/signed-envelope.js';
import type { TransportKind } from '../../src/transport/types.js';
import { BareHost } from '../../test/support/bare-host.js';
// The real message list, as the app renders it: "newest shown" is timed when it is painted.
import '../../src/components/messages/messages-define.js';
import type { ParleyMessages } from '../../src/components/messages/parley-messages.js';

/** The transports this benchmark drives. */
export type BenchKind = Extract<TransportKind, 'socketio' | 'webrtc' | 'broadcast'>;

/** What makes one member. */
export interface MemberPlan {
  kind: BenchKind;
  /** Parley server origin (socketio, webrtc; broadcast ignores it). */
  url: string;
  room: string;
  name: string;
  /** A database name no other run uses; deleted by `stop()`. */
  dbName: string;
  timeoutMs: number;
  /**
   * The room key as an invite link's text, the same for both members of a run (an encrypted
   * room); undefined: the room is in the clear (messages still signed).
   */
  roomKey?: string;
}

/** What to write into the member's own history before it joins. */
export interface SeedPlan {
  count: number;
  /** Time of the first message (ms since epoch); the others follow `stepMs` apart. */
  firstTs: number;
  stepMs: number;
}

/** The ids written, oldest first, and how long signing (and sealing) and writing them took. */
export interface SeedResult {
  ids: string[];
  ms: number;
  /** Sealing (encrypted room) and signing all of them, ms. */
  signMs: number;
}

/** One timed catch-up, on the joining member's clock (ms from `joinCalled`). */
export interface CatchUpTiming {
  /** From letting the room controller start to its `transport.join()` call. */
  startToJoin: number;
  /** From `join()` to the transport's state `open`. */
  open: number;
  /** From `join()` to the first `chat:sync-res` page. */
  firstPage: number;
  /**
   * From `join()` to the newest expected message's row painted in the real list (see the page's
   * header). The headline number.
   */
  newestPainted: number;
  /** From `join()` to `room.messages` first holding the newest expected message. */
  newestShown: number;
  /** From `join()` to the newest message's row in the list's DOM (rendered, not yet painted). */
  newestRendered: number;
  /** Messages `room.messages` held when the newest was painted. */
  shownAtPaint: number;
  /** From `join()` to `room.messages` holding every expected message. */
  all: number;
  /** From `join()` to this member's IndexedDB holding every expected message. */
  stored: number;
  /** `chat:sync-res` pages and the messages in them that reached this member. */
  pages: number;
  pageMessages: number;
  /** Biggest page seen (messages). */
  largestPage: number;
  /** `chat:sync-req` this member received (from the member it joined). */
  requestsReceived: number;
  /** The room controller's count of refused payloads. */
  dropped: number;
  /** Of those, refused because a signature (or author id) did not check out. */
  forged: number;
  /** Messages shown that travelled sealed (all of them in an encrypted room, else none). */
  sealedShown: number;
  /** Whether this member's room controller seals what it sends (it holds the room key). */
  encrypted: boolean;
  /** Correctness: unique ids shown, whether they are exactly the expected ones, sorted. */
  shown: number;
  unique: number;
  exact: boolean;
  sorted: boolean;
  /** Link to the other member when all had arrived (`relay`, `direct`, `tab`). */
  link: string;
  /** From `join()` to the transport's first peer-join (the other member found). */
  peerFound: number;
  /** From `join()` to the first `chat:sync-req` this member sent. */
  asked: number;
  /** Its long tasks (over 50 ms): [start epoch, duration] each. */
  longTasks: Array<[number, number]>;
  /** `performance.timeOrigin + now` at `join()`, to line up with the other page's clock. */
  joinEpoch: number;
}

/** What the member that answered saw, once the joiner's receipts were taken in. */
export interface AnswerSide {
  /** `chat:sync-req` it received. */
  requestsReceived: number;
  /** `chat:sync-res` pages it received (the joiner answering its own request). */
  pagesReceived: number;
  /** Messages on its screen before and after the joiner's receipts. */
  shownBefore: number;
  shownAfter: number;
  /** Of its seeded messages, how many record the joiner's receipt in its IndexedDB. */
  ackedInDb: number;
  /** Epoch ms when the last of those receipts was stored (undefined: not all within the wait). */
  ackedEpoch: number | undefined;
  /** Epoch ms when the first `chat:sync-req` reached it (undefined: none did). */
  requestEpoch: number | undefined;
  /** Epoch ms when it handed its first `chat:sync-res` page to the transport. */
  firstAnswerEpoch: number | undefined;
  /** Epoch ms when its transport reported the joiner (peer-join). */
  peerEpoch: number | undefined;
  /** Epoch ms when its catch-up began, and ended, its first history read. */
  readStartEpoch: number | undefined;
  readEndEpoch: number | undefined;
  /** Its long tasks (over 50 ms, the browser's own report): [start epoch, duration] each. */
  longTasks: Array<[number, number]>;
}

/** How long reading a catch-up answer from this member's history takes, two ways. */
export interface ReadProbe {
  /** `messagesSince` (what `CatchUp.answer` uses: a cursor, one step per message), ms. */
  messagesSince: number;
  /** `getAllFromIndex` over the same range, for comparison, ms. */
  getAll: number;
  found: number;
}

/** What Node may call on `window.bench`. */
export interface CatchUpPageApi {
  /** Builds a member and registers its account (the room waits); resolves with its account id. */
  prepare(plan: MemberPlan): Promise<string>;
  /** Writes messages by this member straight into its history (`addMessages`). */
  seed(plan: SeedPlan): Promise<SeedResult>;
  /** Joins and resolves once the transport is open and the history page is shown. */
  enter(): Promise<number>;
  /**
   * Joins and resolves once `room.messages` holds exactly `expectIds` (and they are stored),
   * and `newestId` was painted in the list, with the timings. Fails after the member's
   * `timeoutMs`.
   */
  catchUp(expectIds: string[], newestId: string): Promise<CatchUpTiming>;
  /** Waits (bounded) until the joiner's receipts for `seeded` messages are stored. */
  answerSide(joinerId: string, seeded: number, waitMs: number): Promise<AnswerSide>;
  /** Times reading what a request with `since`/`limit` covers (the member should be idle). */
  probeRead(since: number, limit: number): Promise<ReadProbe>;
  /** Leaves the room, closes and deletes the database. Safe to call when there is no member. */
  stop(): Promise<void>;
  isolated(): boolean;
}

/** Polls `check` every `stepMs` until it holds; rejects after `ms`. */
async function until(check: () => boolean, what: string, ms: number, stepMs = 10) {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`${what}: not after ${ms} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** Rejects after `ms` with `what` in the message, unless `promise` settles first. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not after ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const WORDS =
  'so the build is green again and the flaky test was a race in the fixture not in the app ' +
  'lunch at noon anyone I will push the branch after the review and then we can ship it today';

/** A chat line of 20–140 characters, different for every `i`. */
const textOf = (i: number) =>
  `#${i} ${WORDS.slice((i * 7) % 60, ((i * 7) % 60) + 20 + ((i * 37) % 120))}`;

/** The history index range of one account's room, as `history.ts` builds it. */
const roomRange = (owner: string, room: string) =>
  IDBKeyRange.bound([owner, room, -Infinity, ''], [owner, room, Infinity, '\uffff']);

const now = () => performance.now();

/** One member of the room: the four controllers on a bare host. */
class Member {
  readonly host = new BareHost();
  readonly session: SessionController;
  readonly transport: TransportController;
  readonly presence: PresenceController;
  readonly room: RoomController;
  /** The room controller joins only once this is set. */
  private go = false;
  private requests = 0;
  private pages = 0;
  private pageMessages = 0;
  private largestPage = 0;
  private firstPageAt: number | undefined;
  private openAt: number | undefined;
  private joinAt: number | undefined;
  private peerAt: number | undefined;
  private askAt: number | undefined;
  private requestAt: number | undefined;
  private answerAt: number | undefined;
  private readStart: number | undefined;
  private readEnd: number | undefined;
  private readonly longTasks: Array<[number, number]> = [];
  private readonly longTaskObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      this.longTasks.push([performance.timeOrigin + e.startTime, e.duration]);
    }
  });
  private readonly offs: Array<() => void> = [];

  constructor(readonly plan: MemberPlan) {
    this.session = new SessionController(this.host, { dbName: () => plan.dbName });
    this.transport = new TransportController(this.host, {
      kind: () => plan.kind,
      options: () => ({ url: plan.url, iceServers: [] }),
      factory: () => loadTransport,
    });
    this.presence = new PresenceController(this.host, {
      session: this.session,
      transport: this.transport,
      room: () => plan.room,
    });
    this.room = new RoomController(this.host, {
      session: this.session,
      transport: this.transport,
      presence: this.presence,
      fixedRoom: () => plan.room,
      ready: () => this.go,
    });
    // Mark the moment the room controller hands the room to the transport controller.
    const join = this.transport.join.bind(this.transport);
    this.transport.join = (room, me, signer) => {
      this.joinAt ??= now();
      // The signer too: the relay refuses a join without its proof.
      return join(room, me, signer);
    };
    // Mark the first catch-up request sent (joiner) and the first answer page sent (answerer).
    const emitTo = this.transport.emitTo.bind(this.transport) as (
      peer: string,
      ev: string,
      arg: unknown,
    ) => boolean;
    (this.transport as { emitTo: typeof emitTo }).emitTo = (peer, ev, arg) => {
      if (ev === 'chat:sync-req') this.askAt ??= now();
      if (ev === 'chat:sync-res') this.answerAt ??= now();
      return emitTo(peer, ev, arg);
    };
    this.longTaskObserver.observe({ type: 'longtask' });
    // Mark the first history read of catch-up (answering): its start says how long the request
    // waited in the room's storage queue.
    const internals = this.room as unknown as {
      catchUpReady: Promise<{ port: { history: (...a: never[]) => Promise<unknown> } }>;
    };
    void internals.catchUpReady.then(({ port }) => {
      const read = port.history.bind(port);
      port.history = async (...a: never[]) => {
        this.readStart ??= now();
        const found = await read(...a);
        this.readEnd ??= now();
        return found;
      };
    });
    // Subscribed after the room controller's own listeners, so they see its work done.
    this.offs.push(
      this.transport.onOpen(() => void (this.openAt ??= now())),
      this.transport.onPeerJoin(() => void (this.peerAt ??= now())),
      this.transport.subscribe('chat:sync-req', () => {
        this.requestAt ??= now();
        this.requests++;
      }),
      this.transport.subscribe('chat:sync-res', (res) => {
        this.firstPageAt ??= now();
        this.pages++;
        const n = Array.isArray(res?.messages) ? res.messages.length : 0;
        this.pageMessages += n;
        this.largestPage = Math.max(this.largestPage, n);
      }),
    );
  }

  get owner(): string {
    const id = this.session.profile?.id;
    if (!id) throw new Error('no account yet: call prepare() first');
    return id;
  }

  db(): Promise<ParleyDb> {
    if (!this.session.db) throw new Error('no database yet: call prepare() first');
    return this.session.db;
  }

  async register(): Promise<string> {
    this.host.controllers.forEach((c) => c.hostConnected?.());
    const ms = this.plan.timeoutMs;
    await until(() => this.session.status !== 'loading', 'session restore', ms);
    this.session.register(this.plan.name, 'bench-password-123');
    await until(() => this.session.status === 'authenticated', 'registration', ms);
    if (this.plan.roomKey !== undefined) {
      // As opening an invite link does, before the room controller starts and loads its keys.
      const entry = await inviteKey(this.plan.roomKey);
      if (!entry) throw new Error('the room key text is not a room key');
      await addRoomKey(await this.db(), this.owner, this.plan.room, entry);
    }
    return this.owner;
  }

  async seed({ count, firstTs, stepMs }: SeedPlan): Promise<SeedResult> {
    const owner = this.owner;
    const db = await this.db();
    // The identity the room controller signs this account's messages with.
    const signer = signerOf(await identityFor(db, owner));
    const from = { id: signer.id, name: this.plan.name, key: signer.publicKey };
    const key = this.plan.roomKey && (await inviteKey(this.plan.roomKey))?.key;
    let started = now();
    // What the room controller's outgoing side does per message: seal (encrypted room), sign.
    const envs: Envelope[] = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const header: EnvelopeHeader = {
          id: messageIdOf(signer.id, uuidv7()),
          room: this.plan.room,
          from,
          ts: firstTs + i * stepMs,
          seq: i,
        };
        const text: ChatBody = { text: textOf(i) };
        const body = key ? await seal(key, sealingHeader(header), text) : text;
        return signEnvelope(signer, { ...header, body });
      }),
    );
    const signMs = now() - started;
    started = now();
    // Ours, and acknowledged by someone long ago: nothing waits in the outbox.
    const status: MessageStatus = 'delivered';
    const fresh = await addMessages(db, owner, envs, () => status);
    if (fresh.length !== count) throw new Error(`seeded ${fresh.length} of ${count}`);
    return { ids: envs.map((e) => e.id), ms: now() - started, signMs };
  }

  /** Lets the room controller start (it then reads its history page and joins). */
  start(): number {
    const t = now();
    this.go = true;
    this.host.requestUpdate();
    return t;
  }

  async enter(): Promise<number> {
    this.start();
    const ms = this.plan.timeoutMs;
    await until(() => this.transport.state === 'open', `${this.plan.kind} open`, ms).catch(
      (err: unknown) => {
        // Say why: the transport controller keeps the last problem (unreachable, unproven…).
        const { state, problem } = this.transport;
        throw new Error(`${String(err)} (state ${state}, ${problem?.message ?? 'no problem'})`);
      },
    );
    await until(() => this.room.messages.length > 0, 'history page shown', ms);
    return this.room.messages.length;
  }

  async catchUp(expectIds: string[], newestId: string): Promise<CatchUpTiming> {
    const expected = expectIds.length;
    const ms = this.plan.timeoutMs;
    const view = document.createElement('parley-messages') as ParleyMessages;
    view.style.cssText = 'display:block;width:800px;height:600px';
    view.self = this.owner;
    document.body.append(view);
    let allAt: number | undefined;
    let newestAt: number | undefined;
    let paintedAt: number | undefined;
    let shownAtPaint = 0;
    let resolveAll!: () => void;
    const arrived = new Promise<void>((resolve) => (resolveAll = resolve));
    let resolvePaint!: () => void;
    const painted = new Promise<void>((resolve) => (resolvePaint = resolve));
    const rowOf = (id: string) =>
      view.shadowRoot?.querySelector(`li[data-id="${CSS.escape(id)}"]`) ?? null;
    // Each frame: is the newest row in the DOM? Then it is painted with this frame; the task
    // posted from here runs once the frame is done.
    let renderedAt: number | undefined;
    const rendered = new MutationObserver(() => {
      if (renderedAt === undefined && rowOf(newestId)) renderedAt = now();
    });
    const onFrame = () => {
      if (!rowOf(newestId)) return void requestAnimationFrame(onFrame);
      const done = new MessageChannel();
      done.port1.onmessage = () => {
        paintedAt = now();
        shownAtPaint = view.messages.length;
        resolvePaint();
      };
      done.port2.postMessage(null);
    };
    this.host.watch = () => {
      if (view.shadowRoot && renderedAt === undefined) {
        rendered.observe(view.shadowRoot, { childList: true, subtree: true });
      }
      // What `<parley-chat>` does at its update: the list gets the room's messages.
      view.messages = this.room.messages;
      if (newestAt === undefined && this.room.list.has(newestId)) {
        newestAt = now();
        requestAnimationFrame(onFrame);
      }
      if (allAt === undefined && this.room.messages.length >= expected) {
        allAt = now();
        resolveAll();
      }
    };
    const startAt = this.start();
    try {
      await within(arrived, ms, `${this.plan.kind}: ${expected} messages shown`);
      await within(painted, ms, `${this.plan.kind}: newest message painted`);
    } finally {
      this.host.watch = undefined;
      rendered.disconnect();
      view.remove();
    }
    const shown = this.room.messages;
    const joinAt = this.joinAt!;
    // Stored: the room controller's write queue has taken in every page (polled every 5 ms).
    const db = await this.db();
    const range = roomRange(this.owner, this.plan.room);
    let storedAt: number;
    const end = now() + ms;
    for (;;) {
      if ((await db.countFromIndex('messages', 'by-room-time', range)) >= expected) {
        storedAt = now();
        break;
      }
      if (now() > end) throw new Error(`stored fewer than ${expected} messages after ${ms} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const ids = shown.map((m) => m.id);
    const unique = new Set(ids);
    const wanted = new Set(expectIds);
    const other = this.presence.roster.find((m) => !m.self);
    return {
      startToJoin: joinAt - startAt,
      open: (this.openAt ?? NaN) - joinAt,
      firstPage: (this.firstPageAt ?? NaN) - joinAt,
      newestPainted: paintedAt! - joinAt,
      newestShown: newestAt! - joinAt,
      newestRendered: (renderedAt ?? NaN) - joinAt,
      shownAtPaint,
      all: allAt! - joinAt,
      stored: storedAt - joinAt,
      pages: this.pages,
      pageMessages: this.pageMessages,
      largestPage: this.largestPage,
      requestsReceived: this.requests,
      dropped: this.room.dropped,
      forged: this.room.refused.forged,
      sealedShown: shown.filter((m) => m.sealed).length,
      encrypted: this.room.encrypted,
      shown: ids.length,
      unique: unique.size,
      exact: unique.size === wanted.size && ids.every((id) => wanted.has(id)),
      sorted: shown.every((m, i) => i === 0 || shown[i - 1]!.ts <= m.ts),
      link: other?.link ?? 'none',
      peerFound: (this.peerAt ?? NaN) - joinAt,
      asked: (this.askAt ?? NaN) - joinAt,
      longTasks: this.longTasks.slice(0, 50),
      joinEpoch: performance.timeOrigin + joinAt,
    };
  }

  async answerSide(joinerId: string, seeded: number, waitMs: number): Promise<AnswerSide> {
    const shownBefore = this.room.messages.length;
    const db = await this.db();
    const range = roomRange(this.owner, this.plan.room);
    const acked = async () =>
      (await db.getAllFromIndex('messages', 'by-room-time', range)).filter((m) =>
        m.ackedBy?.includes(joinerId),
      ).length;
    const end = now() + waitMs;
    let count = await acked();
    let ackedEpoch: number | undefined;
    while (count < seeded && now() < end) {
      await new Promise((r) => setTimeout(r, 20));
      count = await acked();
    }
    if (count >= seeded) ackedEpoch = performance.timeOrigin + now();
    return {
      requestsReceived: this.requests,
      pagesReceived: this.pages,
      shownBefore,
      shownAfter: this.room.messages.length,
      ackedInDb: count,
      ackedEpoch,
      requestEpoch:
        this.requestAt === undefined ? undefined : performance.timeOrigin + this.requestAt,
      firstAnswerEpoch:
        this.answerAt === undefined ? undefined : performance.timeOrigin + this.answerAt,
      peerEpoch: this.peerAt === undefined ? undefined : performance.timeOrigin + this.peerAt,
      readStartEpoch:
        this.readStart === undefined ? undefined : performance.timeOrigin + this.readStart,
      readEndEpoch: this.readEnd === undefined ? undefined : performance.timeOrigin + this.readEnd,
      longTasks: this.longTasks.slice(0, 50),
    };
  }

  async probeRead(since: number, limit: number): Promise<ReadProbe> {
    const db = await this.db();
    const { room } = this.plan;
    let t = now();
    const found = await messagesSince(db, this.owner, room, since, limit);
    const cursorMs = now() - t;
    t = now();
    const all = await db.getAllFromIndex(
      'messages',
      'by-room-time',
      IDBKeyRange.bound([this.owner, room, since, ''], [this.owner, room, Infinity, '\uffff']),
      limit,
    );
    const getAllMs = now() - t;
    if (all.length !== found.length) throw new Error(`read ${all.length} vs ${found.length}`);
    return { messagesSince: cursorMs, getAll: getAllMs, found: found.length };
  }

  async stop(): Promise<void> {
    this.host.watch = undefined;
    this.longTaskObserver.disconnect();
    this.offs.splice(0).forEach((off) => off());
    this.host.controllers.forEach((c) => c.hostDisconnected?.());
    (await this.session.db?.catch(() => undefined))?.close();
    await deleteParleyDb(this.plan.dbName);
  }
}

let member: Member | undefined;

function current(): Member {
  if (!member) throw new Error('no member: call prepare() first');
  return member;
}

const api: CatchUpPageApi = {
  async prepare(plan) {
    if (member) throw new Error('this page already holds a member: stop() it first');
    member = new Member(plan);
    return member.register();
  },
  seed: (plan) => current().seed(plan),
  enter: () => current().enter(),
  catchUp: (ids, newest) => current().catchUp(ids, newest),
  answerSide: (joinerId, seeded, waitMs) => current().answerSide(joinerId, seeded, waitMs),
  probeRead: (since, limit) => current().probeRead(since, limit),
  async stop() {
    const m = member;
    member = undefined;
    await m?.stop();
  },
  isolated: () => globalThis.crossOriginIsolated === true,
};

(globalThis as unknown as { bench: CatchUpPageApi }).bench = api;
