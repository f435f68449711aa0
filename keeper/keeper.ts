/**
 * The keeper: a member of the rooms it keeps that never sleeps, so a message waits for its
 * reader. It is a bot of the Node client (`parley/node`: the browser's protocol, signatures,
 * Intake, receipts and catch-up, from the same source): it checks every message as every
 * member does, holds what passes as signed — in a sealed room only the sealed form, since it
 * has no room key and never asks for one — and answers catch-up requests from it, so a member
 * who comes back gets what was said while nobody was there.
 *
 * Which rooms: the server tells it (signaling/keeper-feed.ts). A server started with
 * `PARLEY_KEEPER_TOKEN` opens a feed only a connection with that token can use (the token is
 * in the environment of the server and the keeper, never in a page, so no browser can pose as
 * the keeper); it names the rooms that exist when the keeper connects and each room that gets
 * its first member after. The keeper joins each (relayed, no direct links) as any member,
 * at most `maxRooms` at once: past that it leaves the room quiet longest (what it kept of it
 * stays in the store, and it joins again when that room's first member comes back). It never
 * reads or guesses passphrases. After a restart it joins the rooms it has kept, most recently
 * written first, again within `maxRooms`.
 *
 * Its identity is a key file (made on first run, mode 0600), so members see the same safety
 * code for it across restarts.
 *
 * Durable before acknowledged: every new verified envelope is written to the store (one
 * SQLite transaction, fsynced) in the same turn of the event loop the Intake took it in, so
 * before the Node client's receipt for it (batched, a quarter second later) can leave. A write
 * that fails ends the process before that receipt (see `fatal`).
 *
 * With `REDIS_URL` the keepers of every node also share what they keep (shared-store.ts): a
 * room kept by one node's keeper is served by another node's keeper to a member who reaches
 * that node, and nothing is lost with one node's keeper. Each node's keeper joins the rooms of
 * its own node, so a room whose members are on two nodes has two keepers in it; they hold the
 * same envelopes once in Redis.
 */
import { connect, type BotRoom, type Envelope, type ParleyClient } from '../src/node/index.js';
import type { Identity } from '../src/protocol/identity.js';
import { carriesKnock, isDeskRoom } from '../src/protocol/desk.js';
import type { Logger } from '../signaling/log.js';
import type { KeeperConfig } from './config.js';
import { openFeeds } from './feed.js';
import { SharedStore } from './shared-store.js';
import { KeeperStore } from './store.js';

/** Room names waiting to be joined, at most; the oldest announcement goes first. */
const MAX_PENDING = 1_000;
/** How often messages past their age are dropped, in ms. */
const EXPIRE_EVERY_MS = 60_000;

interface Kept {
  room?: BotRoom;
  /** When it last took in a message (or was joined), for choosing which to leave. */
  last: number;
  /** With Redis: our claim lapsed while it was being joined. */
  lost?: boolean;
}

/** A running keeper; see the module comment. Made by {@link Keeper.start}. */
export class Keeper {
  private readonly kept = new Map<string, Kept>();
  private readonly pending = new Set<string>();
  private pumping = false;
  private closed = false;
  /** Envelopes taken in this turn, per room, written together at the end of the turn. */
  private readonly unwritten = new Map<string, Envelope[]>();
  private feeds: { close: () => void } | undefined;
  private readonly expiry: ReturnType<typeof setInterval>;
  /** With Redis: rooms another keeper holds now, tried again now and then (bounded). */
  private readonly elsewhere = new Set<string>();
  /** Rooms whose 'kept elsewhere' was logged (bounded). */
  private readonly saidElsewhere = new Set<string>();
  private claims: ReturnType<typeof setInterval> | undefined;

  private constructor(
    private readonly config: KeeperConfig,
    private readonly client: ParleyClient,
    /** The store (its envelopes, counts and bounds). */
    readonly store: KeeperStore,
    private readonly log: Logger,
    private readonly fatal: (err: Error) => void,
    private readonly shared: SharedStore | undefined,
  ) {
    this.expiry = setInterval(() => this.store.expire(), EXPIRE_EVERY_MS);
    this.expiry.unref();
    if (shared) {
      this.claims = setInterval(() => void this.renew(shared), config.claimMs / 3);
      this.claims.unref();
    }
  }

