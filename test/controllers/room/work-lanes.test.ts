/**
 * The members' lane (issue 26 item 3): other members' storage work runs one job at a time, in
 * turns per member, each member with at most a few jobs waiting (more are dropped and
 * counted); work that must not be lost is taken in turn but never dropped.
 */
import { expect } from '@open-wc/testing';
import { MAX_WAITING_PER_MEMBER, MemberLane } from '../../../src/controllers/room/work-lanes.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('members’ lane', () => {
  it('drops what one member queues past its bound, and counts it', async () => {
    const lane = new MemberLane(() => {});
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const ran: string[] = [];
    lane.add('mallory', () => first);
    const taken = Array.from({ length: 100 }, (_, i) =>
      lane.add('mallory', async () => void ran.push(`m${i}`)),
    );
    expect(taken.filter(Boolean).length).to.equal(MAX_WAITING_PER_MEMBER);
    expect(lane.counts.dropped).to.equal(100 - MAX_WAITING_PER_MEMBER);
    // Another member still gets in, and its turn comes before the flooder's second job.
    expect(lane.add('bob', async () => void ran.push('bob'))).to.equal(true);
    release();
    await tick();
    await tick();
    expect(ran[0]).to.equal('bob');
    expect(ran.length).to.equal(MAX_WAITING_PER_MEMBER + 1);
  });

  it('never drops unbounded work, and takes members in turn', async () => {
    const lane = new MemberLane(() => {});
    const ran: string[] = [];
    for (let i = 0; i < 10; i++) lane.add('', async () => void ran.push(`in${i}`), false);
    lane.add('a', async () => void ran.push('a'));
    lane.add('b', async () => void ran.push('b'));
    for (let i = 0; i < 20; i++) await tick();
    expect(ran.length).to.equal(12);
    // In turns: the two members' jobs do not wait behind all ten stored messages.
    expect(ran.indexOf('a')).to.be.lessThan(3);
    expect(ran.indexOf('b')).to.be.lessThan(3);
    expect(lane.counts.dropped).to.equal(0);
  });

  it('goes on after a job fails, and reports the error', async () => {
    const errors: unknown[] = [];
    const lane = new MemberLane((e) => errors.push(e));
    let ran = false;
    lane.add('a', () => Promise.reject(new Error('quota')));
    lane.add('a', async () => void (ran = true));
    for (let i = 0; i < 5; i++) await tick();
    expect(errors.length).to.equal(1);
    expect(ran).to.equal(true);
  });
});
