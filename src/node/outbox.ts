/**
 * A bot's messages on their way out, in memory: each is sent whenever the link opens and
 * again with backoff until a member acknowledges it, like the browser's outbox (which keeps
 * them in IndexedDB and marks them failed at the end; a bot keeps them and resends them when
 * someone joins). Receivers drop repeats by id, so sending again is always safe.
 */
import type { Envelope } from '../protocol/chat-events.js';
import { RETRY_DELAYS_MS } from '../controllers/room/receipts.js';

interface Pending {
  env: Envelope;
  attempt: number;
  timer?: ReturnType<typeof setTimeout>;
}

/** Most messages waiting for a receipt; a room's `send` refuses more (nobody acknowledges). */
export const MAX_OUTBOX = 1000;

/** What the outbox needs of its room. */
export interface OutboxLink {
  /** Sends `env` to everyone; false when the link cannot carry it now. */
  emit(env: Envelope): boolean;
  /** Whether anyone else is in the room (alone, nobody can acknowledge). */
  company(): boolean;
  /** Told when a message ran out of automatic resends (it waits for the next flush). */
  gaveUp(env: Envelope): void;
}

/** Our unacknowledged messages, oldest first. */
export class Outbox {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly link: OutboxLink,
    private readonly delays: readonly number[] = RETRY_DELAYS_MS,
  ) {}

  /** Messages still waiting for a receipt. */
  get size(): number {
    return this.pending.size;
  }

  /** Whether `id` is one of ours still waiting. */
  has(id: string): boolean {
    return this.pending.has(id);
  }

  /** Takes `env` and sends it now if the link is open. */
  add(env: Envelope): void {
    const p: Pending = { env, attempt: 0 };
    this.pending.set(env.id, p);
    this.sendOne(p);
  }

  /** Sends everything waiting, oldest first (the link opened, or a member joined). */
  flush(): void {
    for (const p of this.pending.values()) {
      p.attempt = 0; // a new chance: the backoff starts over
      if (!this.sendOne(p)) break;
    }
  }

  /** `ids` were acknowledged: no more resends. Returns those that were waiting. */
  acknowledged(ids: readonly string[]): string[] {
    const done: string[] = [];
    for (const id of ids) {
      const p = this.pending.get(id);
      if (!p) continue;
      clearTimeout(p.timer);
      this.pending.delete(id);
      done.push(id);
    }
    return done;
  }

  /** Stops every timer (the room was left). */
  stop(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }

  private sendOne(p: Pending): boolean {
    if (!this.link.emit(p.env)) return false;
    this.arm(p);
    return true;
  }

  /** Schedules the next resend of `p`; when the delays run out, it waits for the next flush. */
  private arm(p: Pending): void {
    clearTimeout(p.timer);
    const delay = this.delays[p.attempt];
    if (delay === undefined) return this.link.gaveUp(p.env);
    p.timer = setTimeout(
      () => {
        if (!this.pending.has(p.env.id)) return;
        // Alone in the room nobody can acknowledge: wait for company instead of counting.
        if (!this.link.company()) return this.arm(p);
        p.attempt++;
        this.sendOne(p);
      },
      delay * (0.75 + Math.random() * 0.5),
    );
  }
}
