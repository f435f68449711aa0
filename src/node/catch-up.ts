/**
 * Catch-up for a bot, by the browser's rules (`controllers/room/catch-up.ts`): when the link
 * opens it asks up to two members for what it lacks since its newest message (a newcomer asks
 * for the recent history), and asks every member who joins; it answers others' requests from
 * what it holds, in bounded pages, to the asker only, at most one answer per member every two
 * seconds and within one budget for all askers. Answers are taken only from members it asked,
 * in time, up to what it asked for; each message in them is then checked by the intake.
 */
import * as v from 'valibot';
import {
  MAX_SYNC_LIMIT,
  SyncRequestSchema,
  SyncResponseSchema,
  type ChatEvents,
} from '../protocol/chat-events.js';
import { TokenBucket } from '../protocol/token-bucket.js';
import type { SocketIoTransport } from '../transport/socketio.js';
import type { PeerId } from '../transport/types.js';
import type { RoomHistory } from './history.js';
import { CATCH_UP, syncPages } from './pending-shared.js';

/** Asks for, answers and accepts catch-up pages for one room. */
export class BotCatchUp {
  private readonly asked = new Map<PeerId, { budget: number; until: number }>();
  private readonly answered = new Map<PeerId, number>();
  private readonly serving = new TokenBucket(CATCH_UP.serveRate, CATCH_UP.serveBurst);
  private readonly taking = new TokenBucket(CATCH_UP.serveRate, CATCH_UP.serveBurst);

  constructor(
    private readonly room: string,
    private readonly transport: SocketIoTransport<ChatEvents>,
    private readonly history: RoomHistory,
    private readonly historyLimit: number,
  ) {}

  /** Asks up to two members for what we may have missed (the link just opened). */
  ask(): void {
    const peers = [...this.transport.peers.keys()].slice(0, CATCH_UP.askAtMost);
    for (const peer of peers) this.askOne(peer);
  }

  /** Asks one member (also every member who joins: what they wrote while away flows in). */
  askOne(peer: PeerId): void {
    const newest = this.history.newest();
    // Never past now: a message dated ahead (within the allowed skew) must not hide the rest.
    const since = newest ? Math.max(0, Math.min(newest.ts, Date.now()) - CATCH_UP.slackMs) : 0;
    const limit = newest ? MAX_SYNC_LIMIT : Math.min(this.historyLimit, MAX_SYNC_LIMIT);
    try {
      this.transport.emitTo(peer, 'chat:sync-req', { room: this.room, since, limit });
    } catch {
      return; // gone meanwhile, or the link is down: the next open asks again
    }
    this.asked.set(peer, { budget: limit, until: Date.now() + CATCH_UP.answerWindowMs });
  }

  /** Answers a member's request from what we hold, in pages, to that member only. */
  answer(payload: unknown, from: PeerId): boolean {
    const req = v.safeParse(SyncRequestSchema, payload);
    if (!req.success || req.output.room !== this.room) return false;
    const last = this.answered.get(from) ?? 0;
    if (Date.now() - last < CATCH_UP.answerGapMs) return true; // asked again too soon
    this.answered.set(from, Date.now());
    if (this.answered.size > 1000) this.answered.delete(this.answered.keys().next().value!);
    const found = this.history.since(req.output.since, req.output.limit);
    const served = found.slice(Math.max(0, found.length - this.serving.takeUpTo(found.length)));
    for (const messages of syncPages(served)) {
      try {
        this.transport.emitTo(from, 'chat:sync-res', { room: this.room, messages });
      } catch {
        break; // the asker left, or our link dropped
      }
    }
    return true;
  }

  /**
   * The messages of an answer to take in (from a member we asked, in time, for this room,
   * within what we asked), or undefined if the page is refused.
   */
  accept(payload: unknown, from: PeerId): unknown[] | undefined {
    const asked = this.asked.get(from);
    if (!asked || Date.now() > asked.until) return undefined;
    const res = v.safeParse(SyncResponseSchema, payload);
    if (!res.success || res.output.room !== this.room) return undefined;
    const page = res.output.messages;
    const taken = page.slice(0, this.taking.takeUpTo(Math.min(page.length, asked.budget)));
    asked.budget -= taken.length;
    if (asked.budget <= 0) this.asked.delete(from);
    return taken;
  }

  /** Takes no more answers from `peer`: one of its pages held a forgery. */
  distrust(peer: PeerId): void {
    this.asked.delete(peer);
  }

  /** Forgets outstanding requests (the room was left). */
  stop(): void {
    this.asked.clear();
    this.answered.clear();
  }
}
