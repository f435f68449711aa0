/**
 * The transports' life cycle driven out of order: one transport joins one room, once — a second
 * connect() is refused, a closed transport stays closed, a refused join closes it.
 */
import { expect } from '@open-wc/testing';
import type { ChatEvents } from '../../src/protocol/chat-events.js';
import { BroadcastTransport } from '../../src/transport/broadcast.js';
import { TransportError } from '../../src/transport/errors.js';
import { MemoryHub } from '../../src/transport/memory.js';
import { SocketIoTransport } from '../../src/transport/socketio.js';
import type { Transport } from '../../src/transport/types.js';
import { WebRtcTransport } from '../../src/transport/webrtc.js';
import { serverUrl } from '../support/server-url.js';
import { freshRoom, testSigner } from './contract.js';

const url = await serverUrl();
// One identity for every transport here: these tests are about the life cycle, not who joins.
const signer = await testSigner();

type T = Transport<ChatEvents>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The relay link's socket, as a test reaches it. */
const insides = (t: WebRtcTransport<ChatEvents>) =>
  t as unknown as { relay: { socket: { connected: boolean } | undefined } };

describe('transport life cycle, driven out of order', function () {
  this.timeout(20000);
  const open: { close(): void }[] = [];
  afterEach(() => open.splice(0).forEach((t) => t.close()));
  const me = { userId: 'zombie-id', name: 'Zombie' };

  const kinds: Array<[string, () => T]> = [
    ['socketio', () => new SocketIoTransport<ChatEvents>({ url, signer })],
    ['webrtc', () => new WebRtcTransport<ChatEvents>({ url, iceServers: [], signer })],
    ['memory', () => new MemoryHub().transport<ChatEvents>()],
    ['broadcast', () => new BroadcastTransport<ChatEvents>()],
  ];

  for (const [kind, make] of kinds) {
    it(`${kind}: a second connect() is refused at once`, async () => {
      const t = make();
      open.push(t);
      const first = t.connect(freshRoom(), me);
      let err: unknown;
      try {
        await t.connect(freshRoom(), me);
      } catch (e) {
        err = e;
      }
      await first.catch(() => {});
      expect(err).to.be.instanceOf(TransportError);
      expect((err as TransportError).code).to.equal('refused');
    });

    it(`${kind}: connect() after close() does not bring it back to life`, async () => {
      const room = freshRoom();
      const t = make();
      open.push(t);
      t.close();
      expect(t.state).to.equal('closed');
      const outcome = await Promise.race([
        Promise.resolve()
          .then(() => t.connect(room, me))
          .then(
            () => 'resolved',
            () => 'rejected',
          ),
        sleep(4000).then(() => 'pending'),
      ]);
      expect(t.state, `connect() ${outcome}`).to.equal('closed');
    });
  }

  it('webrtc: a refused join closes the transport and hangs up the server link', async () => {
    const t = new WebRtcTransport<ChatEvents>({ url, iceServers: [], signer });
    open.push(t);
    const errors: TransportError[] = [];
    t.on('error', (e) => errors.push(e));
    const err = await t.connect('no spaces', me).catch((e: unknown) => e);
    expect((err as TransportError).code).to.equal('refused');
    expect(errors.map((e) => e.code)).to.deep.equal(['refused']);
    expect(t.state).to.equal('closed');
    expect(insides(t).relay.socket?.connected).to.equal(false);
  });
});
