/**
 * The members' lane of a room's storage work. Our own sending (the outbox flush, marking our
 * messages sent or failed) has a lane of its own in the room controller and never waits behind
 * what other members make us do. What they make us do (store their receipts, read history to
 * answer their catch-up requests, store their messages) runs here one job at a time, taken in
 * turn from each member (round-robin), so one member cannot starve another; each member may
 * have only a few jobs waiting — past that its work is dropped and counted, never held. Loaded
 * at first use (the room controller loads before the room shows; this need not).
 */
import type { PeerId } from '../../transport/types.js';

/** Jobs one member may have waiting in the members' lane; more are dropped. */
export const MAX_WAITING_PER_MEMBER = 4;
/** Jobs all members together may have waiting (bounded however many connections come). */
export const MAX_WAITING = 512;

/** A unit of storage work. */
export type Job = () => Promise<unknown>;

/** What the lanes did, for diagnostics and tests. */
export interface LaneCounts {
  /** Member jobs run so far. */
  run: number;
  /** Member jobs dropped because their member (or all together) had too many waiting. */
  dropped: number;
}

/** The members' lane of one room controller. */
export class MemberLane {
  /** Waiting member jobs per key, in turn order (a key served goes to the back). */
  private readonly waiting = new Map<string, Job[]>();
  private waitingCount = 0;
  private running = false;
  /** What the lane did so far. */
  readonly counts: LaneCounts = { run: 0, dropped: 0 };

  /** `fail` hears any job's error (the lane goes on). */
  constructor(private readonly fail: (err: unknown) => void) {}

  /**
   * Queues `job` for member `peer` in the members' lane; false (counted) when that member, or
   * all members together, already have too much waiting. `bounded: false` is for work that
   * must not be lost once accepted (storing a message already shown); it is still taken in
   * turn with the others.
   */
  add(peer: PeerId | string, job: Job, bounded = true): boolean {
    let jobs = this.waiting.get(peer);
    if (
      bounded &&
      ((jobs?.length ?? 0) >= MAX_WAITING_PER_MEMBER || this.waitingCount >= MAX_WAITING)
    ) {
      this.counts.dropped++;
      return false;
    }
    if (!jobs) this.waiting.set(peer, (jobs = []));
    jobs.push(job);
    this.waitingCount++;
    if (!this.running) void this.drain();
    return true;
  }

  /** Member jobs waiting now. */
  get pending(): number {
    return this.waitingCount;
  }

  /**
   * Runs member jobs one at a time, one member's at each turn, until none waits. A member goes
   * to the back once its job is done, behind anyone who came meanwhile.
   */
  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (;;) {
        const next = this.waiting.entries().next();
        if (next.done) return;
        const [key, jobs] = next.value;
        const job = jobs.shift()!;
        this.waitingCount--;
        this.counts.run++;
        await job().catch(this.fail);
        this.waiting.delete(key);
        if (jobs.length > 0) this.waiting.set(key, jobs);
      }
    } finally {
      this.running = false;
    }
  }
}
