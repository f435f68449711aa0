/**
 * Round-trip probes are answered, but never beyond a small budget per member: a flood of
 * `chat:ping`s gets a handful of `chat:pong`s, and the others' probes are still answered.
 */
import { expect } from '@open-wc/testing';
import type { ReactiveControllerHost } from 'lit';
import type { ChatEvents, Ping } from '../../../src/protocol/chat-events.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import type { TransportFactory } from '../../../src/transport/index.js';
import { TransportController } from '../../../src/controllers/connection/transport-controller.js';
import {
  PingAnswer,
  PONG_BURST,
  PONG_RATE,
  PONG_TOTAL_RATE,
} from '../../../src/controllers/connection/ping-answer.js';
import { freshRoom } from '../../transport/contract.js';
import { until } from '../room-harness.js';

const host = (): ReactiveControllerHost => ({
  addController: () => {},
  removeController: () => {},
  requestUpdate: () => {},
  updateComplete: Promise.resolve(true),
});

describe('answering round-trip probes', function () {
  this.timeout(20000);
  const open: Array<{ close?: () => void; leave?: () => void }> = [];
  afterEach(() => open.splice(0).forEach((t) => (t.leave ? t.leave() : t.close?.())));

  /** Ann (a real transport controller) and two raw members, Bob and Eve, in one room. */
  async function room() {
    const hub = new MemoryHub();
    const name = freshRoom();
    const ann = new TransportController(host(), {
      kind: () => 'memory',
      factory: () => (async (_k, o) => hub.transport(o)) as TransportFactory,
    });
    open.push(ann);
    await ann.join(name, { userId: 'ann-id', name: 'Ann' });
    const raw = async (userId: string, who: string) => {
      const t = hub.transport<ChatEvents>();
      open.push(t);
      await t.connect(name, { userId, name: who });
      const pongs: Ping[] = [];
      t.on('chat:pong', (p) => pongs.push(p));
      return { t, pongs };
    };
    const bob = await raw('bob-id', 'Bob');
    const eve = await raw('eve-id', 'Eve');
    await until(() => ann.reach()?.members.length === 2, 'everyone listed');
    return { name, ann, bob, eve, annId: ann.selfId };
  }

  it('answers a probe with the same number, to the asker only', async () => {
    const { name, bob, eve, annId } = await room();
    bob.t.emitTo(annId, 'chat:ping', { room: name, n: 7 });
    await until(() => bob.pongs.length === 1, "Bob's answer");
    expect(bob.pongs).to.deep.equal([{ room: name, n: 7 }]);
    expect(eve.pongs).to.deep.equal([]);
  });

  it('answers a flood of probes with a handful of pongs, and still answers the others', async (): Promise<void> => {
    const { name, bob, eve, annId } = await room();
    for (let n = 0; n < 200; n++) eve.t.emitTo(annId, 'chat:ping', { room: name, n });
    // Delivered in order: once Bob's answer is in, every one of Eve's probes was judged.
    bob.t.emitTo(annId, 'chat:ping', { room: name, n: 1 });
    await until(() => bob.pongs.length === 1, "Bob's answer after the flood");
    expect(eve.pongs.length).to.be.within(1, PONG_BURST + 1);
    expect(eve.pongs[0]).to.deep.equal({ room: name, n: 0 });
  });

  it('does not answer a probe for another room', async () => {
    const { name, bob, annId } = await room();
    bob.t.emitTo(annId, 'chat:ping', { room: 'elsewhere', n: 1 });
    bob.t.emitTo(annId, 'chat:ping', { room: name, n: 2 });
    await until(() => bob.pongs.length === 1, 'an answer');
    expect(bob.pongs).to.deep.equal([{ room: name, n: 2 }]);
  });

  it('refills each member’s budget at its rate', () => {
    let now = 0;
    const sent: Array<[string, number]> = [];
    const answer = new PingAnswer(
      { room: () => 'r', pong: (peer, p) => (sent.push([peer, p.n]), true) },
      () => now,
    );
    for (let n = 0; n < 50; n++) answer.heard({ room: 'r', n }, { from: 'eve' });
    expect(sent.length).to.equal(PONG_BURST);
    now += 1000;
    for (let n = 50; n < 100; n++) answer.heard({ room: 'r', n }, { from: 'eve' });
    expect(sent.length).to.equal(PONG_BURST + PONG_RATE);
    answer.heard({ room: 'r', n: 1 }, { from: 'bob' });
    expect(sent.at(-1)).to.deep.equal(['bob', 1]);
    expect(answer.refused).to.equal(100 - PONG_BURST - PONG_RATE);
  });

  it('answers many members together within a total budget', () => {
    let now = 0;
    const sent: string[] = [];
    const answer = new PingAnswer(
      { room: () => 'r', pong: (peer) => (sent.push(peer), true) },
      () => now,
    );
    for (let i = 0; i < 100; i++) answer.heard({ room: 'r', n: 0 }, { from: `m${i}` });
    expect(sent.length).to.equal(2 * PONG_TOTAL_RATE);
    now += 1000;
    for (let i = 0; i < 100; i++) answer.heard({ room: 'r', n: 1 }, { from: `m${i}` });
    expect(sent.length).to.equal(3 * PONG_TOTAL_RATE);
  });
});
