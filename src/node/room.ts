/**
 * One room a bot is in: its own Socket.IO link (fail-over and reconnection included), the
 * intake every incoming message passes (shape, room, time, signature, conflicts, per-author
 * budget — the browser's `Intake`), the room's keys (passphrase, invite key), what it holds,
 * its outbox, receipts and catch-up.
 */
import * as v from 'valibot';
import {
  AckSchema,
  ChatBodySchema,
  type ChatEvents,
  type Envelope,
} from '../protocol/chat-events.js';
import { describeIssues, RoomNameSchema } from '../protocol/fields.js';
import type { Signer } from '../protocol/identity.js';
import { roomKeysFor, type JoinOptions, type RoomSetup } from './room-options.js';
import { signerOf } from '../protocol/identity.js';
import { uuidv7 } from '../protocol/message-id.js';
import { seal } from '../protocol/room-key.js';
import { messageIdOf, sealingHeader, signEnvelope } from '../protocol/signed-envelope.js';
import { isWellFormed } from '../protocol/chat-events.js';
import { Intake, type IntakeCounts } from '../controllers/room/intake.js';
import { Receipts } from '../controllers/room/receipts.js';
import { beatOn, HereLedger, signsHellos, type HereBeat } from '../controllers/presence/here.js';
import { verifyAck } from '../protocol/signed-notices.js';
import { PerPeerBudget } from '../controllers/room/per-peer-budget.js';
import { PingAnswer } from '../controllers/connection/ping-answer.js';
import { Emitter } from '../internal/emitter.js';
import { SocketIoTransport } from '../transport/socketio.js';
import type { PeerId, TransportState } from '../transport/types.js';
import { botMessage, type RoomEvents } from './events.js';
import { RoomHistory, DEFAULT_MAX_HISTORY } from './history.js';
import { MAX_OUTBOX, Outbox } from './outbox.js';
import {
  BodySchema,
  readMessage,
  type ChatBody,
  type OtherBody,
} from '../protocol/message-body.js';
import { CatchUp, DEFAULT_HISTORY_LIMIT, pageSize, tooLong } from '../controllers/room/catch-up.js';
import { loadHistory } from './held.js';

export type { JoinOptions, RoomSetup } from './room-options.js';

/** One joined room; see the module comment. Made by `ParleyClient.join`. */
export class BotRoom {
  private readonly events = new Emitter<RoomEvents>();
  private readonly transport: SocketIoTransport<ChatEvents>;
  private readonly signer: Signer;
  private readonly intake: Intake;
  private readonly history: RoomHistory;
  private readonly outbox: Outbox;
  private readonly receipts: Receipts;
  private readonly catchUp: CatchUp;
  /** Our signed word that we are here, and the others' (protocol 1.4). */
  private readonly beat: HereBeat;
  private readonly ledger = new HereLedger(() => this.events.emit('members'));
  /** Signature checks of receipts per connection (see the browser's delivery). */
  private readonly ackChecks = new PerPeerBudget(20, 10);
  private keys: CryptoKey[] = [];
  private seq = 0;
  /** Our messages being sealed and signed, one after another, so they keep their order. */
  private signing: Promise<unknown> = Promise.resolve();
  /** Incoming batches, reported one after another in the order they came. */
  private inOrder: Promise<unknown> = Promise.resolve();
  /** Receipts already reported, `id|by` (bounded). */
  private readonly told = new Set<string>();
  /** Messages held that no key of ours opens: our receipts say so (`unread`), bounded. */
  private readonly unreadable = new Set<string>();
  private readonly keep: ((env: Envelope) => void) | undefined;
  private readonly only: ((payload: unknown) => boolean) | undefined;
  /** Messages dropped on load: their signature or shape did not check out. */
  loadRefused = 0;

