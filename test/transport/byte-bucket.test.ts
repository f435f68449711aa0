/**
 * Byte budgets (issue 23): a token bucket in bytes that takes a whole frame or nothing, the
 * sender's a little under the receiver's, and the pacer in front of it that holds chunk frames
 * in order and gives them up when the link goes.
 */
import { expect } from '@open-wc/testing';
import { ByteBucket, PeerByteBuckets, senderByteBucket } from '../../src/transport/byte-bucket.js';
import { BytePacer } from '../../src/transport/byte-pacer.js';

describe('byte bucket', () => {
  it('takes a whole frame or nothing, refills at its rate, and says how long to wait', () => {
    let now = 0;
    const bucket = new ByteBucket(1_000_000, 200_000, () => now);
    expect(bucket.take(150_000)).to.equal(true);
    expect(bucket.take(100_000)).to.equal(false); // 50 kB left: nothing taken
    expect(bucket.take(50_000)).to.equal(true);
    expect(bucket.wait(100_000)).to.equal(100);
    now = 100;
    expect(bucket.take(100_000)).to.equal(true);
    now = 10_000;
    // Over the burst: a full bucket, then nothing is left.
    expect(bucket.take(200_001)).to.equal(true);
    expect(bucket.take(1)).to.equal(false);
  });

  it('always lets one whole chunk frame through, and the sender keeps 90% of the budget', () => {
    const small = new ByteBucket(1024, 1024, () => 0);
    expect(small.take(64 * 1024 + 256)).to.equal(true);
    const sender = senderByteBucket({ rate: 1_000_000, burst: 1_000_000 }, () => 0);
    expect(sender.rate).to.equal(900_000);
    expect(sender.burst).to.equal(900_000);
  });

  it('keeps one bucket per member, each on the clock it is given', () => {
    let now = 0;
    const buckets = new PeerByteBuckets({ rate: 1_000, burst: 70_000 }, () => now);
    expect(buckets.take('a', 70_000)).to.equal(true);
    expect(buckets.take('a', 1_000)).to.equal(false);
    expect(buckets.take('b', 70_000)).to.equal(true);
    now = 1_000; // a second: 1,000 bytes each
    expect(buckets.take('a', 1_000)).to.equal(true);
    expect(buckets.take('a', 1)).to.equal(false);
    buckets.forget('a');
    expect(buckets.take('a', 70_000)).to.equal(true);
  });
});

describe('byte pacer', () => {
  it('sends in order while the wire has room, holds frames while it has none, and gives them up on cancel', async () => {
    let room = true;
    const sent: number[] = [];
    const pacer = new BytePacer({ rate: 1e9, burst: 1e9 }, () => room);
    expect(await pacer.push(10, () => (sent.push(1), true))).to.equal(true);
    room = false;
    const held = [
      pacer.push(10, () => (sent.push(2), true)),
      pacer.push(10, () => (sent.push(3), true)),
    ];
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).to.deep.equal([1]);
    expect(pacer.pending).to.equal(2);
    room = true;
    pacer.kick();
    expect(await Promise.all(held)).to.deep.equal([true, true]);
    expect(sent).to.deep.equal([1, 2, 3]);
    room = false;
    const waiting = pacer.push(10, () => (sent.push(4), true));
    pacer.cancel();
    expect(await waiting).to.equal(false);
    expect(sent).to.deep.equal([1, 2, 3]);
  });

  it('paces frames under its budget', async () => {
    // 0.9 × the budget: a 0.9 MB burst, then 1.8 MB/s. Time is driven by the test: each timer
    // the pacer sets is run once the clock is moved to its due time, so the schedule is exact.
    const clock = new DrivenClock();
    const pacer = new BytePacer({ rate: 2_000_000, burst: 1_000_000 }, () => true, clock);
    const sentAt: number[] = [];
    const pushes = Array.from({ length: 20 }, () =>
      pacer.push(100_000, () => (sentAt.push(clock.time), true)),
    );
    for (let i = 0; i < 100 && sentAt.length < 20; i++) clock.runNext();
    expect(await Promise.all(pushes)).to.deep.equal(Array(20).fill(true));
    // Nine frames go at once (the burst); each later one waits for 100 kB at 1.8 MB/s ≈ 56 ms.
    expect(sentAt.slice(0, 9)).to.deep.equal(Array(9).fill(0));
    for (let i = 9; i < 20; i++) {
      expect(sentAt[i]! - sentAt[i - 1]!).to.be.within(55, 57);
    }
    // 2 MB at 1.8 MB/s after a 0.9 MB burst: about 0.61 s of the clock, not of the machine.
    expect(sentAt[19]).to.be.within(600, 630);
  });

  it('lets a frame larger than the burst through, at the cost of a full bucket', async () => {
    const pacer = new BytePacer({ rate: 2_000_000, burst: 100_000 });
    for (let i = 0; i < 3; i++) expect(await pacer.push(200_000, () => true)).to.equal(true);
  });
});

/** A clock the test moves: timers run when the time is moved to them, never on their own. */
class DrivenClock {
  time = 0;
  private timers = new Map<number, { at: number; run: () => void }>();
  private next = 1;

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.time + ms, run });
    return id;
  }

  clearTimeout(timer: unknown): void {
    this.timers.delete(timer as number);
  }

  /** Moves the time to the earliest timer and runs it. */
  runNext(): void {
    const [id, first] = [...this.timers].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
    if (id === undefined || !first) return;
    this.timers.delete(id);
    this.time = Math.max(this.time, first.at);
    first.run();
  }
}