  /**
   * Opens the store, loads (or makes) the identity, joins the rooms it kept before and starts
   * listening to the server's feed. `fatal` is called if the store cannot write (the caller
   * should end the process: nothing unwritten may be acknowledged).
   */
  static async start(
    config: KeeperConfig,
    log: Logger,
    fatal: (err: Error) => void,
    identity?: Identity,
  ): Promise<Keeper> {
    const store = new KeeperStore(config.dir, config.bounds, (d) =>
      log('info', 'dropped', { room: d.room, count: d.count, why: d.why }),
    );
    store.expire();
    const client = await connect(config.servers, {
      name: config.name,
      keeperToken: config.token,
      ...(identity ? { identity } : { keyFile: config.keyFile }),
    });
    const shared = config.redisUrl
      ? new SharedStore(config.redisUrl, config.bounds, log)
      : undefined;
    const keeper = new Keeper(config, client, store, log, fatal, shared);
    log('info', 'keeper ready', {
      id: client.id,
      servers: config.servers,
      held: store.count,
      bytes: store.size,
    });
    for (const room of store.rooms(config.maxRooms)) keeper.keep(room);
    keeper.feeds = openFeeds(config.servers, config.token, {
      room: (name) => keeper.keep(name),
      refused: (url, why) => log('error', 'keeper feed refused', { url, why }),
    });
    return keeper;
  }

  /** The keeper's identity id (what members see as its author id and in its receipts). */
  get id(): string {
    return this.client.id;
  }

  /** The rooms kept now (joined or being joined). */
  get rooms(): string[] {
    return [...this.kept.keys()];
  }

