import { expect, waitUntil } from '@open-wc/testing';
import { TransportError } from '../../src/transport/errors.js';
import type { ChatEvents } from '../../src/protocol/chat-events.js';
import { SocketIoTransport } from '../../src/transport/socketio.js';
import { serverUrl } from '../support/server-url.js';
import { envelope, freshRoom, next, runContractSuite, testSigner, textOf } from './contract.js';

const url = await serverUrl();
runContractSuite('socketio', (signer) => new SocketIoTransport<ChatEvents>({ url, signer }));

describe('socketio transport', () => {
  it('is refused by the relay without a signer to prove its join, and says so', async () => {
    const t = new SocketIoTransport<ChatEvents>({ url });
    const err = await t
      .connect(freshRoom(), { userId: 'u', name: 'Someone' })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TransportError);
    expect((err as TransportError).code).to.equal('refused');
    expect((err as TransportError).message).to.contain('identity key');
    expect(t.state).to.equal('closed');
  });

  it('rejects an unusable room name with a clear error', async () => {
    const t = new SocketIoTransport<ChatEvents>({ url, signer: await testSigner() });
    const err = await t
      .connect('no spaces allowed', { userId: 'u', name: 'Someone' })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TransportError);
    expect((err as TransportError).code).to.equal('refused');
    expect((err as TransportError).message).to.contain('room name');
    expect(t.state).to.equal('closed');
  });

  it('reports an unreachable server and keeps retrying until closed', async () => {
    // Port 9 (discard) has no listener here: the connection is refused at once.
    const t = new SocketIoTransport<ChatEvents>({
      url: 'http://127.0.0.1:9',
      signer: await testSigner(),
    });
    const err = await t
      .connect(freshRoom(), { userId: 'u', name: 'Someone' })
      .catch((e: unknown) => e);
    expect((err as TransportError).code).to.equal('unreachable');
    expect(t.state).to.equal('offline');
    t.close();
    expect(t.state).to.equal('closed');
  });

  it('waits for a seat in a full room, says so in words, and joins once one is free', async () => {
    const small = await serverUrl({ maxMembers: 2 });
    const room = freshRoom();
    const make = async () =>
      new SocketIoTransport<ChatEvents>({ url: small, signer: await testSigner() });
    const [a, b, c] = [await make(), await make(), await make()];
    await a.connect(room, { userId: 'a', name: 'Ann' });
    await b.connect(room, { userId: 'b', name: 'Bob' });
    const errors: TransportError[] = [];
    c.on('error', (e) => errors.push(e));
    const err = await c.connect(room, { userId: 'c', name: 'Cat' }).catch((e: unknown) => e);
    expect((err as TransportError).code).to.equal('busy');
    expect((err as TransportError).text).to.equal('The room is full — trying again…');
    expect(c.state, 'not closed: it keeps trying').not.to.equal('closed');
    b.close();
    await waitUntil(() => c.state === 'open', 'Cat takes the free seat', { timeout: 8000 });
    expect([...c.peers.values()].map((p) => p.name)).to.deep.equal(['Ann']);
    expect(errors.every((e) => e.code === 'busy')).to.equal(true);
    [a, c].forEach((t) => t.close());
  });

  it('passes on an error the server reports about our frame', async () => {
    const room = freshRoom();
    const t = new SocketIoTransport<ChatEvents>({ url, signer: await testSigner() });
    await t.connect(room, { userId: 'u', name: 'Someone' });
    const error = next<[TransportError]>(t as never, 'error');
    // The envelope names another room: the relay refuses to carry it.
    t.emit('chat:message', envelope(freshRoom(), 'misaddressed'));
    const [err] = await error;
    expect(err.code).to.equal('server');
    expect(err.message).to.contain('chat:message');
    expect(t.state).to.equal('open');
    t.close();
  });

  it('fails over past a dead server in its list and opens on the next', async () => {
    const t = new SocketIoTransport<ChatEvents>({
      url: ['http://127.0.0.1:9', url],
      signer: await testSigner(),
    });
    await t.connect(freshRoom(), { userId: 'u', name: 'Someone' });
    expect(t.state).to.equal('open');
    expect(t.url).to.equal(url);
    t.close();
  });

  it('reports unreachable only once every server in the list failed', async () => {
    const t = new SocketIoTransport<ChatEvents>({
      url: ['http://127.0.0.1:9', 'http://127.0.0.1:7'],
      signer: await testSigner(),
    });
    const err = await t
      .connect(freshRoom(), { userId: 'u', name: 'Someone' })
      .catch((e: unknown) => e);
    expect((err as TransportError).code).to.equal('unreachable');
    expect((err as TransportError).message).to.contain('127.0.0.1:9, http://127.0.0.1:7');
    t.close();
  });

  it('paces a burst under the rate limit the server announced: all arrive, in order, nobody is cut off', async () => {
    const room = freshRoom();
    const [a, b] = [
      new SocketIoTransport<ChatEvents>({ url, signer: await testSigner() }),
      new SocketIoTransport<ChatEvents>({ url, signer: await testSigner() }),
    ];
    await a.connect(room, { userId: 'a', name: 'Ann' });
    await b.connect(room, { userId: 'b', name: 'Bob' });
    const errors: TransportError[] = [];
    a.on('error', (e) => errors.push(e));
    const got: string[] = [];
    const all = new Promise<void>((resolve) =>
      b.on('chat:message', (env) => {
        got.push(textOf(env));
        if (got.length === 70) resolve();
      }),
    );
    // The test server keeps the default limit (20/s, burst 40): 70 at once is past it.
    const sent = Array.from({ length: 70 }, (_, i) => `burst ${i}`);
    for (const text of sent) a.emit('chat:message', envelope(room, text));
    await all;
    expect(got).to.deep.equal(sent);
    expect(errors.map((e) => e.message)).to.deep.equal([]);
    expect(a.state).to.equal('open');
    a.close();
    b.close();
  });
});
