/**
 * Delivery of our messages: each goes on the wire as soon as it is signed, while it is being
 * stored ({@link Delivery.sendNow}); the outbox is flushed whenever a link opens (and after a
 * message that found no link is stored), every member who
 * stores a message acknowledges it (`chat:ack`, batched, to the sender only), and a message
 * nobody has acknowledged is sent again with backoff while others are in the room. When the
 * retries run out it shows as failed, with a Retry action. Receivers drop repeats by id, so
 * sending again is always safe.
 */
import * as v from 'valibot';
import {
  markDelivered,
  markOutgoing,
  markUnrelayed,
  outboxEntries,
  type SentEarly,
} from '../../store/outbox.js';
import { AckSchema, type Ack, type Envelope } from '../../protocol/chat-events.js';
import { verifyAck } from '../../protocol/signed-notices.js';
import { PerPeerBudget } from './per-peer-budget.js';
import { signsHellos } from '../presence/here.js';
import type { PeerId } from '../../transport/types.js';
import { Receipts, RETRY_DELAYS_MS } from './receipts.js';
import type { ActiveRoom, RoomServices } from './room-context.js';
import { phase } from './phase-marks.js';

/** Receipts remembered as taken (member, message, unread), so a repeat costs nothing. */
const MAX_TAKEN = 10_000;
/** Signature checks of receipts per connection: at once, then a second. */
const CHECKS_BURST = 20;
const CHECKS_PER_S = 10;

/** Runs storage work for member `peer`, in its turn; false when it was dropped (too much). */
export type MemberWork = (peer: PeerId, job: () => Promise<unknown>) => boolean;

interface Retry {
  attempt: number;
  timer: ReturnType<typeof setTimeout>;
}

/** Sends, resends and confirms our messages for one room controller. */
export class Delivery {
  private readonly retries = new Map<string, Retry>();
  /**
   * Ids of our messages known to be in the outbox (sent, queued or failed, read at each flush):
   * a receipt may end only these (or one of ours on screen), checked before any storage.
   */
  private readonly mine = new Set<string>();
  /** Receipts already recorded, as `id|by|unread`: a repeat changes nothing and is skipped. */
  private readonly taken = new Set<string>();
  /** Signature checks left to each connection (see {@link received}). */
  private readonly checks = new PerPeerBudget(CHECKS_BURST, CHECKS_PER_S);
  private readonly receipts = new Receipts((peer, ack) =>
    this.s.transport.emitTo(peer, 'chat:ack', ack),
  );

  constructor(
    private readonly s: RoomServices,
    private readonly delays: readonly number[] = RETRY_DELAYS_MS,
    /** Where a member's receipts are stored (default: with our own work, in order). */
    private readonly memberWork: MemberWork = (_peer, job) => (s.enqueue(job), true),
  ) {}

  /**
   * Sends every message in the outbox of the room, oldest first, if the link carries events.
   * While only direct links do (the server is away), each is marked to go once more through
   * the server when it is back; once it has, that mark is cleared and a receipt ends it.
   */
  async flush(active: ActiveRoom): Promise<void> {
    const marks = { on: [] as string[], off: [] as string[] };
    const tabsOnly = this.s.transport.kind === 'broadcast';
    const entries = await outboxEntries(active.db, active.owner, active.room);
    for (const entry of entries) this.mine.add(entry.id);
    for (const entry of entries) {
      const env = entry.env;
      // Written for this browser's tabs only: it never goes through a server or a direct link.
      if (entry.local && !tabsOnly) continue;
      if (!this.s.transport.emit('chat:message', env)) break;
      phase('out-wire', env.id);
      // Read after each send: the server may go (or come back) while the flush awaits storage.
      const everyone = this.s.transport.reachesEveryone;
      if (!everyone && !entry.unrelayed) marks.on.push(env.id);
      if (everyone && entry.unrelayed) marks.off.push(env.id);
      const msg = this.s.list.get(env.id);
      if (msg?.status === 'queued' || msg?.status === 'failed') {
        await markOutgoing(active.db, active.owner, env.id, 'sent');
        // A receipt, stored in the members' lane meanwhile, may have made it delivered.
        const now = this.s.list.get(env.id)?.status;
        if (now === 'queued' || now === 'failed') this.s.list.setStatus(env.id, 'sent');
        this.s.changed();
      }
      this.arm(active, env, this.retries.get(env.id)?.attempt ?? 0);
    }
    if (marks.on.length) await markUnrelayed(active.db, active.owner, marks.on, true);
    if (marks.off.length) await markUnrelayed(active.db, active.owner, marks.off, false);
  }

