/**
 * Catch-up between peers, with no server storage: whenever a link opens we ask up to two
 * members for what we lack since our newest message (a newcomer asks for the recent history);
 * they answer from their own history in bounded pages, to us only, the newest page first (a
 * screenful, shown as soon as it is checked; see `newestPagesFirst`). Answers are accepted only
 * from members we asked, up to what we asked for, and every message in them is then checked
 * on its own by the intake, so a buggy or hostile peer can neither flood us nor make us store
 * garbage. Host-agnostic (the browser's room controller and the Node client both use it): the
 * history, the members and the link come through a {@link CatchUpPort}.
 */
import * as v from 'valibot';
import {
  MAX_SYNC_LIMIT,
  SYNC_PAGE,
  SyncRequestSchema,
  SyncResponseSchema,
  type ChatEvents,
  type Envelope,
} from '../../protocol/chat-events.js';
import { utf8Length } from '../../protocol/limits.js';
import { TokenBucket } from '../../protocol/token-bucket.js';
import type { PeerId } from '../../transport/types.js';

import { holdBackground } from './history-turns.js';
import { alonePageSize } from './page-size.js';

// What a message's page weighs lives apart (the first download needs it, not catch-up itself).
export { alonePageSize, DEFAULT_HISTORY_LIMIT, pageSize, tooLong } from './page-size.js';

/** How far before our newest message a request starts (late arrivals), in ms. */
const SLACK_MS = 60_000;
/** Bytes of messages per answer frame at most (less under a smaller payload cap). */
const PAGE_BYTES = 48 * 1024;
/** Room an answer frame needs besides its messages (room name, brackets, commas), in bytes. */
const PAGE_OVERHEAD = 1024;
/** How long an answer to our request is accepted, in ms. */
const ANSWER_WINDOW_MS = 30_000;
/** Least time between two answers to the same member, in ms (request floods). */
const ANSWER_GAP_MS = 2_000;
/** Members asked per catch-up. */
const ASK_AT_MOST = 2;
/** Askers remembered (for the answer gap); the oldest is forgotten first. */
const MAX_ASKERS = 1000;
/**
 * Most messages we serve to all askers together: a burst of two full histories, then 50 a
 * second — a join storm cannot turn one member into an amplifier.
 */
const SERVE_BURST = 2 * MAX_SYNC_LIMIT;
const SERVE_RATE = 50;

/**
 * Messages in the first page of an answer at most: about a screenful. The asker paints the
 * newest messages as soon as their page is verified, so the first page is small (checking 50
 * signatures takes a few ms), the later ones full.
 */
const FIRST_PAGE = 50;

/**
 * Splits envelopes into runs of at most {@link SYNC_PAGE} whose JSON fits `pageBytes` (a
 * message larger than that travels alone).
 */