  /** Keeps room `name` from now on (joins it; a room kept already is left as it is). */
  keep(name: string): void {
    if (this.closed || this.kept.has(name) || this.pending.has(name)) return;
    this.elsewhere.delete(name);
    this.pending.add(name);
    if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.values().next().value!);
    void this.pump();
  }

  /** Leaves every room, gives back its claims, stops listening and closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.expiry);
    clearInterval(this.claims);
    const rooms = this.rooms;
    this.feeds?.close();
    this.client.close();
    this.flush();
    this.store.close();
    if (this.shared) {
      await this.shared.release(rooms, this.id);
      this.shared.close();
    }
  }

  /** Renews our claims (a room whose claim is lost is left); tries the others' rooms again. */
  private async renew(shared: SharedStore): Promise<void> {
    for (const [name, k] of [...this.kept]) {
      if (await shared.claim(name, this.id, this.config.claimMs)) continue;
      if (this.kept.get(name) !== k) continue;
      k.lost = true; // one being joined is left once joined
      if (!k.room) continue;
      k.room.close();
      this.kept.delete(name);
      this.heldElsewhere(name);
    }
    const again = [...this.elsewhere];
    this.elsewhere.clear();
    again.forEach((name) => this.keep(name));
  }

  private heldElsewhere(name: string): void {
    this.elsewhere.add(name);
    if (this.elsewhere.size > MAX_PENDING) {
      this.elsewhere.delete(this.elsewhere.values().next().value!);
    }
    // Said once, not at every try.
    if (this.saidElsewhere.has(name)) return;
    this.saidElsewhere.add(name);
    if (this.saidElsewhere.size > MAX_PENDING) {
      this.saidElsewhere.delete(this.saidElsewhere.values().next().value!);
    }
    this.log('info', 'kept elsewhere', { room: name });
  }

  /** Joins the pending rooms one at a time. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      // Bounded: each pass takes one name off a set that holds at most MAX_PENDING.
      while (!this.closed && this.pending.size > 0) {
        const name = this.pending.values().next().value!;
        this.pending.delete(name);
        if (!this.kept.has(name)) await this.join(name);
      }
    } finally {
      this.pumping = false;
    }
  }

  private async join(name: string): Promise<void> {
    if (this.kept.size >= this.config.maxRooms) this.leaveQuietest();
    const entry: Kept = { last: Date.now() };
    this.kept.set(name, entry);
    // With Redis, one keeper holds a room: another that holds it now keeps it.
    if (this.shared && !(await this.shared.claim(name, this.id, this.config.claimMs))) {
      this.kept.delete(name);
      return this.heldElsewhere(name);
    }
    let room: BotRoom;
    try {
      // What this keeper's file holds, and what the keepers of other nodes shared.
      const shared = this.shared ? await this.shared.load(name) : [];
      room = await this.client.join(name, {
        history: oneOfEach([...this.store.load(name), ...shared]),
        maxHistory: this.config.bounds.roomMessages,
        authorBudget: this.config.authorBudget,
        // Each new verified message, sealed or not, before its receipt can leave.
        keep: (env) => this.take(name, env),
        // A help desk's desk holds knocks only: anything else there is nobody's business and
        // would push knocks out of the room's bounds (PROTOCOL.md §19).
        ...(isDeskRoom(name) ? { only: carriesKnock } : {}),
      });
    } catch (err) {
      this.kept.delete(name);
      void this.shared?.release([name], this.id);
      this.log('warn', 'not kept', { room: name, why: (err as Error).message });
      return;
    }
    if (this.closed) return room.close();
    if (entry.lost) {
      room.close();
      this.kept.delete(name);
      return this.heldElsewhere(name);
    }
    entry.room = room;
    // What it holds (loaded, and shared by other nodes' keepers) is written now: what it took in
    // while joining went through `keep` already (a repeat costs the store nothing).
    const held = room.messages;
    this.write(name, held);
    // All of it to the shared store too: what a killed keeper had not copied yet is copied now.
    void this.shared?.copy(name, held);
    room.on('state', (s) => {
      if (s === 'closed' && this.kept.get(name) === entry) this.kept.delete(name);
    });
    room.on('error', (err) => this.log('warn', 'room problem', { room: name, why: err.message }));
    this.saidElsewhere.delete(name);
    this.log('info', 'keeping', { room: name, held: this.store.countOf(name) });
  }

  /** Leaves the kept room that took in nothing for longest (its store stays). */
  private leaveQuietest(): void {
    let quiet: string | undefined;
    let last = Infinity;
    for (const [name, k] of this.kept) {
      if (k.room && k.last < last) [quiet, last] = [name, k.last];
    }
    if (quiet === undefined) return;
    this.kept.get(quiet)!.room!.close();
    this.kept.delete(quiet);
    void this.shared?.release([quiet], this.id);
    this.log('info', 'left', { room: quiet, why: `keeping at most ${this.config.maxRooms} rooms` });
  }

  /** One envelope taken in: written with the others of this turn before the turn ends. */
  private take(room: string, env: Envelope): void {
    const k = this.kept.get(room);
    if (k) k.last = Date.now();
    let list = this.unwritten.get(room);
    if (!list) {
      this.unwritten.set(room, (list = []));
      if (this.unwritten.size === 1) queueMicrotask(() => this.flush());
    }
    list.push(env);
  }

  /** Writes what this turn took in (a microtask: before any timer, so before any receipt). */
  private flush(): void {
    const all = [...this.unwritten];
    this.unwritten.clear();
    for (const [room, envs] of all) this.write(room, envs);
  }

  private write(room: string, envs: readonly Envelope[]): void {
    if (envs.length === 0) return;
    try {
      const fresh = this.store.put(room, envs);
      if (fresh.length > 0) void this.shared?.copy(room, fresh);
    } catch (err) {
      this.log('error', 'store write failed', { room, why: (err as Error).message });
      this.fatal(err as Error);
    }
  }
}

/** `items` with one of each id (the first), others as they are (the room's checks refuse them). */
function oneOfEach(items: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
