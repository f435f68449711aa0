/**
 * The checks every incoming message passes before the room controller takes it, wherever it
 * came from (live, a catch-up page, another tab): the shape, the room, the time, and the
 * author's signature — all signatures of a batch checked at once, not one after another. A
 * message that fails is counted and goes no further: never stored, shown or passed on. A
 * second copy of a known id is a repeat if it says the same, else a conflict (dropped and
 * counted; the first copy was verified, and only its author could have signed either). Each
 * author may add only so many new messages to our history (see {@link AUTHOR_BUDGET}); the
 * rest is dropped, counted and not acknowledged (an honest sender tries again later).
 */
import * as v from 'valibot';
import { EnvelopeSchema, MAX_SYNC_LIMIT, type Envelope } from '../../protocol/chat-events.js';
import { MAX_CLOCK_SKEW_MS } from '../../protocol/limits.js';
import { alonePageSize } from './page-size.js';
import type { HeldSealed } from './sealed-held.js';
import { TokenBucket } from '../../protocol/token-bucket.js';
import {
  sameEnvelope,
  verifyEnvelope,
  type UnsignedEnvelope,
} from '../../protocol/signed-envelope.js';

/** What the intake refused so far (diagnostics). */
export interface IntakeCounts {
  /** Malformed, of another room, or dated too far in the future. */
  malformed: number;
  /** Signature (or author id) did not check out. */
  forged: number;
  /** Another copy of a known id that says something else. */
  conflicts: number;
  /**
   * New messages beyond their author's budget, and sealed ones no key opens beyond the held
   * bytes' budgets (see `sealed-held.ts`).
   */
  overBudget: number;
}

/** New messages one author may add to our history: `burst` at once, then `rate` a second. */
export interface AuthorBudget {
  burst: number;
  rate: number;
}

/**
 * The default budget. The burst takes a full catch-up all by one author (2,000, the most one
 * asks for) plus a 500-message burst on top (the benchmarks send 1,000 and 300); 5 a second
 * is far above anyone typing, a quarter of what the relay lets one connection send (20/s).
 */
export const AUTHOR_BUDGET: AuthorBudget = { burst: MAX_SYNC_LIMIT + 500, rate: 5 };

/** Authors whose budget is remembered; the one heard from least recently is forgotten first. */
const MAX_AUTHORS = 1000;

/** Where a batch is checked against what the room already holds. */
export interface IntakeRoom {
  room: string;
  /**
   * The message we hold with `id`, if any (shown, or being taken in), or what is held of it
   * while no key opens it (no body: a copy is the same when its signature is).
   */
  known(id: string): UnsignedEnvelope | HeldSealed | undefined;
  /** Marks a new message as being taken in, in the same task as the check that passed it. */
  claim(env: Envelope): void;
  /**
   * The payload cap of the link (bytes): a message whose catch-up page alone would be larger
   * (see `alonePageSize`) could never be passed on, so it is refused here, never stored.
   */
  cap?: number;
}

/** The result of a batch: what is new, and every verified id (repeats included, to acknowledge). */
export interface IntakeResult {
  fresh: Envelope[];
  verified: string[];
  /** How many of this batch were forged. */
  forged: number;
}

/** Checks incoming messages for one room controller. */
export class Intake {
  readonly counts: IntakeCounts = { malformed: 0, forged: 0, conflicts: 0, overBudget: 0 };
  private readonly budgets = new Map<string, TokenBucket>();

  constructor(private readonly budget: AuthorBudget = AUTHOR_BUDGET) {}

  /** Takes one message from `author`'s budget; false when it is spent. */
  private afford(author: string): boolean {
    const { burst, rate } = this.budget;
    const bucket = this.budgets.get(author) ?? new TokenBucket(rate, burst);
    this.budgets.delete(author); // re-inserted last: the map is in order of last use
    this.budgets.set(author, bucket);
    if (this.budgets.size > MAX_AUTHORS) this.budgets.delete(this.budgets.keys().next().value!);
    return bucket.take();
  }

  /** Counts a refused payload of another kind (a malformed receipt or request). */
  refused(): void {
    this.counts.malformed++;
  }

  /** Counts a notice (a receipt) whose signature did not check out. */
  forgedNotice(): void {
    this.counts.forged++;
  }

  /** Counts `n` new sealed messages refused past the held budgets (see `sealed-held.ts`). */
  heldOverBudget(n: number): void {
    this.counts.overBudget += n;
  }

  /**
   * Checks `payloads`; the envelopes new to `room`, in order, once each. `author`, for a live
   * message, is the identity its connection proved: a member sends only its own messages live
   * (others' reach us only in catch-up answers we asked for), so one in another name is forged.
   */
  async check(
    room: IntakeRoom,
    payloads: readonly unknown[],
    author?: string,
  ): Promise<IntakeResult> {
    const latest = Date.now() + MAX_CLOCK_SKEW_MS;
    const candidates: Envelope[] = [];
    for (const payload of payloads) {
      const parsed = v.safeParse(EnvelopeSchema, payload);
      // Not of this room, dated in the future (beyond clock skew), or too large to pass on.
      const tooLarge = room.cap !== undefined && alonePageSize(room.room, payload) > room.cap;
      if (
        !parsed.success ||
        parsed.output.room !== room.room ||
        parsed.output.ts > latest ||
        tooLarge
      ) {
        this.counts.malformed++;
      } else candidates.push(parsed.output);
    }
    const valid = await Promise.all(candidates.map((env) => verifyEnvelope(env)));
    // From here on nothing awaits: what is known cannot change under the checks below.
    const fresh: Envelope[] = [];
    const verified: string[] = [];
    let forged = 0;
    candidates.forEach((env, i) => {
      if (!valid[i] || (author !== undefined && env.from.id !== author)) {
        forged++;
        return void this.counts.forged++;
      }
      const known = room.known(env.id);
      if (known && !same(known, env)) return void this.counts.conflicts++;
      if (!known && !this.afford(env.from.id)) return void this.counts.overBudget++;
      verified.push(env.id);
      if (known) return;
      room.claim(env);
      fresh.push(env);
    });
    return { fresh, verified, forged };
  }
}

/**
 * Whether `env` says what `known` does. Of a sealed message held without its body, the
 * signature stands for it: both copies verified under one key, an equal signature is an equal
 * message (the author alone could make another, and its signature would differ).
 */
function same(known: UnsignedEnvelope | HeldSealed, env: Envelope): boolean {
  return 'bytes' in known ? known.sig === env.sig : sameEnvelope(known, env);
}