export function syncPages(envs: readonly Envelope[], pageBytes = PAGE_BYTES): Envelope[][] {
  const out: Envelope[][] = [];
  let page: Envelope[] = [];
  let bytes = 0;
  for (const env of envs) {
    const size = utf8Length(JSON.stringify(env));
    if (page.length > 0 && (bytes + size > pageBytes || page.length === SYNC_PAGE)) {
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

/**
 * An answer's pages, newest first — the first of at most {@link FIRST_PAGE} messages, the
 * others as {@link syncPages} makes them — each page oldest first within. The asker sees the
 * newest messages first; what it missed further back follows while it reads them.
 */
export function newestPagesFirst(envs: readonly Envelope[], pageBytes = PAGE_BYTES): Envelope[][] {
  const first = syncPages(envs.slice(-FIRST_PAGE), pageBytes).reverse();
  const rest = syncPages(envs.slice(0, Math.max(0, envs.length - FIRST_PAGE)), pageBytes);
  return [...first, ...rest.reverse()];
}

/** What catch-up needs of the room it runs in. */
export interface CatchUpPort {
  /**
   * Sends a catch-up frame to one member; false when it could not be handed over (the member
   * left, the link is down).
   */
  emitTo<E extends 'chat:sync-req' | 'chat:sync-res'>(
    peer: PeerId,
    ev: E,
    payload: Parameters<ChatEvents[E]>[0],
  ): boolean;
  /** The other members, those reached directly first. */
  members(): PeerId[];
  /** The time of our newest message that is settled (not still on its way out), if any. */
  newest(): number | undefined;
  /** Our newest `limit` signed messages of `room` dated `since` or later, oldest first. */
  history(room: string, since: number, limit: number): Promise<Envelope[]>;
  /**
   * Runs `job`, the answer to member `from`, in its turn with the room's other storage work;
   * false when it was refused (that member has too much waiting): it will not run.
   */
  enqueue(job: () => Promise<unknown>, from: PeerId): boolean | void;
  /** The payload cap of the link now, in bytes (an answer page must fit it). */
  cap(): number;
}

/** One request of ours: what is left of its budget, until when, and what it asked for. */
interface Asked {
  budget: number;
  until: number;
  since: number;
  limit: number;
}

/** Asks for, answers and accepts catch-up pages for one room. */
export class CatchUp {
  /**
   * Members we asked: how many more messages we accept from each, until when, and what we
   * asked for (an answer cut short is asked again from the same point: see `askOne`).
   */
  private readonly asked = new Map<PeerId, Asked>();
  private readonly answered = new Map<PeerId, number>();
  /** Messages we may still serve, across every asker. */
  private readonly serving = new TokenBucket(SERVE_RATE, SERVE_BURST);
  /**
   * Budget taken for answers that served less (it is taken before reading, from what was
   * asked); used before the bucket, at most a burst.
   */
  private givenBack = 0;
  /**
   * Messages we may still take in answers, from every member together: each costs us checking
   * its signature, so members who join and rejoin (or new identities, which cost nothing to
   * make) cannot push more at us than this, however often we ask them.
   */
  private readonly taking = new TokenBucket(SERVE_RATE, SERVE_BURST);

  constructor(
    private readonly port: CatchUpPort,
    private readonly historyLimit: () => number,
  ) {}

  /** Asks up to two members (direct links first) for what we may have missed in `room`. */
  ask(room: string): void {
    for (const peer of this.port.members().slice(0, ASK_AT_MOST)) this.askOne(room, peer);
  }

  /**
   * Asks one member. Also called for every member who joins: what they wrote while away (or
   * what reached only some of us while the server was down) then flows in both directions.
   */
  askOne(room: string, peer: PeerId): void {
    const newest = this.port.newest();
    // Never past now: a message dated ahead (within the allowed skew) must not hide the rest.
    let since = newest !== undefined ? Math.max(0, Math.min(newest, Date.now()) - SLACK_MS) : 0;
    let limit =
      newest !== undefined ? MAX_SYNC_LIMIT : Math.min(this.historyLimit(), MAX_SYNC_LIMIT);
    // Answers come newest first: while one may still be under way (its window open, its budget
    // not spent), what we hold says nothing of what it has yet to bring further back — a link
    // that dropped mid-answer is asked again from where that answer started.
    const open = this.openAsk();
    if (open && open.since < since) ({ since, limit } = open);
    if (this.port.emitTo(peer, 'chat:sync-req', { room, since, limit })) {
      this.asked.set(peer, { budget: limit, until: Date.now() + ANSWER_WINDOW_MS, since, limit });
    }
  }

  /** The ask reaching furthest back whose answer may still be coming. */
  private openAsk(): Asked | undefined {
    let found: Asked | undefined;
    const now = Date.now();
    for (const a of this.asked.values()) {
      if (a.until >= now && a.budget > 0 && (!found || a.since < found.since)) found = a;
    }
    return found;
  }

  /** Answers a member's request from our history, in pages, to that member only. */
  answer(room: string, payload: unknown, from: PeerId): boolean {
    const req = v.safeParse(SyncRequestSchema, payload);
    if (!req.success || req.output.room !== room) return false;
    const last = this.answered.get(from) ?? 0;
    if (Date.now() - last < ANSWER_GAP_MS) return true; // asked again too soon: ignore
    this.answered.delete(from); // re-inserted last: the map is in order of last answer
    this.answered.set(from, Date.now());
    if (this.answered.size > MAX_ASKERS) this.answered.delete(this.answered.keys().next().value!);
    const { since, limit } = req.output;
    // Nothing is read once the serving budget is spent; what an answer may serve is taken
    // from it when its turn comes, before reading, and what it did not use is given back.
    if (!this.canServe()) return true;
    // Someone is looking at an empty list until this arrives: indexing and pruning wait (they
    // run in short slices, see history-turns.ts) until it is read and handed over.
    const release = holdBackground();
    const job = async () => {
      const budget = this.takeServing(limit);
      let served = 0;
      try {
        if (budget > 0) served = await this.answerFrom(room, from, since, budget);
      } finally {
        release();
        this.refund(budget - served);
      }
    };
    if (this.port.enqueue(job, from) === false) release();
    return true;
  }

  /** Whether any of the serving budget is left (nothing is taken). */
  private canServe(): boolean {
    const n = this.takeServing(1);
    this.refund(n);
    return n > 0;
  }

  /** Takes up to `wanted` of the serving budget (what was given back first); returns how many. */
  private takeServing(wanted: number): number {
    const back = Math.min(this.givenBack, wanted);
    this.givenBack -= back;
    return back + this.serving.takeUpTo(wanted - back);
  }

  /** Gives back budget taken for an answer that served fewer messages. */
  private refund(n: number): void {
    this.givenBack = Math.min(SERVE_BURST, this.givenBack + Math.max(0, n));
  }

  /**
   * Reads and sends an answer of at most `limit` messages (its serving budget, already taken):
   * the newest screenful first, then the rest.
   */
  private async answerFrom(
    room: string,
    from: PeerId,
    since: number,
    limit: number,
  ): Promise<number> {
    // The newest screenful is read on its own and sent at once: the asker checks and paints
    // it while we read the rest (a whole history read is the longer part of answering).
    const first = Math.min(limit, FIRST_PAGE);
    const top = await this.port.history(room, since, first);
    const sent = new Set<string>();
    if (!this.serve(room, from, top, sent) || top.length < first) return sent.size;
    const all = await this.port.history(room, since, limit);
    // What the first read had (and anything stored since, newer than what was asked about)
    // is not sent twice; the rest stays within the limit asked.
    const rest = all.filter((env) => !sent.has(env.id));
    this.serve(room, from, rest.slice(Math.max(0, rest.length - (limit - sent.size))), sent);
    return sent.size;
  }

  /**
   * Sends `found` (oldest first) to `from`, newest page first, adding what went to `sent`;
   * false when a page could not be handed over (the asker is gone or our link is down).
   */
  private serve(room: string, from: PeerId, found: readonly Envelope[], sent: Set<string>) {
    // Only signed messages can be checked by the asker; what is left of the budget is served.
    const served = found.filter((env) => typeof env.sig === 'string' && env.sig !== '');
    // Pages fit the link's cap: a server announcing a smaller one refuses larger frames. A
    // message too large to travel even alone (stored under a larger cap, or made to fit a
    // live frame but not a page) is left out — never a reason to stop serving the rest —
    // so a refused page means the asker is gone or our link is down.
    const cap = this.port.cap();
    const fits = served.filter((env) => alonePageSize(room, env) <= cap);
    for (const messages of newestPagesFirst(fits, Math.min(PAGE_BYTES, cap - PAGE_OVERHEAD))) {
      if (!this.port.emitTo(from, 'chat:sync-res', { room, messages })) return false;
      for (const env of messages) sent.add(env.id);
    }
    return true;
  }

  /**
   * Checks an answer as a page (from a member we asked, in time, for this room); returns the
   * messages to take in, within what we asked of that member, or undefined if the page is
   * refused. Each message is checked on its own by the intake: one this version cannot read,
   * or a bad one, never costs the others of its page.
   */
  accept(room: string, payload: unknown, from: PeerId): unknown[] | undefined {
    const asked = this.asked.get(from);
    if (!asked || Date.now() > asked.until) return undefined;
    const res = v.safeParse(SyncResponseSchema, payload);
    if (!res.success || res.output.room !== room) return undefined;
    const page = res.output.messages;
    // What every member together may still push at us (each costs a signature check).
    const taken = page.slice(0, this.taking.takeUpTo(Math.min(page.length, asked.budget)));
    asked.budget -= taken.length;
    if (asked.budget <= 0) this.asked.delete(from);
    return taken;
  }

  /**
   * Takes no more answers from `peer` to what we asked: one of its pages held a forgery, and an
   * honest member passes on only what it verified.
   */
  distrust(peer: PeerId): void {
    this.asked.delete(peer);
  }

  /** Forgets outstanding requests (the room was left). */
  stop(): void {
    this.asked.clear();
    this.answered.clear();
  }
}
