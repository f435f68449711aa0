import { expect } from '@open-wc/testing';
import { Pacer } from '../../src/transport/pacer.js';

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
