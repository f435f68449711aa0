import { expect } from '@open-wc/testing';
import { TransportError } from '../../src/transport/errors.js';
import type { ChatEvents, Envelope } from '../../src/protocol/chat-events.js';
import { WebRtcTransport } from '../../src/transport/webrtc.js';
import { serverUrl } from '../support/server-url.js';
import { envelope, freshRoom, next, runContractSuite, testSigner, textOf } from './contract.js';

const url = await serverUrl();
// `iceServers: []`: host candidates only, inside the test's private network namespace.
const make = async (u = url, unlistedGraceMs?: number) =>
  new WebRtcTransport<ChatEvents>({
    url: u,
    iceServers: [],
    unlistedGraceMs,
    signer: await testSigner(),
  });
runContractSuite(
  'webrtc',
  (signer) => new WebRtcTransport<ChatEvents>({ url, iceServers: [], signer }),
  // Chunks over the data channel, not half through the relay while it opens.
  async (a, b) => {
    await directly(a as WebRtcTransport<ChatEvents>, b as WebRtcTransport<ChatEvents>);
    await directly(b as WebRtcTransport<ChatEvents>, a as WebRtcTransport<ChatEvents>);
  },
);

/** Waits until `a` reaches `b` over a direct data channel. */
async function directly(a: WebRtcTransport<ChatEvents>, b: WebRtcTransport<ChatEvents>) {
  for (let i = 0; i < 200 && a.linkOf(b.selfId) !== 'direct'; i++)
    await new Promise((r) => setTimeout(r, 25));
  expect(a.linkOf(b.selfId), 'data channel did not open').to.equal('direct');
}