  private constructor(
    /** The room's name. */
    readonly name: string,
    private readonly setup: RoomSetup,
    options: JoinOptions,
  ) {
    this.signer = signerOf(setup.identity);
    this.keep = options.keep;
    this.only = options.only;
    this.intake = new Intake(options.authorBudget);
    this.history = new RoomHistory(options.maxHistory ?? DEFAULT_MAX_HISTORY);
    this.transport = new SocketIoTransport<ChatEvents>({
      url: setup.url,
      signer: this.signer,
      accept: isWellFormed,
      joinTimeout: setup.joinTimeout,
      keeperToken: setup.keeperToken,
    });
    this.outbox = new Outbox({
      emit: (env) => this.emitAll(env),
      company: () => this.transport.peers.size > 0,
      gaveUp: (env) =>
        this.fail(
          new Error(`nobody acknowledged message ${env.id} yet; resent when someone joins`),
        ),
    });
    this.receipts = new Receipts((peer, ack) => this.emitTo(peer, 'chat:ack', ack));
    this.beat = beatOn(this.transport, this.name, setup.name, this.signer);
    const limit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
    // The browser's catch-up, over what the bot holds in memory.
    this.catchUp = new CatchUp(
      {
        emitTo: (peer, ev, payload) => {
          try {
            (this.transport.emitTo as (p: PeerId, e: string, a: unknown) => void)(
              peer,
              ev,
              payload,
            );
            return true;
          } catch {
            return false; // the member left, or our link is down
          }
        },
        members: () => [...this.transport.peers.keys()],
        newest: () => this.history.newest()?.ts,
        history: async (_room, since, limit) => this.history.since(since, limit),
        enqueue: (job) => void job().catch(() => undefined),
        cap: () => this.transport.payloadCap,
      },
      () => limit,
    );
  }

  /** Joins `room`; resolves once in, rejects when the server refuses it for good. */
  static async join(room: string, setup: RoomSetup, options: JoinOptions = {}): Promise<BotRoom> {
    const named = v.safeParse(RoomNameSchema, room);
    if (!named.success) throw new Error(`cannot join "${room}": ${describeIssues(named.issues)}`);
    const r = new BotRoom(room, setup, options);
    r.keys = await roomKeysFor(room, options);
    if (options.history) {
      const { kept, refused } = await loadHistory(room, options.history);
      kept.forEach((env) => r.history.add(env));
      r.loadRefused = refused;
    }
    await r.open();
    return r;
  }

  /** Subscribes to a room event; returns the function that unsubscribes. */
  on<E extends keyof RoomEvents>(ev: E, fn: RoomEvents[E]): () => void {
    return this.events.on(ev, fn);
  }

  /** The link's state now. */
  get state(): TransportState {
    return this.transport.state;
  }

  /** Whether our messages are sealed (a passphrase or invite key was given). */
  get encrypted(): boolean {
    return this.keys.length > 0;
  }

  /** What the intake refused so far, by reason. */
  get refused(): Readonly<IntakeCounts> {
    return this.intake.counts;
  }

  /** Every message held, oldest first (verified envelopes). */
  get messages(): readonly Envelope[] {
    return this.history.all();
  }

  /** Our messages nobody has acknowledged yet. */
  get unacknowledged(): number {
    return this.outbox.size;
  }

  /**
   * Members in the room now (not counting us): connection id → name and identity id. Since 1.4
   * a member is listed only while its own signed hello says it is here, under the name it
   * signed (`confirmed`); a member whose app is older than signed hellos is listed as the
   * server says, `confirmed: false`.
   */
  get members(): ReadonlyMap<PeerId, { name: string; userId: string; confirmed: boolean }> {
    const out = new Map<PeerId, { name: string; userId: string; confirmed: boolean }>();
    for (const [peer, hello] of this.transport.peers) {
      const here = this.ledger.proof(peer);
      if (here?.userId === hello.userId) {
        out.set(peer, { name: here.name, userId: here.userId, confirmed: true });
      } else if (!signsHellos(hello)) {
        out.set(peer, { name: hello.name, userId: hello.userId, confirmed: false });
      }
    }
    return out;
  }

  /**
   * Sends `text`: sealed under the room's key if it has one, signed, held, and sent again
   * until a member acknowledges it. Resolves with the message id once it is signed and queued.
   */
  send(text: string): Promise<string> {
    const body = v.safeParse(ChatBodySchema, { text });
    if (!body.success || text.trim() === '') {
      const why = body.success ? 'a message cannot be blank' : describeIssues(body.issues);
      return Promise.reject(new Error(`cannot send: ${why}`));
    }
    return this.post(body.output);
  }