  /**
   * Puts one of our messages on the wire now, while it is being stored, when the link carries
   * events; resends follow until a receipt comes. Returns how it went, or undefined when it did
   * not (no link, or written for this browser's tabs and the link is another): stored as
   * queued, the flush after the write sends it.
   */
  sendNow(active: ActiveRoom, env: Envelope, local: boolean): SentEarly | undefined {
    if (local && this.s.transport.kind !== 'broadcast') return undefined;
    if (!this.s.transport.emit('chat:message', env)) return undefined;
    phase('out-wire', env.id);
    this.mine.add(env.id);
    this.arm(active, env, 0);
    return { unrelayed: !this.s.transport.reachesEveryone };
  }

  /** Sends one failed message again, as the user asked. */
  retry(active: ActiveRoom, id: string): void {
    this.cancel(id);
    this.s.enqueue(async () => {
      await markOutgoing(active.db, active.owner, id, 'sent');
      if (this.s.list.get(id)?.status !== 'delivered') this.s.list.setStatus(id, 'sent');
      this.s.changed();
      await this.flush(active);
    });
  }

  /** Schedules the next resend of `env`, or marks it failed when retries ran out. */
  private arm(active: ActiveRoom, env: Envelope, attempt: number): void {
    this.cancel(env.id);
    const delay = this.delays[attempt];
    const jittered = delay === undefined ? 0 : delay * (0.75 + Math.random() * 0.5);
    const timer = setTimeout(
      () => {
        this.retries.delete(env.id);
        const msg = this.s.list.get(env.id);
        if (!msg || msg.status === 'delivered' || msg.status === 'kept') return;
        // Alone in the room, nobody can acknowledge: wait for company instead of failing.
        const alone = this.s.roster().length <= 1;
        if (alone) return this.arm(active, env, attempt);
        if (delay === undefined) {
          this.s.enqueue(async () => {
            await markOutgoing(active.db, active.owner, env.id, 'failed');
            this.s.list.setStatus(env.id, 'failed');
            this.s.changed();
          });
          return;
        }
        if (msg.local && this.s.transport.kind !== 'broadcast') return;
        if (!this.s.transport.emit('chat:message', env)) return;
        if (!this.s.transport.reachesEveryone) {
          this.s.enqueue(() => markUnrelayed(active.db, active.owner, [env.id], true));
        }
        this.arm(active, env, attempt + 1);
      },
      jittered || this.delays.at(-1)!,
    );
    this.retries.set(env.id, { attempt, timer });
  }

  private cancel(id: string): void {
    const r = this.retries.get(id);
    if (r) clearTimeout(r.timer);
    this.retries.delete(id);
  }

  /** Acknowledges a message we stored (or already had) to the connection that sent it. */
  acknowledge(active: ActiveRoom, from: PeerId, id: string, unread = false): void {
    this.receipts.add(from, id, active.room, active.self, unread);
  }