describe('webrtc transport', function () {
  this.timeout(20000);
  const open: WebRtcTransport<ChatEvents>[] = [];
  const join = async (room: string, u = url, graceMs?: number) => {
    const t = await make(u, graceMs);
    open.push(t);
    await t.connect(room, { userId: `u${open.length}`, name: `Peer ${open.length}` });
    return t;
  };
  afterEach(() => open.splice(0).forEach((t) => t.close()));

  it('moves messages over the data channel once it is open, not through the server', async () => {
    const room = freshRoom();
    const [a, b] = [await join(room), await join(room)];
    await directly(a, b);
    await directly(b, a);
    const before = { ...a.sent };
    const got = next<[Envelope]>(b, 'chat:message');
    a.emit('chat:message', envelope(room, 'peer to peer'));
    expect(textOf((await got)[0])).to.equal('peer to peer');
    expect(a.sent.direct).to.equal(before.direct + 1);
    expect(a.sent.relayed).to.equal(before.relayed);
  });

  it('sends many large messages with backpressure, in order, without errors', async () => {
    const room = freshRoom();
    const [a, b] = [await join(room), await join(room)];
    await directly(a, b);
    const errors: TransportError[] = [];
    a.on('error', (e) => errors.push(e));
    const texts: string[] = [];
    b.on('chat:message', (env) => texts.push(textOf(env).slice(0, 8)));
    const big = 'x'.repeat(7900);
    // 400 × ~8 KB pushes far past the channel's buffer; without backpressure Chromium throws.
    for (let i = 0; i < 400; i++)
      a.emit('chat:message', envelope(room, `${String(i).padStart(4, '0')}${big}`, i));
    for (let i = 0; i < 400 && texts.length < 400; i++) await new Promise((r) => setTimeout(r, 25));
    expect(texts).to.have.lengthOf(400);
    expect(texts).to.deep.equal(
      Array.from({ length: 400 }, (_, i) => `${String(i).padStart(4, '0')}xxxx`),
    );
    expect(errors).to.deep.equal([]);
  });

  it('sends chunk frames through the relay to a member without a direct link', async () => {
    const room = freshRoom();
    const a = await join(room);
    const relayed = new WebRtcTransport<ChatEvents>({
      url,
      iceServers: [],
      directLinks: false,
      signer: await testSigner(),
    });
    open.push(relayed);
    await relayed.connect(room, { userId: 'relayed', name: 'Relayed' });
    for (let i = 0; i < 100 && !a.peers.has(relayed.selfId); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(a.linkOf(relayed.selfId)).to.equal('relay');
    expect(a.fileCap).to.be.a('number');
    const got = next<[{ part: number }, Uint8Array]>(relayed, 'bytes');
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => i % 251);
    const head = { room, file: 'F'.repeat(43), part: 2 };
    expect(await a.sendBytes(relayed.selfId, head, bytes)).to.equal(true);
    const [gotHead, gotBytes] = await got;
    expect(gotHead).to.deep.equal(head);
    expect([...gotBytes]).to.deep.equal([...bytes]);
    expect(a.sent.direct).to.equal(0);
  });

  it('forms a full mesh of three, each message arriving once', async () => {
    const room = freshRoom();
    const [a, b, c] = [await join(room), await join(room), await join(room)];
    for (const [x, y] of [
      [a, b],
      [a, c],
      [b, c],
      [b, a],
      [c, a],
      [c, b],
    ] as const)
      await directly(x, y);
    const counts = new Map<string, number>();
    for (const t of [a, b, c])
      t.on('chat:message', (env) =>
        counts.set(`${t.selfId}:${env.id}`, (counts.get(`${t.selfId}:${env.id}`) ?? 0) + 1),
      );
    const envs = [a, b, c].map((t, i) => {
      const env = envelope(room, `from ${i}`);
      t.emit('chat:message', env);
      return env;
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(counts.size).to.equal(6); // 3 messages × 2 receivers
    expect([...counts.values()].every((n) => n === 1)).to.equal(true);
    expect(envs).to.have.lengthOf(3);
  });

  it('drops the link of a peer that leaves (no ghosts)', async () => {
    const room = freshRoom();
    const [a, b] = [await join(room), await join(room)];
    await directly(a, b);
    const left = next<[string]>(a, 'peer-leave');
    b.close();
    expect((await left)[0]).to.equal(b.selfId);
    expect(a.peers.size).to.equal(0);
    expect(a.linkOf(b.selfId)).to.equal('relay');
  });

  it('tells a newcomer when the mesh is full and carries its messages through the relay', async () => {
    const small = await serverUrl({ meshCap: 2 });
    const room = freshRoom();
    const [a, b] = [await join(room, small), await join(room, small)];
    const c = await make(small);
    open.push(c);
    const errors: TransportError[] = [];
    c.on('error', (e) => errors.push(e));
    await c.connect(room, { userId: 'u3', name: 'Third' });
    expect(errors.map((e) => e.code)).to.include('mesh-full');
    expect(errors.find((e) => e.code === 'mesh-full')!.message).to.match(
      /mesh is full \(2 members\)/,
    );
    const atC = next<[Envelope]>(c, 'chat:message');
    await directly(a, b);
    a.emit('chat:message', envelope(room, 'to everyone'));
    expect(textOf((await atC)[0])).to.equal('to everyone');
    expect(a.linkOf(c.selfId)).to.equal('relay');
  });

  it('takes no mesh seat when it links to nobody, so the seat stays for someone who does', async () => {
    const small = await serverUrl({ meshCap: 2 });
    const room = freshRoom();
    const a = await join(room, small);
    const nobody = new WebRtcTransport<ChatEvents>({
      url: small,
      iceServers: [],
      directLinks: false,
      signer: await testSigner(),
    });
    open.push(nobody);
    const errors: TransportError[] = [];
    nobody.on('error', (e) => errors.push(e));
    await nobody.connect(room, { userId: 'n', name: 'Nobody' });
    // The third member still finds a seat: only two take direct links.
    const c = await make(small);
    open.push(c);
    c.on('error', (e) => errors.push(e));
    await c.connect(room, { userId: 'c', name: 'Cat' });
    await directly(a, c);
    expect(errors.map((e) => e.code)).not.to.include('mesh-full');
    expect(a.peers.get(nobody.selfId)?.p2p).to.equal(false);
    const atNobody = next<[Envelope]>(nobody, 'chat:message');
    a.emit('chat:message', envelope(room, 'through the server'));
    expect(textOf((await atNobody)[0])).to.equal('through the server');
    expect(a.linkOf(nobody.selfId)).to.equal('relay');
  });

  /** A doctored peer's tools: its own relay socket and raw frames on its own links. */
  type Insides = {
    relay: { socket: { disconnect(): void } };
    links: Map<string, { peer: { send(frame: string): void } }>;
  };
  const insides = (t: WebRtcTransport<ChatEvents>) => t as unknown as Insides;

  it('keeps a member the server still lists when it says goodbye on its link: nobody listens unseen', async () => {
    const room = freshRoom();
    const [a, eve] = [await join(room), await join(room)];
    await directly(a, eve);
    await directly(eve, a);
    insides(eve).links.get(a.selfId)!.peer.send('\u0000bye');
    for (let i = 0; i < 40 && a.linkOf(eve.selfId) === 'direct'; i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(a.linkOf(eve.selfId), 'the link is dropped').to.equal('relay');
    expect(a.peers.has(eve.selfId), 'but Eve is still listed: the server has her').to.equal(true);
    const got = next<[Envelope]>(eve, 'chat:message');
    a.emit('chat:message', envelope(room, 'through the relay, in plain sight'));
    expect(textOf((await got)[0])).to.equal('through the relay, in plain sight');
  });

  it('drops a member who left the server but keeps its link open, once the grace period ends', async () => {
    const room = freshRoom();
    const a = await join(room, url, 300);
    const ghost = await join(room);
    await directly(a, ghost);
    await directly(ghost, a);
    const left = next<[string]>(a, 'peer-leave');
    insides(ghost).relay.socket.disconnect(); // gone from the server; its data channel stays open
    expect((await left)[0]).to.equal(ghost.selfId);
    expect(a.peers.has(ghost.selfId)).to.equal(false);
    expect(a.linkOf(ghost.selfId), 'its link is closed too').to.equal('relay');
  });
});
