/**
 * Background listening for the room list: the rooms a person joined but is not looking at
 * still hear their new messages, so unread counts move. Loaded by the rooms controller only
 * once someone is logged in with more than one room (it weighs nothing on the first download).
 *
 * Each watched room gets its own transport that only hears (Socket.IO for a relay or WebRTC
 * choice: a background room needs no direct links; tabs for `broadcast`), joined as the
 * account's identity. Every `chat:message` passes the same intake as the room being shown
 * (shape, room, time, signature, the live author being the identity its connection proved,
 * the per-author budget); what is new is stored (repeats by id are ignored), acknowledged to
 * its sender, kept within the room's history limit, and reported through `noticed`.
 */
import { isWellFormed, type ChatEvents, type Envelope } from '../../protocol/chat-events.js';
import { signerOf, type Signer } from '../../protocol/identity.js';
import type { ParleyDb } from '../../store/db.js';
import { addMessages, DEFAULT_HISTORY_MAX } from '../../store/history.js';
import { identityFor } from '../../store/identities.js';
import { roomKeysOf } from '../../store/room-keys.js';
import { readBody, readMessage } from '../../protocol/message-body.js';
import {
  loadTransport,
  type AnyTransportOptions,
  type TransportFactory,
} from '../../transport/index.js';
import type { PeerId, TransportKind } from '../../transport/types.js';
import { statusOf } from '../room/incoming.js';
import { indexLater } from '../search/index-later.js';
import { Intake } from '../room/intake.js';
import { noteLateArrivals } from '../room/late.js';
import { Receipts } from '../room/receipts.js';
import { beatOn, type HereBeat } from '../presence/here.js';
import { Retention } from '../room/retention.js';
import type { ActiveRoom } from '../room/room-context.js';
import type { ChatTransport } from '../connection/transport-controller.js';

/** Rooms listened to in the background at the most (the most recently active ones). */
export const MAX_WATCHED = 8;
/** Ids of a watched room remembered as taken in (older repeats are ignored by the store). */
const MAX_RECENT = 500;

/** How the background rooms are reached: from the transport the person chose. */
export interface WatchLink {
  kind: TransportKind;
  options: AnyTransportOptions;
  /** Replaces the transport registry (tests: in-page transports). */
  factory?: TransportFactory | undefined;
  /** Messages kept per room (default 50,000). */
  historyMax?: number | undefined;
}

/** Whom the watch listens for, and whom it tells. */
export interface WatchConfig {
  db: ParleyDb;
  /** Account id: owner of the stored history. */
  owner: string;
  /** Display name joined with. */
  name: string;
  /** New messages were stored in `room`. */
  noticed: (room: string) => void;
}

/** The transport a background room uses for the person's choice: one that only needs to hear. */
export function watchKind(kind: TransportKind): TransportKind {
  return kind === 'webrtc' ? 'socketio' : kind;
}

/** The ids of `envs` sealed under no key we hold for `active`'s room. */
async function lockedOf(active: ActiveRoom, envs: readonly Envelope[]): Promise<Set<string>> {
  const sealed = envs.filter((e) => readBody(e.body)?.kind === 'sealed');
  if (sealed.length === 0) return new Set();
  const keys = await roomKeysOf(active.db, active.owner, active.room).catch(() => []);
  const opened = await Promise.all(sealed.map((e) => readMessage(e, keys)));
  return new Set(sealed.filter((_, i) => opened[i] === undefined).map((e) => e.id));
}

/** Payloads an intake refused, for any reason. */
function refusedBy(intake: Intake): number {
  const { malformed, forged, conflicts, overBudget } = intake.counts;
  return malformed + forged + conflicts + overBudget;
}

/** One room listened to. */
interface Watched {
  closed: boolean;
  transport?: ChatTransport;
  readonly intake: Intake;
  /** Messages taken in lately, by id (what the intake compares a repeat against). */
  readonly recent: Map<string, Envelope>;
  readonly receipts: Receipts;
  readonly retention: Retention;
  /** Our signed word that we are here (a background room still has us in it). */
  beat?: HereBeat;
}

/** Listens to the person's other rooms. */
export class RoomWatch {
  private readonly rooms = new Map<string, Watched>();
  private readonly self: Promise<Signer>;
  /** What rooms no longer watched refused. */
  private refusedBefore = 0;
  /** What the open transports were made from (a change reopens them). */
  private made: { key: string; factory?: TransportFactory | undefined } | undefined;

  constructor(private readonly c: WatchConfig) {
    this.self = identityFor(c.db, c.owner).then(signerOf);
    this.self.catch(() => {}); // storage gone: nothing is watched (each open finds out)
  }

  /** Incoming payloads the watched rooms refused so far, for any reason (diagnostics). */
  get refused(): number {
    let n = this.refusedBefore;
    for (const w of this.rooms.values()) n += refusedBy(w.intake);
    return n;
  }