  /**
   * Takes a receipt from connection `from`. Before any storage or signature check, only ids of
   * ours known here are kept (in the outbox, or ours on screen) and repeats dropped: made-up ids
   * cost a member nothing but its frame. A receipt that names none of ours is no fault: members
   * acknowledge a catch-up answer to whoever served it.
   *
   * Since 1.4 only a receipt signed by the identity it names makes messages *delivered* (a
   * relay cannot answer for a member it never reached); it is recorded in `from`'s turn in the
   * members' lane (bounded: past it, it is dropped and counted, and our resend brings another).
   * An unsigned receipt (an older member's) in the name `from` joined with only ends resends:
   * the message stays *sent*. False when it is malformed or in another's name; a signature that
   * does not check out is counted through `forged`.
   */
  received(active: ActiveRoom, payload: unknown, from: PeerId, forged = () => {}): boolean {
    const parsed = v.safeParse(AckSchema, payload);
    if (!parsed.success || parsed.output.room !== active.room) return false;
    const ack = parsed.output;
    const hello = this.s.transport.helloOf(from);
    // Unsigned, it stands only on the name its connection joined with, and only from an app
    // older than signed receipts: in another's name, or from a 1.4 connection, refused.
    if (ack.sig === undefined && (hello?.userId !== ack.by || signsHellos(hello))) return false;
    // Signed, it is the word of a member only if that identity said, signed, it is here (or
    // was lately): a receipt signed by a key nobody in the room holds says nothing.
    if (ack.sig !== undefined && !this.s.wasHere(ack.by)) return false;
    const ours = ack.ids.filter((id) => this.isOurs(active, id));
    if (ours.length === 0) return true;
    if (ack.sig === undefined) {
      ours.forEach((id) => this.cancel(id));
      return true;
    }
    const unread = ack.unread ?? [];
    const key = (id: string) => `${id}|${ack.by}|${Number(unread.includes(id))}`;
    const ids = ours.filter((id) => !this.taken.has(key(id)));
    if (ids.length === 0) return true; // heard before, or on its way to storage: nothing changes
    // Each check costs a signature verification: a connection gets a few a second (an honest
    // one sends about four receipts a second at most); past that its receipts are dropped
    // unchecked, and its sender's resend brings another.
    if (!this.checks.take(from)) return (forged(), true);
    void verifyAck(ack).then((signed) => {
      if (signed) this.record(active, ack, ids, from, key);
      else forged();
    });
    return true;
  }

  /** Stores what a signed receipt says, in `from`'s turn; ends the resends it answers. */
  private record(
    active: ActiveRoom,
    ack: Ack,
    named: string[],
    from: PeerId,
    key: (id: string) => string,
  ): void {
    const { by, unread = [] } = ack;
    // Checked while another copy may have been taken: only what is still new is recorded.
    const ids = named.filter((id) => !this.taken.has(key(id)));
    if (ids.length === 0) return;
    // Who cannot read them, as their own hello names them (the server's word only failing that).
    const hello = this.s.transport.helloOf(from);
    const name =
      this.s.roster().find((m) => m.userId === by)?.name ??
      (hello?.userId === by ? hello.name : '');
    const cannot = { name, ids: unread.filter((id) => ids.includes(id)) };
    // The server's keeper (its word, 1.5) holds them for those away: *kept*, not *delivered*.
    const kept = hello?.keeper === true && hello.userId === by;
    const queued = this.memberWork(from, async () => {
      try {
        const updated = await markDelivered(
          active.db,
          active.owner,
          active.self.id,
          ids,
          by,
          cannot,
          kept,
        );
        this.s.list.refresh(updated);
        if (updated.length > 0) this.s.changed();
      } catch (err) {
        ids.forEach((id) => this.taken.delete(key(id))); // not recorded: a repeat may try again
        throw err;
      }
    });
    // Only a receipt that will be recorded ends our resends: one dropped by a full lane leaves
    // them armed, and the next resend brings another receipt. Taken from now on, so copies of
    // it queue no second write.
    if (queued) {
      ids.forEach((id) => this.cancel(id));
      ids.forEach((id) => this.remember(key(id)));
    }
  }

  /** Whether `id` is one of our messages known in memory (outbox, resends, or on screen). */
  private isOurs(active: ActiveRoom, id: string): boolean {
    if (this.mine.has(id) || this.retries.has(id)) return true;
    return this.s.list.get(id)?.from.id === active.self.id;
  }

  /** Notes a receipt as recorded; the oldest is forgotten past {@link MAX_TAKEN}. */
  private remember(key: string): void {
    this.taken.add(key);
    if (this.taken.size > MAX_TAKEN) this.taken.delete(this.taken.values().next().value!);
  }

  /** Forgets timers (the room was left). */
  stop(): void {
    this.retries.forEach((r) => clearTimeout(r.timer));
    this.retries.clear();
    this.mine.clear();
    this.taken.clear();
    this.receipts.stop();
  }
}