  /**
   * Sends a message of another kind (`{ kind: 'knock', … }`, see `protocol/desk.ts`) as
   * {@link send} sends a text: sealed when the room has a key, signed, held and sent again until
   * a member acknowledges it. Resolves with the message id once it is signed and queued.
   */
  post(body: OtherBody | ChatBody): Promise<string> {
    if (!v.is(BodySchema, body))
      return Promise.reject(new Error('cannot send: not a message body'));
    if (this.state === 'closed') return Promise.reject(new Error('cannot send: the room was left'));
    if (this.outbox.size >= MAX_OUTBOX) {
      const why = `${MAX_OUTBOX} messages are still waiting for a receipt; try again later`;
      return Promise.reject(new Error(`cannot send: ${why}`));
    }
    const header = {
      id: messageIdOf(this.signer.id, uuidv7()),
      room: this.name,
      from: { id: this.signer.id, name: this.setup.name, key: this.signer.publicKey },
      ts: Date.now(),
      seq: this.seq,
    };
    // As the browser does: refused before anything is kept when it could never travel.
    const size = pageSize(header, body, this.keys.length > 0);
    const cap = this.transport.payloadCap;
    if (size > cap) return Promise.reject(new Error(`cannot send: ${tooLong(size, cap)}`));
    this.seq++;
    const signed = this.signing.then(async () => {
      const key = this.keys[0];
      const sealed = key ? await seal(key, sealingHeader(header), body) : body;
      const env = await signEnvelope(this.signer, { ...header, body: sealed });
      this.history.add(env);
      this.outbox.add(env);
      return env.id;
    });
    this.signing = signed.catch(() => undefined);
    return signed;
  }

  /** Leaves the room and releases everything; final. */
  close(): void {
    this.outbox.stop();
    this.beat.stop();
    this.ledger.clear();
    this.receipts.stop();
    this.catchUp.stop();
    this.transport.close(); // tells the `state` listeners: closed
    this.events.clear();
  }

  /** Wires the transport and joins; resolves at the first `open`, rejects on a final refusal. */
  private open(): Promise<void> {
    const t = this.transport;
    t.on('chat:message', (env, meta) => void this.take([env], meta.from, true));
    t.on('chat:sync-res', (res, meta) => {
      const page = this.catchUp.accept(this.name, res, meta.from);
      if (page) void this.take(page, meta.from, false);
      else this.intake.refused();
    });
    t.on('chat:sync-req', (req, meta) => {
      if (!this.catchUp.answer(this.name, req, meta.from)) this.intake.refused();
    });
    t.on('chat:ack', (ack, meta) => void this.acked(ack, meta.from));
    t.on('chat:here', (here, meta) => {
      void this.ledger.take(here, meta.from, this.name, t.peers.get(meta.from));
    });
    // Answered as the browser answers them: within a per-member and an overall budget.
    const pings = new PingAnswer({
      room: () => this.name,
      pong: (peer, pong) => {
        this.emitTo(peer, 'chat:pong', pong);
        return true;
      },
    });
    t.on('chat:ping', pings.heard);
    t.on('state', (s) => this.events.emit('state', s));
    t.on('error', (err) => this.fail(err));
    t.on('open', () => {
      this.outbox.flush();
      this.catchUp.ask(this.name);
    });
    t.on('peer-leave', () => this.events.emit('members'));
    t.on('peer-join', (hello) => {
      this.catchUp.askOne(this.name, hello.id);
      this.outbox.flush();
    });
    // The refusal that closes the link says why (another version, an unproven join…).
    let lastError: { text: string } | undefined;
    t.on('error', (err) => (lastError = err));
    return new Promise<void>((resolve, reject) => {
      const offOpen = t.on('open', () => {
        offOpen();
        offClose();
        resolve();
      });
      const offClose = t.on('close', (reason) => {
        if (t.state !== 'closed') return; // offline: it retries by itself
        offOpen();
        offClose();
        reject(new Error(`cannot join "${this.name}": ${lastError?.text ?? reason}`));
      });
      // A first attempt that fails only says so; the link keeps trying until it opens.
      t.connect(this.name, { userId: this.signer.id, name: this.setup.name }).catch(() => {});
    });
  }

