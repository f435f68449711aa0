/**
 * Renegotiation at the signing layer: Parley opens one data channel per pair and never adds
 * tracks, so a renegotiation request (`renegotiate`, `transceiverRequest`) is never sent and
 * never applied — and, being harmless, never counted against the member who sent it (it is not
 * a forged description). The server refuses to carry them too (test/signaling/signal.test.ts).
 */
import { expect } from '@open-wc/testing';
import { SignalSeal } from '../../src/transport/signed-signal.js';
import type { PeerHello } from '../../src/protocol/peer.js';
import { testSigner } from '../support/identity.js';

const REQUESTS = [
  { type: 'renegotiate', renegotiate: true },
  { renegotiate: true },
  { type: 'transceiverRequest', transceiverRequest: { kind: 'video', init: {} } },
];

describe('renegotiation requests', () => {
  it('are neither sent nor applied, and not held against the member', async () => {
    const me = await testSigner();
    const them = await testSigner();
    const seal = new SignalSeal(me, () => ({ room: 'r', self: 'me-peer' }));
    const sent: unknown[] = [];
    const send = seal.sender(
      'them-peer',
      (d) => sent.push(d),
      () => sent.push('failed'),
    );
    const hello: PeerHello = {
      id: 'them-peer',
      userId: them.id,
      name: 'Them',
      since: 1,
      key: them.publicKey,
    };
    const applied: unknown[] = [];
    let refused = 0;
    for (const request of REQUESTS) {
      send(request);
      seal.receive(
        hello,
        request,
        (d) => applied.push(d),
        () => refused++,
      );
    }
    // A candidate still goes both ways, behind them.
    const candidate = {
      type: 'candidate',
      candidate: { candidate: 'c', sdpMLineIndex: 0, sdpMid: '0' },
    };
    send(candidate);
    seal.receive(
      hello,
      candidate,
      (d) => applied.push(d),
      () => refused++,
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(sent).to.deep.equal([candidate]);
    expect(applied).to.deep.equal([candidate]);
    expect(refused).to.equal(0);
  });
});
