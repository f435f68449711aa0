import { expect } from '@open-wc/testing';
import { BroadcastTransport } from '../../src/transport/broadcast.js';
import { TransportError } from '../../src/transport/errors.js';
import type { ChatEvents, Envelope } from '../../src/protocol/chat-events.js';
import type { EventMeta, PeerHello } from '../../src/transport/types.js';
import {
  envelope,
  freshRoom,
  next,
  rawTab as rawChannel,
  runContractSuite,
  textOf,
} from './contract.js';

// With a signer, as the app runs it: each tab announces its identity's id and key. The chunk
// lane is paced slower than the app's (8 MB/s, a 256 kB burst), so a run of chunks surely waits
// in it: at the app's 60 MB/s a loaded machine posting 64 kB frames slower than the bucket
// refills sent a whole run at once, leaving nothing for a chat event to overtake.
runContractSuite(
  'broadcast',
  (signer) =>
    new BroadcastTransport<ChatEvents>({
      signer,
      bytePace: { rate: 8_000_000, burst: 256 * 1024 },
    }),
);

describe('broadcast transport', function () {
  this.timeout(8000);
  const opened: { close(): void }[] = [];
  afterEach(() => opened.splice(0).forEach((x) => x.close()));

  /** A connected transport; short presence timers unless told otherwise. */
  async function tab(room: string, name: string, heartbeatMs = 50, timeoutMs = 200) {
    const t = new BroadcastTransport<ChatEvents>({ heartbeatMs, timeoutMs });
    opened.push(t);
    await t.connect(room, { userId: `${name}-id`, name });
    return t;
  }

  const rawTab = (room: string) => rawChannel(room, opened);

  const ghostHello = (id = 'ghost', v = '1.0'): PeerHello => ({
    id,
    userId: 'ghost-user',
    name: 'Ghost',
    since: Date.now(),
    v,
  });

  it('takes a tab of a newer minor (unknown hello fields dropped), never one of another major', async () => {
    const room = freshRoom();
    const t = await tab(room, 'Ann', 60_000, 120_000);
    const errors: TransportError[] = [];
    t.on('error', (e) => errors.push(e));
    const raw = rawTab(room);
    const joined = next<[PeerHello]>(t, 'peer-join');
    raw.postMessage({
      t: 'hello',
      from: 'newer',
      hello: { ...ghostHello('newer', '1.9'), mood: 'curious' },
      reply: false,
    });
    const { since: _since, ...heard } = (await joined)[0];
    expect(heard).to.deep.equal({ id: 'newer', userId: 'ghost-user', name: 'Ghost', v: '1.9' });
    for (const [id, v] of [
      ['future', '2.0'],
      ['old', undefined],
    ] as const) {
      const hello = { ...ghostHello(id), v };
      raw.postMessage({ t: 'hello', from: id, hello, reply: false });
      raw.postMessage({
        t: 'event',
        from: id,
        ev: 'chat:message',
        args: [envelope(room, 'x')],
        hello,
      });
    }
    await new Promise((r) => setTimeout(r, 200));
    expect([...t.peers.keys()]).to.deep.equal(['newer']);
    expect(errors.map((e) => [e.code, e.what])).to.deep.equal([
      [
        'incompatible',
        'Another tab runs Parley protocol 2; this one speaks 1 — reload this tab to update.',
      ],
      [
        'incompatible',
        'Another tab runs Parley protocol 0; this one speaks 1 — reload the other tab to update.',
      ],
    ]);
  });

  it('opens as soon as a tab already there answers; alone, after its discovery wait', async () => {
    const room = freshRoom();
    // Alone: nobody answers, so it opens once the (default) discovery wait is over.
    const a = await tab(room, 'Ann', 60_000, 120_000);
    expect(a.state).to.equal('open');
    expect(a.peers.size).to.equal(0);
    // A discovery wait longer than the test: only Ann's answer can open Bob.
    const b = new BroadcastTransport<ChatEvents>({
      heartbeatMs: 60_000,
      timeoutMs: 120_000,
      discoveryMs: 60_000,
    });
    opened.push(b);
    const seen: string[] = [];
    b.on('peer-join', (hello) => seen.push(`join ${hello.name}`));
    b.on('open', () => seen.push('open'));
    await b.connect(room, { userId: 'Bob-id', name: 'Bob' });
    // The tab that answered is a member before open, as the relay lists members in its join.
    expect(seen).to.deep.equal(['join Ann', 'open']);
    expect([...b.peers.keys()]).to.deep.equal([a.selfId]);
  });

  it('is not opened by a frame that makes no member (another major, no hello)', async () => {
    const room = freshRoom();
    const raw = rawTab(room);
    const t = new BroadcastTransport<ChatEvents>({ heartbeatMs: 60_000, discoveryMs: 60_000 });
    opened.push(t);
    const connected = t.connect(room, { userId: 'Ann-id', name: 'Ann' });
    raw.postMessage({
      t: 'hello',
      from: 'future',
      hello: ghostHello('future', '2.0'),
      reply: false,
    });
    raw.postMessage({ t: 'event', from: 'x', ev: 'chat:message', args: [envelope(room, 'x')] });
    raw.postMessage({ t: 'hello', from: 'liar', hello: ghostHello('other'), reply: false });
    // Frames of one sender arrive in order, but these come from three: give them time.
    await new Promise((r) => setTimeout(r, 150));
    expect(t.state).to.equal('connecting');
    expect(t.peers.size).to.equal(0);
    raw.postMessage({ t: 'hello', from: 'ghost', hello: ghostHello(), reply: false });
    await connected;
    expect(t.state).to.equal('open');
    expect([...t.peers.keys()]).to.deep.equal(['ghost']);
  });

  it('removes a closed tab at once, through its bye, not after the timeout', async () => {
    const room = freshRoom();
    const a = await tab(room, 'Ann', 60_000, 120_000);
    const b = await tab(room, 'Bob', 60_000, 120_000);
    expect([...a.peers.keys()]).to.deep.equal([b.selfId]);
    const left = next<[string]>(a, 'peer-leave', 1000);
    const t0 = performance.now();
    b.close();
    expect((await left)[0]).to.equal(b.selfId);
    expect(performance.now() - t0).to.be.below(500);
    expect(a.peers.size).to.equal(0);
  });

  it('drops a tab that stops heartbeating, and takes it back when it speaks again', async () => {
    const room = freshRoom();
    const t = await tab(room, 'Ann', 50, 200);
    const raw = rawTab(room);
    const joined = next<[PeerHello]>(t, 'peer-join');
    raw.postMessage({ t: 'hello', from: 'ghost', hello: ghostHello(), reply: false });
    expect((await joined)[0].name).to.equal('Ghost');
    expect(t.peers.has('ghost')).to.be.true;
    const t0 = performance.now();
    const left = next<[string]>(t, 'peer-leave', 2000);
    expect((await left)[0]).to.equal('ghost');
    expect(performance.now() - t0).to.be.at.least(150);
    expect(t.peers.has('ghost')).to.be.false;

    // The frozen tab wakes up and sends a message: its hello rides along.
    const back = next<[PeerHello]>(t, 'peer-join');
    const got = next<[Envelope, EventMeta]>(t, 'chat:message');
    const env = envelope(room, 'I am back');
    raw.postMessage({
      t: 'event',
      from: 'ghost',
      ev: 'chat:message',
      args: [env],
      hello: ghostHello(),
    });
    expect((await back)[0].id).to.equal('ghost');
    const [msg, meta] = await got;
    expect(msg).to.deep.equal(env);
    expect(meta.from).to.equal('ghost');
  });

  it('ignores malformed frames without throwing or delivering', async () => {
    const room = freshRoom();
    const t = await tab(room, 'Ann', 60_000, 120_000);
    const raw = rawTab(room);
    const seen: string[] = [];
    t.on('chat:message', (env) => seen.push(textOf(env)));
    for (const ev of ['open', 'close', 'error', 'state', 'peer-join', 'peer-leave'] as const) {
      t.on(ev, () => seen.push(ev));
    }
    const errors: unknown[] = [];
    const onError = (e: ErrorEvent) => errors.push(e.error);
    window.addEventListener('error', onError);
    const env = envelope(room, 'bad');
    const bad: unknown[] = [
      null,
      undefined,
      'hello',
      42,
      [],
      {},
      { t: 'nonsense', from: 'x' },
      { t: 'event', ev: 'open', args: [] },
      { t: 'event', from: 'x', ev: 'open', args: [] },
      { t: 'event', from: 'x', ev: 'peer-leave', args: [t.selfId] },
      { t: 'event', from: 'x', ev: 'chat:message', args: 'x' },
      { t: 'event', from: 'x', ev: 'chat:message' },
      { t: 'event', from: 'x', ev: 42, args: [env] },
      { t: 'event', from: 42, ev: 'chat:message', args: [env] },
      { t: 'event', from: 'x', to: 'someone-else', ev: 'chat:message', args: [env] },
      { t: 'event', from: 'x', ev: 'chat:message', args: [new Date()] },
      { t: 'event', from: 'x', ev: 'chat:message', args: [new Map()] },
      { t: 'event', from: t.selfId, ev: 'chat:message', args: [env] },
      { t: 'hello', from: 'x', hello: null, reply: true },
      { t: 'hello', from: 'x', hello: 'x', reply: true },
      { t: 'hello', from: 'x', hello: { ...ghostHello('y') }, reply: true },
      { t: 'hello', from: 'x', hello: { ...ghostHello('x'), name: '' }, reply: true },
      { t: 'bye' },
      { t: 'bye', from: 'never-joined' },
    ];
    for (const frame of bad) raw.postMessage(frame);
    // Frames of one sender arrive in order: once this one is here, all the above were handled.
    const good = next<[Envelope, EventMeta]>(t, 'chat:message');
    raw.postMessage({ t: 'event', from: 'x', ev: 'chat:message', args: [envelope(room, 'ok')] });
    const [msg, meta] = await good;
    window.removeEventListener('error', onError);
    expect(textOf(msg)).to.equal('ok');
    expect(meta.from).to.equal('x');
    expect(seen).to.deep.equal(['ok']);
    expect(errors).to.deep.equal([]);
    // A frame without a hello is delivered but does not make its sender a member.
    expect(t.peers.size).to.equal(0);
    expect(t.state).to.equal('open');
  });

  it('answers a newcomer directly, and says bye on pagehide and hello on pageshow', async () => {
    const room = freshRoom();
    const raw = rawTab(room);
    const frames: Record<string, unknown>[] = [];
    raw.onmessage = (e: MessageEvent) => frames.push(e.data as Record<string, unknown>);
    const t = await tab(room, 'Ann', 60_000, 120_000);
    expect(frames[0]).to.include({ t: 'hello', from: t.selfId, reply: true });
    frames.length = 0;

    raw.postMessage({ t: 'hello', from: 'newcomer', hello: ghostHello('newcomer'), reply: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(frames).to.have.length(1);
    expect(frames[0]).to.include({ t: 'hello', from: t.selfId, to: 'newcomer', reply: false });
    frames.length = 0;

    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await new Promise((r) => setTimeout(r, 50));
    expect(frames.map((f) => f.t)).to.deep.equal(['bye', 'hello']);
    expect(frames[1]).to.include({ from: t.selfId, reply: true });
  });

  it('refuses a room name or profile the relay would refuse', async () => {
    const t = new BroadcastTransport<ChatEvents>();
    const err = await t
      .connect('no spaces allowed', { userId: 'u', name: 'Someone' })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TransportError);
    expect((err as TransportError).code).to.equal('refused');
    expect(t.state).to.equal('closed');
  });
});