  /**
   * Checks incoming envelopes; reports the new ones, then acknowledges every verified one.
   * Batches are checked at once (signatures in parallel) but reported in the order they came.
   */
  private take(given: readonly unknown[], from: PeerId, live: boolean): Promise<void> {
    const only = this.only;
    const payloads = only ? given.filter((p) => only(p)) : given;
    if (payloads.length === 0) return Promise.resolve();
    // Live, a member sends only its own words: the author must be who its connection proved.
    const author = live ? (this.transport.peers.get(from)?.userId ?? '') : undefined;
    const room = {
      room: this.name,
      known: (id: string) => this.history.get(id),
      claim: (env: Envelope) => void this.history.add(env),
      cap: this.transport.payloadCap,
    };
    const checked = this.intake.check(room, payloads, author).then(async (result) => ({
      result,
      read: await Promise.all(result.fresh.map((env) => readMessage(env, this.keys))),
    }));
    const turn = this.inOrder.then(async () => {
      const { result, read } = await checked;
      if (!live && result.forged > 0) this.catchUp.distrust(from);
      const kept = new Set<string>();
      result.fresh.forEach((env, i) => {
        try {
          this.keep?.(env);
          kept.add(env.id);
        } catch (err) {
          return this.fail(new Error(`could not keep message ${env.id}: ${String(err)}`));
        }
        const r = read[i];
        if (!r) {
          // Sealed under a key we lack: held and passed on, not reported; our receipt says so.
          this.unreadable.add(env.id);
          if (this.unreadable.size > 10_000)
            this.unreadable.delete(this.unreadable.keys().next().value!);
          return;
        }
        // Older than all a full history holds: not kept, so reported once, never again.
        if (this.history.get(env.id) === undefined) {
          if (this.history.wasDropped(env.id)) return;
          this.history.noteDropped(env.id);
        }
        this.events.emit('message', botMessage(env, r, live, this.signer.id));
      });
      if (this.state === 'closed') return;
      // After the listeners ran: what a bot stores in a `message` listener is stored by now.
      // A new one we could not keep is not acknowledged: its sender sends it again.
      const fresh = new Set(result.fresh.map((e) => e.id));
      for (const id of result.verified) {
        if (fresh.has(id) && !kept.has(id)) continue;
        this.receipts.add(from, id, this.name, this.signer, this.unreadable.has(id));
      }
    });
    this.inOrder = turn.catch(() => undefined);
    return turn;
  }

  /**
   * A receipt from connection `from`. Signed (1.4) by the identity it names, it ends resends and
   * reports `delivered`; unsigned (an older member's), in the name `from` joined with, it only
   * ends resends — nothing but the server would vouch that member stored it.
   */
  private async acked(payload: unknown, from: PeerId): Promise<void> {
    const ack = v.safeParse(AckSchema, payload);
    if (!ack.success || ack.output.room !== this.name) return this.intake.refused();
    const { by, ids, sig } = ack.output;
    const hello = this.transport.peers.get(from);
    // Unsigned: only from an app older than signed receipts, in the name it joined with.
    if (sig === undefined && (hello?.userId !== by || signsHellos(hello))) return;
    // Signed: only by an identity that said, signed, it is here (or was lately).
    if (sig !== undefined && !this.ledger.wasHere(by)) return this.intake.refused();
    const ours = ids.filter(
      (id) => this.outbox.has(id) || this.history.get(id)?.from.id === this.signer.id,
    );
    if (ours.length === 0) return;
    if (sig === undefined) return void this.outbox.acknowledged(ours);
    // Repeats of what was reported cost nothing; a signature check a few a second at most.
    const news = ours.filter((id) => !this.told.has(`${id}|${by}`));
    if (news.length === 0 && ours.every((id) => !this.outbox.has(id))) return;
    if (!this.ackChecks.take(from)) return;
    if (!(await verifyAck(ack.output))) return this.intake.refused();
    this.outbox.acknowledged(ours);
    for (const id of news) {
      if (this.told.has(`${id}|${by}`)) continue;
      this.told.add(`${id}|${by}`);
      if (this.told.size > 10_000) this.told.delete(this.told.values().next().value!);
      this.events.emit('delivered', { room: this.name, id, by });
    }
  }

  private emitAll(env: Envelope): boolean {
    try {
      this.transport.emit('chat:message', env);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code !== 'too-large') return false; // not open: next flush
      // Too large for the server in use now (a fail-over to a smaller cap): it can never go, and
      // must not hold back what follows it.
      this.outbox.acknowledged([env.id]);
      this.fail(new Error(`message ${env.id} is too large for this server and was not sent`));
      return true;
    }
  }

  private emitTo<E extends 'chat:ack' | 'chat:pong'>(
    peer: PeerId,
    ev: E,
    ...args: Parameters<ChatEvents[E]>
  ): void {
    try {
      this.transport.emitTo(peer, ev, ...args);
    } catch {
      // The member left or the link dropped: nothing to tell it now.
    }
  }

  private fail(err: Error): void {
    // Without a listener an error is not worth a crash: the room keeps going by itself.
    if (this.events.has('error')) this.events.emit('error', err);
  }
}