  /** Listens to exactly the first {@link MAX_WATCHED} of `rooms` over `link`. */
  follow(rooms: readonly string[], link: WatchLink): void {
    const key = `${watchKind(link.kind)}\n${JSON.stringify(link.options.url ?? null)}`;
    if (this.made && (this.made.key !== key || this.made.factory !== link.factory)) this.close();
    this.made = { key, factory: link.factory };
    const wanted = new Set(rooms.slice(0, MAX_WATCHED));
    for (const room of this.rooms.keys()) if (!wanted.has(room)) this.drop(room);
    for (const room of wanted) if (!this.rooms.has(room)) this.open(room, link);
  }

  /** Stops listening to every room. */
  close(): void {
    for (const room of [...this.rooms.keys()]) this.drop(room);
  }

  private drop(room: string): void {
    const w = this.rooms.get(room);
    if (!w) return;
    this.rooms.delete(room);
    this.refusedBefore += refusedBy(w.intake);
    w.closed = true;
    w.transport?.close();
    w.beat?.stop();
    w.receipts.stop();
    w.retention.stop();
  }

  private open(room: string, link: WatchLink): void {
    const w: Watched = {
      closed: false,
      intake: new Intake(),
      recent: new Map(),
      // A receipt to a member who left meanwhile is not sent (emitTo would throw).
      receipts: new Receipts((peer, ack) => {
        if (w.transport?.peers.has(peer)) w.transport.emitTo(peer, 'chat:ack', ack);
      }),
      retention: new Retention(() => link.historyMax ?? DEFAULT_HISTORY_MAX),
    };
    this.rooms.set(room, w);
    void this.connect(room, w, link).catch(() => {
      // Could not load a transport or read the identity: this room stays quiet until the
      // list changes (the room itself still works when opened).
    });
  }

  private async connect(room: string, w: Watched, link: WatchLink): Promise<void> {
    const self = await this.self;
    if (w.closed) return;
    const factory = link.factory ?? loadTransport;
    // Only the protocol's events, with exactly their arguments, reach the intake.
    const t = await factory<ChatEvents>(watchKind(link.kind), {
      ...link.options,
      accept: isWellFormed,
      signer: self,
    });
    if (w.closed) return t.close();
    w.transport = t;
    const { db, owner, name } = this.c;
    const active: ActiveRoom = { owner, room, db, self, name };
    const local = link.kind === 'broadcast';
    t.on('chat:message', (env, meta) => void this.take(w, active, env, meta.from, local));
    // Others count us as here only on our own signed word, in this room as in the one on screen.
    w.beat = beatOn(t, room, name, self);
    w.retention.start(active);
    // A first failure is not the end: the transport keeps retrying until closed.
    await t.connect(room, { userId: self.id, name }).catch(() => {});
  }

  /** Takes one live message from connection `from` into `active`'s room. */
  private async take(
    w: Watched,
    active: ActiveRoom,
    payload: unknown,
    from: PeerId,
    local: boolean,
  ): Promise<void> {
    // When it came: kept with it, so one dated well before shows so and counts by it (late.ts).
    const arrived = Date.now();
    // A connection nobody lists has proven nothing: '' matches no author.
    const author = w.transport?.peers.get(from)?.userId ?? '';
    const claim = (env: Envelope) => {
      w.recent.set(env.id, env);
      if (w.recent.size > MAX_RECENT) w.recent.delete(w.recent.keys().next().value!);
    };
    const { fresh, verified } = await w.intake.check(
      {
        room: active.room,
        known: (id) => w.recent.get(id),
        claim,
        cap: w.transport?.payloadCap,
      },
      [payload],
      author,
    );
    if (w.closed || verified.length === 0) return;
    if (fresh.length > 0) {
      try {
        const added = await addMessages(
          active.db,
          active.owner,
          fresh,
          (e) => statusOf(e, active.self),
          { local, arrived },
        );
        // Sorted by its date among what was read already, a late one is still news.
        await noteLateArrivals(active, added, arrived).catch(() => {}); // the row still says so
        w.retention.stored(active, added.length);
        indexLater(active.db, active.owner, added);
      } catch {
        // Not stored: not acknowledged either, so its sender tries again.
        fresh.forEach((env) => w.recent.delete(env.id));
        return;
      }
    }
    if (w.closed) return;
    // A receipt says "stored": repeats too (the sender may have missed our first one), and
    // which of the new ones no key of ours opens (their sender then says so, not *delivered*).
    const unread = await lockedOf(active, fresh);
    if (w.closed) return;
    verified.forEach((id) => w.receipts.add(from, id, active.room, active.self, unread.has(id)));
    if (fresh.length > 0) this.c.noticed(active.room);
  }
}
