import { expect } from '@open-wc/testing';
import { Pacer } from '../../src/transport/pacer.js';
import { TokenBucket } from '../../src/protocol/token-bucket.js';
import {
  directBudget,
  RELAY_DEFAULTS,
  senderBucket,
  TAB_BUDGET,
} from '../../src/transport/direct-budget.js';

describe('pacer', () => {
  const frames =
    (sent: string[]) =>
    (name: string, extra: object = {}) => ({
      send: () => sent.push(name),
      ...extra,
    });

  it('sends at once without a known limit, queues while the link is down', () => {
    const sent: string[] = [];
    const f = frames(sent);
    const p = new Pacer();
    p.push(f('lost: not open yet', { transient: true }));
    p.push(f('kept'));
    expect(sent).to.deep.equal([]);
    p.resume();
    expect(sent).to.deep.equal(['kept']);
    p.push(f('now'));
    expect(sent).to.deep.equal(['kept', 'now']);
  });

  it('keeps app frames across an outage, drops signals, and never queues one key twice', () => {
    const sent: string[] = [];
    const f = frames(sent);
    const p = new Pacer();
    p.configure({ rate: 1, burst: 5 }); // one token after the margin of 4
    p.resume();
    p.push(f('a'));
    p.push(f('b', { key: 'm1' }));
    p.push(f('b again', { key: 'm1' }));
    p.push(f('signal', { transient: true }));
    expect(sent).to.deep.equal(['a']);
    expect(p.pending).to.equal(2, 'the resend of m1 was not queued');
    p.pause();
    expect(p.pending).to.equal(1, 'the signal is meaningless after a reconnection');
    p.push(f('b once more', { key: 'm1' }));
    expect(p.pending).to.equal(1);
    p.stop();
    expect(p.pending).to.equal(0);
  });

  it('lets our own frames go ahead of answers that serve others, and drops those first', () => {
    const sent: string[] = [];
    const f = frames(sent);
    const p = new Pacer();
    p.configure({ rate: 1, burst: 5 }); // one token after the margin of 4
    p.resume();
    p.push(f('first'));
    for (let i = 0; i < 3; i++) p.push(f(`answer ${i}`, { later: true }));
    p.push(f('our message'));
    p.push(f('our receipt'));
    expect(p.pending).to.equal(5);
    // Drain by hand: one frame per token, in the order they would go.
    const order: string[] = [];
    const pacer = p as unknown as { next(): void };
    while (p.pending) {
      pacer.next();
      order.push(sent.at(-1)!);
    }
    expect(order).to.deep.equal(['our message', 'our receipt', 'answer 0', 'answer 1', 'answer 2']);

    // Too many waiting: an answer goes before any of ours.
    const q = new Pacer();
    q.configure({ rate: 1, burst: 5 });
    q.resume();
    q.push(f('taken'));
    for (let i = 0; i < 2000; i++) {
      q.push(f(`ours ${i}`));
      if (i === 9) q.push(f('an answer', { later: true }));
    }
    expect(q.pending).to.equal(2000);
    const rest = q as unknown as { next(): void };
    const before = sent.length;
    rest.next();
    expect(sent.slice(before)).to.deep.equal(['ours 0'], 'the answer was the one dropped');
    p.stop();
    q.stop();
  });

  it('drains in order as tokens come back', async () => {
    const sent: string[] = [];
    const f = frames(sent);
    const p = new Pacer();
    p.configure({ rate: 100, burst: 6 }); // 90/s, 2 at once
    p.resume();
    for (const name of ['1', '2', '3', '4', '5']) p.push(f(name));
    expect(sent).to.deep.equal(['1', '2']);
    await new Promise((r) => setTimeout(r, 200));
    expect(sent).to.deep.equal(['1', '2', '3', '4', '5']);
    p.stop();
  });
});

describe('an honest sender under a receiver’s budget', () => {
  // The receiver's bucket starts when the first frame arrives; the sender's refills while it
  // is still busy sending its burst. A burst that takes 0.4 ms a frame to send (a slow
  // machine) arrives in one clump: every frame of it must fit the receiver's bucket.
  for (const [what, budget] of [
    ['a tab', TAB_BUDGET],
    ['a data channel', directBudget()],
    ['the relay', RELAY_DEFAULTS],
  ] as const) {
    it(`never outruns ${what}'s bucket, however long its burst takes to send`, () => {
      let now = 0;
      const sender = senderBucket(budget, () => now);
      let sent = 0;
      while (sender.take() && sent < 1e6) {
        sent++;
        now += 0.4;
      }
      const receiver = new TokenBucket(budget.rate, budget.burst, () => now);
      let taken = 0;
      for (let i = 0; i < sent; i++) if (receiver.take()) taken++;
      expect(taken, `${sent} sent`).to.equal(sent);
    });
  }
});
